import type { LibraryStats } from '../../messaging/library-stats';
import type { FeedRecord } from '../../corpus/feed-record';
import type { ImportLine } from '../../corpus/jsonl';

/** What the Sources and Library panels need from the extension; wired in entrypoints/options. */
export interface SourcesApi {
  listFeeds(): Promise<FeedRecord[]>;
  /** `confirmedPrivate`: the person said yes to following an address on their computer or network. */
  addFeed(url: string, confirmedPrivate?: boolean): Promise<FeedRecord>;
  removeFeed(feedId: string): Promise<void>;
  refreshFeeds(feedId?: string): Promise<FeedRecord[]>;
  /** Asks the browser for these sites; must be the first call in a click handler (browsers require the gesture). */
  requestHosts(urls: string[]): Promise<boolean>;
  stats(): Promise<LibraryStats>;
  importArticles(batch: ImportLine[]): Promise<number>;
  clearHistory(): Promise<number>;
  /** The whole library as JSONL text. */
  exportLibrary(): Promise<string>;
  storageUsedBytes(): Promise<number | null>;
  /** Asks the person to confirm something unusual (a feed on the local network). */
  confirm(message: string): boolean;
}

export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A picked file as text; `.gz` files are gunzipped in the page. */
export async function readFileText(file: File): Promise<string> {
  if (!file.name.endsWith('.gz')) return file.text();
  const stream = file.stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}
