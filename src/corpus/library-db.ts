import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SavedIndex } from '../index/engine';
import type { StoredArticle } from './records';
import type { FeedRecord } from './feed-record';

/**
 * The local library in IndexedDB: articles, followed feeds, and the saved search index. Shared by
 * the service worker (writes) and the options page (export reads). IndexedDB, not storage.local:
 * the saved index alone is ~6 MB at 50k articles and storage.local holds 10 MB.
 */
interface LibrarySchema extends DBSchema {
  articles: { key: string; value: StoredArticle; indexes: { kind: string; feedId: string; sortAt: string } };
  feeds: { key: string; value: FeedRecord };
  meta: { key: string; value: unknown };
}

export type LibraryDb = IDBPDatabase<LibrarySchema>;
export const DB_NAME = 'storyline-library';

export function openLibrary(name = DB_NAME): Promise<LibraryDb> {
  return openDB<LibrarySchema>(name, 1, {
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

export interface IndexSnapshot {
  /** Article count the snapshot covers; a mismatch means it is stale. */
  articleCount: number;
  savedAt: string;
  index: SavedIndex;
  /**
   * Each indexed article's change stamp (records.ts changeStamp) when the snapshot was taken: an
   * article stored since under the same id with another stamp is indexed again on revive (issue 9,
   * finding 7). A snapshot without stamps (written before they existed) is rebuilt, not trusted.
   */
  stamps?: Record<string, string>;
}

/**
 * Stores articles in one transaction, replacing records under the same id, except that a reading
 * history entry never replaces a feed, import or seed record: a page chooses its own canonical URL,
 * and one claiming a feed item's URL would otherwise rewrite that item's headline and link (issue 9,
 * finding 4). The check runs inside the write transaction, so a feed item stored concurrently is
 * seen. Returns the articles written.
 */
export async function putArticles(db: LibraryDb, articles: readonly StoredArticle[]): Promise<StoredArticle[]> {
  const tx = db.transaction('articles', 'readwrite');
  const store = tx.store;
  const written: StoredArticle[] = [];
  const kinds = new Map<string, string>();
  const history = articles.some((a) => a.kind === 'history');
  // Only a batch with history in it reads before writing (a page read stores one record).
  const before = history ? await Promise.all(articles.map((a) => (a.kind === 'history' ? store.get(a.id) : undefined))) : [];
  articles.forEach((article, i) => {
    const existingKind = kinds.get(article.id) ?? before[i]?.kind;
    if (article.kind === 'history' && existingKind !== undefined && existingKind !== 'history') return;
    kinds.set(article.id, article.kind);
    written.push(article);
    // A transaction that fails (a full disk) fails every request in it too; tx.done carries the error.
    store.put(article).catch(() => undefined);
  });
  await tx.done;
  return written;
}

/** IndexedDB's answer when the browser's storage quota for the extension is used up. */
export function isQuotaError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'QuotaExceededError';
}

/**
 * A write the library could not make for lack of space (RELIABILITY row 12). Its message starts
 * with "storage full", which the feed's status and the options page show as it is.
 */
export class StorageFullError extends Error {
  constructor(message: string) {
    super(message.startsWith('storage full') ? message : `storage full: ${message}`);
    this.name = 'StorageFullError';
  }
}

export async function deleteArticles(db: LibraryDb, ids: readonly string[]): Promise<void> {
  const tx = db.transaction('articles', 'readwrite');
  for (const id of ids) tx.store.delete(id).catch(() => undefined);
  await tx.done;
}

export async function articleIdsOfKind(db: LibraryDb, kind: string): Promise<string[]> {
  return db.getAllKeysFromIndex('articles', 'kind', kind);
}

export async function articleIdsOfFeed(db: LibraryDb, feedId: string): Promise<string[]> {
  return db.getAllKeysFromIndex('articles', 'feedId', feedId);
}

/**
 * The saved index, written in one transaction: a reader sees the old snapshot or the new, never
 * half. Stored as one JSON string: IndexedDB's structured clone of the index's hundred thousand
 * small objects is several times slower to read back than JSON.parse of the same data.
 */
export async function saveSnapshot(db: LibraryDb, snapshot: IndexSnapshot): Promise<void> {
  await db.put('meta', JSON.stringify(snapshot), 'index');
}

/**
 * The saved index, its outer shape checked (the index itself is checked by StoryIndex.fromJSON):
 * undefined when there is none or it is not one. Throws on JSON that does not parse.
 */
export async function loadSnapshot(db: LibraryDb): Promise<IndexSnapshot | undefined> {
  return parseSnapshot(await db.get('meta', 'index'));
}

/** The stored snapshot record (as read from the meta store) parsed and checked; see loadSnapshot. */
export function parseSnapshot(stored: unknown): IndexSnapshot | undefined {
  if (typeof stored !== 'string') return undefined;
  const raw = JSON.parse(stored) as unknown;
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.articleCount !== 'number' || typeof r.savedAt !== 'string' || !r.index || typeof r.index !== 'object') return undefined;
  const snapshot: IndexSnapshot = { articleCount: r.articleCount, savedAt: r.savedAt, index: r.index as SavedIndex };
  if (r.stamps !== undefined) {
    if (!r.stamps || typeof r.stamps !== 'object' || Array.isArray(r.stamps)) return undefined;
    for (const value of Object.values(r.stamps)) if (typeof value !== 'string') return undefined;
    snapshot.stamps = r.stamps as Record<string, string>;
  }
  return snapshot;
}
