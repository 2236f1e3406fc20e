import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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

/**
 * The journal: one meta record `journal:<id>` per article written or deleted since the saved index
 * last covered it, written in the same transaction as the article. A wake-up replays exactly these
 * (RELIABILITY row 2), without reading the whole library; a save deletes the entries it covers.
 * Each entry holds the token of its write, so a save removes only the entries it has seen.
 */
const JOURNAL = 'journal:';
const JOURNAL_RANGE = IDBKeyRange.bound(JOURNAL, `${JOURNAL}\uffff`);
const HEAD = 'index';
const SHARD = 'shard:';
const SHARD_RANGE = IDBKeyRange.bound(SHARD, `${SHARD}\uffff`);

/** A token for one write: unique within this browser profile. */
export function writeToken(): string {
  return `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
}

/** The journal's entries: article id and the token of its last write. */
export async function readJournal(db: LibraryDb): Promise<Map<string, string>> {
  const tx = db.transaction('meta');
  const [keys, values] = await Promise.all([tx.store.getAllKeys(JOURNAL_RANGE), tx.store.getAll(JOURNAL_RANGE)]);
  return new Map(keys.map((key, i) => [String(key).slice(JOURNAL.length), String(values[i])]));
}

/** The saved head and one saved shard, as stored (parsed and checked by index/snapshot.ts). */
export function readHead(db: LibraryDb): Promise<unknown> {
  return db.get('meta', HEAD);
}

export function readShard(db: LibraryDb, key: string): Promise<unknown> {
  return db.get('meta', `${SHARD}${key}`);
}

/**
 * Writes the saved index in one transaction: the head, the changed shards, shards now empty or
 * no longer listed removed, and the journal entries the save covers (`covered`: id -> the token
 * the index has seen) deleted, unless a newer write replaced them meanwhile. Each part is one JSON
 * string: IndexedDB's structured clone of an index's many small objects reads back several times
 * slower than JSON.parse of the same data.
 */
export async function saveIndex(
  db: LibraryDb,
  save: { head: string; shards: ReadonlyMap<string, string>; listed: readonly string[]; covered: ReadonlyMap<string, string> },
): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const store = tx.store;
  const listed = new Set(save.listed);
  const pending: Promise<unknown>[] = [store.put(save.head, HEAD)];
  for (const [key, json] of save.shards) pending.push(store.put(json, `${SHARD}${key}`));
  pending.push(
    store.getAllKeys(SHARD_RANGE).then((keys) =>
      Promise.all(keys.filter((k) => !listed.has(String(k).slice(SHARD.length))).map((k) => store.delete(k))),
    ),
  );
  pending.push(
    Promise.all([store.getAllKeys(JOURNAL_RANGE), store.getAll(JOURNAL_RANGE)]).then(([keys, tokens]) =>
      Promise.all(keys.filter((k, i) => save.covered.get(String(k).slice(JOURNAL.length)) === tokens[i]).map((k) => store.delete(k))),
    ),
  );
  // A transaction that fails (a full disk) fails every request in it too; tx.done carries the error.
  for (const p of pending) p.catch(() => undefined);
  await tx.done;
}

/**
 * Stores articles in one transaction, replacing records under the same id, except that a reading
 * history entry never replaces a feed, import or seed record: a page chooses its own canonical URL,
 * and one claiming a feed item's URL would otherwise rewrite that item's headline and link (issue 9,
 * finding 4). The check runs inside the write transaction, so a feed item stored concurrently is
 * seen. Returns the articles written.
 */
export async function putArticles(db: LibraryDb, articles: readonly StoredArticle[], token = writeToken()): Promise<StoredArticle[]> {
  const tx = db.transaction(['articles', 'meta'], 'readwrite');
  const store = tx.objectStore('articles');
  const meta = tx.objectStore('meta');
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
    meta.put(token, `${JOURNAL}${article.id}`).catch(() => undefined);
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

export async function deleteArticles(db: LibraryDb, ids: readonly string[], token = writeToken()): Promise<void> {
  const tx = db.transaction(['articles', 'meta'], 'readwrite');
  for (const id of ids) {
    tx.objectStore('articles').delete(id).catch(() => undefined);
    tx.objectStore('meta').put(token, `${JOURNAL}${id}`).catch(() => undefined);
  }
  await tx.done;
}
