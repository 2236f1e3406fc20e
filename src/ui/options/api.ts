import type { FeedSuggestion, FeedView } from '../../messaging/feeds';
import { MAX_IMPORT_BYTES, readImportText, type ExportPage, type ImportStatus } from '../../messaging/library-io';
import type { LibraryStats } from '../../messaging/library-stats';

/**
 * What the Sources and Library panels need from the extension; wired in entrypoints/options, where
 * each call is one protocol message to the worker (the page opens no database of its own).
 */
export interface SourcesApi {
  listFeeds(): Promise<FeedView[]>;
  /** `confirmedPrivate`: the person said yes to following an address on their computer or network. */
  addFeed(url: string, confirmedPrivate?: boolean): Promise<FeedView>;
  removeFeed(feedId: string): Promise<void>;
  refreshFeeds(feedId?: string): Promise<FeedView[]>;
  /** The starter list of major outlets (never followed without a click). */
  suggestedFeeds(): Promise<FeedSuggestion[]>;
  /** The feeds an OPML file lists; rejects with the reason when the file cannot be used. */
  parseOpml(text: string): Promise<FeedSuggestion[]>;
  /** The followed feeds as an OPML file. */
  exportOpml(): Promise<string>;
  /** Asks the browser for these sites; must be the first call in a click handler (browsers require the gesture). */
  requestHosts(urls: string[]): Promise<boolean>;
  stats(): Promise<LibraryStats>;
  importBegin(total: number, chunks: number): Promise<ImportStatus>;
  importChunk(jobId: string, seq: number, firstLine: number, text: string): Promise<ImportStatus>;
  importStatus(): Promise<ImportStatus | null>;
  /** One page of the library as JSONL, from after the article id `after`. */
  exportLibrary(after?: string): Promise<ExportPage>;
  clearHistory(): Promise<number>;
  clearImports(): Promise<number>;
  storageUsedBytes(): Promise<number | null>;
  /** Asks the person to confirm something unusual (a feed on the local network). */
  confirm(message: string): boolean;
}

export function download(filename: string, parts: string | string[], type: string): void {
  const url = URL.createObjectURL(new Blob(typeof parts === 'string' ? [parts] : parts, { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A picked file as text, up to MAX_IMPORT_BYTES; `.gz` files are gunzipped in the page as they are read. */
export async function readFileText(file: File, max = MAX_IMPORT_BYTES): Promise<string> {
  const bytes = file.stream();
  return readImportText(file.name.endsWith('.gz') ? bytes.pipeThrough(new DecompressionStream('gzip')) : bytes, max);
}
