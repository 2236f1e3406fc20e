import { isStoredArticle, toExportLine } from '../corpus/records';
import type { LibraryDb } from '../corpus/library-db';
import type { ExportPage } from '../messaging/library-io';

/**
 * Articles per `exportLibrary` answer: about 1.2 MB of JSONL at the corpus's line length, so no
 * message comes near Chrome's 64 MiB limit however large the library, and the page asks again.
 */
export const EXPORT_PAGE = 5000;

/**
 * One page of the library in the shared/data JSONL format, in id order from after `after`; seed
 * articles (they ship with the build) and reading history are left out. History would come back
 * from the file as imported articles, which inline badges show: a page could then tell from its
 * badges what the person had read. The options page asks until `next` is null.
 */
export async function exportPage(db: LibraryDb, after: string | undefined, limit = EXPORT_PAGE): Promise<ExportPage> {
  const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
  const articles = await db.getAll('articles', range, limit);
  // A damaged record is passed over (isStoredArticle), not a TypeError that stops the export.
  const lines = articles.filter((a) => isStoredArticle(a) && (a.kind === 'import' || a.kind === 'feed')).map(toExportLine);
  return { text: lines.map((line) => `${line}\n`).join(''), next: articles.length === limit ? articles[articles.length - 1].id : null };
}
