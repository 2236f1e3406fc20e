import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { CodedError } from '../messaging/errors';
import { wordsOf } from '../core/words';
import { isStoredArticle, type StoredArticle } from './records';
import type { FeedRecord } from './feed-record';

/**
 * The local library in IndexedDB: articles, followed feeds, and the saved search index. Only the
 * service worker opens it (the options page exports through messages). IndexedDB, not
 * storage.local: the saved index alone is about 4 MB at 54k articles and storage.local holds 10 MB.
 */
interface LibrarySchema extends DBSchema {
  articles: { key: string; value: StoredArticle; indexes: { kind: string; feedId: string; sortAt: string } };
  feeds: { key: string; value: FeedRecord };
  meta: { key: string; value: unknown };
}

export type LibraryDb = IDBPDatabase<LibrarySchema>;
export const DB_NAME = 'storyline-library';

/** `onTerminated`: the browser closed the connection abnormally (storage cleared, a disk error). */
export function openLibrary(name = DB_NAME, onTerminated?: () => void): Promise<LibraryDb> {
  return openDB<LibrarySchema>(name, 1, {
    terminated: onTerminated,
    upgrade(db) {
      const articles = db.createObjectStore('articles', { keyPath: 'id' });
      articles.createIndex('kind', 'kind');
      articles.createIndex('feedId', 'feedId');
      articles.createIndex('sortAt', 'sortAt');
      db.createObjectStore('feeds', { keyPath: 'id' });
      db.createObjectStore('meta');
    },
  });
}

/**
 * The journal: one meta record `journal:<token>` per write (a batch of articles stored, or of ids
 * deleted), listing the article ids, written in the same transaction as the articles. A wake-up
 * replays exactly these ids (RELIABILITY row 2) without reading the whole library; a save deletes
 * the records of the writes it covers, by token, so a newer write is never dropped.
 */
const JOURNAL = 'journal:';
const JOURNAL_RANGE = IDBKeyRange.bound(JOURNAL, `${JOURNAL}\uffff`);
const INDEX = 'index';

/** A token for one write: unique within this browser profile. */
export function writeToken(): string {
  return `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
}

/** The journal's records: write token -> the article ids it wrote or deleted (checked: ids are strings). */
export async function readJournal(db: LibraryDb): Promise<Map<string, string[]>> {
  const tx = db.transaction('meta');
  const [keys, values] = await Promise.all([tx.store.getAllKeys(JOURNAL_RANGE), tx.store.getAll(JOURNAL_RANGE)]);
  const out = new Map<string, string[]>();
  keys.forEach((key, i) => {
    const ids = values[i];
    out.set(String(key).slice(JOURNAL.length), Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : []);
  });
  return out;
}

/** The saved index as stored (parsed and checked by index/segment.ts parseSegment). */
export function readIndex(db: LibraryDb): Promise<unknown> {
  return db.get('meta', INDEX);
}

/** Articles by id, in one transaction; undefined for an id not stored. */
/** The articles stored under these ids, each checked (isStoredArticle): a damaged record reads as none. */
export async function getArticles(db: LibraryDb, ids: readonly string[]): Promise<(StoredArticle | undefined)[]> {
  const tx = db.transaction('articles');
  return (await Promise.all(ids.map((id) => tx.store.get(id)))).map((record) => (isStoredArticle(record) ? record : undefined));
}

/**
 * Every stored article, checked. Damaged records are deleted: no surface can read them, and left
 * in the store they would make every start count more records than the index holds and rebuild.
 */
export async function getAllArticles(db: LibraryDb): Promise<StoredArticle[]> {
  const [records, keys] = await Promise.all([db.getAll('articles'), db.getAllKeys('articles')]);
  const damaged = keys.filter((_, i) => !isStoredArticle(records[i]));
  if (damaged.length) await deleteIn(db, damaged, null).catch(() => undefined);
  return records.filter(isStoredArticle);
}

/**
 * Writes the saved index and deletes the journal records of the writes it covers (`covered`
 * tokens), in one transaction: a reader sees the old index and its journal, or the new and what
 * is left of the journal, never half. The index's typed arrays are stored as they are (a
 * structured clone of an ArrayBuffer is a copy, not a parse).
 */
export async function saveIndex(db: LibraryDb, saved: unknown, covered: ReadonlySet<string>): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  tx.store.put(saved, INDEX).catch(() => undefined);
  for (const token of covered) tx.store.delete(`${JOURNAL}${token}`).catch(() => undefined);
  // A transaction that fails (a full disk) fails every request in it too; tx.done carries the error.
  await tx.done;
}

/** Two headlines of one article: at least four in five words of the shorter in the other (a feed's and a page's wording differ a little). */
export function sameHeadline(a: string, b: string): boolean {
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  const [small, large] = wa.size <= wb.size ? [wa, wb] : [wb, wa];
  if (small.size === 0) return false;
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared / small.size >= 0.8;
}

/**
 * Stores articles in one transaction, replacing records under the same id of the same kind only:
 * where two sources name one article, the record already stored stays.
 * - A reading history entry never replaces a feed, import or seed record: a page chooses its own
 *   canonical URL, and one claiming a feed item's URL would otherwise rewrite that item's headline
 *   and link (issue 9, finding 4).
 * - A feed item or an imported line never replaces what the person read (or imported, or a
 *   seed): a feed or a downloaded file listing the URL of a page the person read would rewrite its
 *   headline, and removing the feed or the import would delete it (attack reviews, helpers 29
 *   and 30). A feed item may replace another feed's copy, an import a line of an earlier import;
 *   and a feed item may replace the history entry of the page it is, headline for headline (a
 *   followed outlet's article read before the feed's next poll): else the badges, which never
 *   show history, would never show it (review, helper-31).
 * The check runs inside the write transaction, so a record stored concurrently is seen. Returns
 * the articles written.
 */
export async function putArticles(db: LibraryDb, articles: readonly StoredArticle[], token = writeToken()): Promise<StoredArticle[]> {
  const tx = db.transaction(['articles', 'meta'], 'readwrite');
  const store = tx.objectStore('articles');
  const meta = tx.objectStore('meta');
  const written: StoredArticle[] = [];
  const kinds = new Map<string, string>();
  const before = await Promise.all(articles.map((a) => store.get(a.id)));
  articles.forEach((article, i) => {
    const existingKind = kinds.get(article.id) ?? before[i]?.kind;
    const existing = kinds.has(article.id) ? undefined : before[i];
    const feedOfRead = article.kind === 'feed' && existing?.kind === 'history' && sameHeadline(existing.title, article.title);
    if (existingKind !== undefined && existingKind !== article.kind && !feedOfRead) return;
    kinds.set(article.id, article.kind);
    written.push(article);
    // A transaction that fails (a full disk) fails every request in it too; tx.done carries the error.
    store.put(article).catch(() => undefined);
  });
  if (written.length)
    meta
      .put(
        written.map((a) => a.id),
        `${JOURNAL}${token}`,
      )
      .catch(() => undefined);
  await tx.done;
  return written;
}

/**
 * Writes one meta record (or deletes it, for undefined) in a transaction of its own. A failure is
 * the transaction's error, so a full disk throws QuotaExceededError: idb's `db.put` shortcut
 * threw the request's AbortError first, which no quota check recognised.
 */
export async function putMeta(db: LibraryDb, key: string, value: unknown): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const request = value === undefined ? tx.store.delete(key) : tx.store.put(value, key);
  request.catch(() => undefined);
  await tx.done;
}

/** IndexedDB's answer when the browser's storage quota for the extension is used up. */
export function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

/**
 * A write of `count` articles the library could not make for lack of space (RELIABILITY row 12):
 * code storageFull, which a feed's status and a failed import carry to the options page.
 */
export class StorageFullError extends CodedError {
  constructor(readonly count: number) {
    super({ code: 'storageFull', count }, `storage full: the browser has no room for ${count} more article${count === 1 ? '' : 's'}`);
    this.name = 'StorageFullError';
  }
}

/**
 * Deletes articles and journals the deletion, in one transaction. On a full disk that transaction
 * fails (the journal record is a write, and the quota is the whole origin's), and freeing space
 * must not: the deletes then run alone, and the journal record follows in a transaction of its
 * own once they have made room (attack review, helper-32). Should that one fail too, the next
 * start still finds the saved index out of step with the store (Library.check counts them) and
 * rebuilds it.
 */
export async function deleteArticles(db: LibraryDb, ids: readonly string[], token = writeToken()): Promise<void> {
  if (ids.length === 0) return;
  try {
    await deleteIn(db, ids, token);
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    await deleteIn(db, ids, null);
    await putMeta(db, `${JOURNAL}${token}`, [...ids]).catch((second: unknown) => {
      if (!isQuotaError(second)) throw second;
    });
  }
}

/** One transaction of deletes, with its journal record unless `token` is null. */
async function deleteIn(db: LibraryDb, ids: readonly string[], token: string | null): Promise<void> {
  const tx = db.transaction(['articles', 'meta'], 'readwrite');
  for (const id of ids)
    tx.objectStore('articles')
      .delete(id)
      .catch(() => undefined);
  if (token !== null)
    tx.objectStore('meta')
      .put([...ids], `${JOURNAL}${token}`)
      .catch(() => undefined);
  await tx.done;
}
