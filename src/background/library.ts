import type { Article } from '../core/article';
import { INDEX_FINGERPRINT, INDEX_VERSION, StoryIndex, type MatchOptions } from '../index/engine';
import type { StoryText } from '../index/features';
import { parseHead, parseShard } from '../index/snapshot';
import {
  deleteArticles,
  isQuotaError,
  openLibrary,
  putArticles,
  readHead,
  readJournal,
  readShard,
  saveIndex,
  StorageFullError,
  writeToken,
  type LibraryDb,
} from '../corpus/library-db';
import { changeStamp, evictionList, pruneList, toStored, type StoredArticle } from '../corpus/records';
import type { LibraryStats, PruneRecord, StorageStatus } from '../messaging/library-stats';
import type { Settings } from '../settings/schema';

/** Share of the non-seed articles one eviction removes. */
const EVICTION_SHARE = 0.1;
/** No second eviction in an episode before this long after the first; it doubles each time, up to a day. */
export const EVICTION_BACKOFF_MS = 3_600_000;
const MAX_EVICTION_BACKOFF_MS = 86_400_000;

function evictionDue(status: StorageStatus | null, now: number): boolean {
  if (!status || status.lastEvictionAt === null) return true;
  const backoff = Math.min(EVICTION_BACKOFF_MS * 2 ** Math.max(0, status.evictions - 1), MAX_EVICTION_BACKOFF_MS);
  return now - Date.parse(status.lastEvictionAt) >= backoff;
}

const isIso = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** The stored prune record, checked: anything else is treated as none. */
export function parsePruneRecord(raw: unknown): PruneRecord | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (!isIso(r.at) || !isCount(r.removed) || (r.reason !== 'storage-full' && r.reason !== 'retention')) return null;
  return { at: r.at, removed: r.removed, reason: r.reason, history: isCount(r.history) ? r.history : 0 };
}

/** The stored storage status, checked: anything else is treated as none (the next failure starts over). */
export function parseStorageStatus(raw: unknown): StorageStatus | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (!isIso(r.since) || !isIso(r.lastFailureAt) || typeof r.error !== 'string' || !isCount(r.failures) || !isCount(r.evictions)) return null;
  if (r.lastEvictionAt !== null && !isIso(r.lastEvictionAt)) return null;
  return { since: r.since, lastFailureAt: r.lastFailureAt, error: r.error.slice(0, 300), failures: r.failures, evictions: r.evictions, lastEvictionAt: r.lastEvictionAt };
}

/**
 * When the saved index is written. Between two saves the journal (library-db.ts) is the record of
 * what changed: every article written or deleted gets a journal entry in the same transaction, and
 * a wake-up replays exactly those. So a trickle (a feed poll, a page read) costs one small write and
 * is never lost to the 30 s idle stop; the index is saved once the replay a wake-up would do grows
 * past `compactAt` articles, or after a bulk change (an import), SAVE_DELAY_MS after the last batch.
 * A save writes the head and only the week shards that changed.
 */
export const SAVE_DELAY_MS = 2000;
/** Journal entries at which the index is saved: 1% of the library, between 50 and 500. */
export function compactAt(articles: number): number {
  return Math.min(500, Math.max(50, Math.round(articles * 0.01)));
}

/**
 * The service worker's library: every stored article in IndexedDB and the index over them (issue
 * 13). A wake-up reads the saved head and the journal, replays the journal, and answers; the week
 * shards a query's window covers are read when it first needs them, so the first answer reads a few
 * weeks of the library, not all of it. The index is rebuilt from the articles when the saved one is
 * missing, of another version, corrupt or does not match them (RELIABILITY rows 2, 5, 36). Every
 * caller waits for one `ready` promise, so a match that arrives during the wake-up is answered
 * after it.
 */
export class Library {
  private ready: Promise<{ db: LibraryDb; index: StoryIndex }>;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Journal entries the index has applied and no save has covered yet: article id -> write token. */
  private readonly covered = new Map<string, string>();
  /** Shards being read, so two queries needing one shard read it once. */
  private readonly loading = new Map<string, Promise<void>>();
  private lastPrune: PruneRecord | null = null;
  private storage: StorageStatus | null = null;
  private readonly now: () => number;
  private readonly saveDelayMs: number;
  private indexSavedAt: string | null = null;
  /** How the index came up this time ("revived" or "rebuilt"), for tests and the benchmark. */
  startup: 'revived' | 'rebuilt' | null = null;
  /** Journal entries replayed at start (articles changed since the index was saved). */
  replayed = 0;
  /** Whether a saved index exists that a wake-up can start from; without one any change saves soon. */
  private snapshotBase = false;
  /** Where the start went (ms): reading the head and journal, parsing the head, replaying (or rebuilding). */
  startupMs: { read: number; parse: number; index: number } | null = null;
  /** Week shards read since start, for the benchmark. */
  shardsRead = 0;
  /** How long the last save took (serialise and store), for the benchmark. */
  lastSaveMs: number | null = null;

  constructor(
    readonly settings: () => Promise<Settings>,
    seeds: readonly Article[],
    dbName?: string,
    options: { now?: () => number; saveDelayMs?: number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.saveDelayMs = options.saveDelayMs ?? SAVE_DELAY_MS;
    this.ready = this.open(seeds, dbName);
  }

  private async open(seeds: readonly Article[], dbName?: string) {
    const db = await openLibrary(dbName);
    this.lastPrune = parsePruneRecord(await db.get('meta', 'lastPrune'));
    this.storage = parseStorageStatus(await db.get('meta', 'storage'));
    // Seeds ship with the build: store this build's set (a seed whose text changed is stored
    // again), drop any a previous build had.
    const now = new Date(this.now());
    const seedRecords = seeds.map((s) => toStored(s, now));
    const storedSeeds = new Map((await db.getAllFromIndex('articles', 'kind', 'seed')).map((s) => [s.id, s.rev]));
    const stale = [...storedSeeds.keys()].filter((id) => !seedRecords.some((s) => s.id === id));
    const missing = seedRecords.filter((seed) => !storedSeeds.has(seed.id) || storedSeeds.get(seed.id) !== seed.rev);
    if (stale.length || missing.length) {
      await deleteArticles(db, stale);
      try {
        await putArticles(db, missing);
      } catch (error) {
        // A full disk must not keep the library from opening: the seeds not stored are not indexed.
        if (!isQuotaError(error)) throw error;
        await this.metaWrite(db, 'storage', this.noteFailure(missing.length, false));
      }
    }
    const started = performance.now();
    const [head, journal, count] = await Promise.all([readHead(db).catch(() => undefined), readJournal(db), db.count('articles')]);
    const read = performance.now();
    let parsed = read;
    try {
      const index = StoryIndex.revive(parseHead(head, { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT }));
      parsed = performance.now();
      await this.replay(db, index, journal);
      if (index.documentCount !== count) throw new Error('the saved index does not match the stored articles');
      this.startup = 'revived';
      this.indexSavedAt = (JSON.parse(head as string) as { savedAt: string }).savedAt;
      this.snapshotBase = true;
      this.replayed = journal.size;
      this.startupMs = { read: Math.round(read - started), parse: Math.round(parsed - read), index: Math.round(performance.now() - parsed) };
      if (journal.size) this.scheduleSave(index);
      return { db, index };
    } catch {
      // Missing, of another version, corrupt, or not the articles stored: rebuilt (below).
    }
    const index = await this.rebuild(db, journal);
    this.startupMs = { read: Math.round(read - started), parse: Math.round(parsed - read), index: Math.round(performance.now() - parsed) };
    return { db, index };
  }

  /** The index built again from every stored article, saved soon. */
  private async rebuild(db: LibraryDb, journal: ReadonlyMap<string, string>): Promise<StoryIndex> {
    const index = new StoryIndex();
    index.addAll(await db.getAll('articles'));
    this.startup = 'rebuilt';
    this.snapshotBase = false;
    for (const [id, token] of journal) this.covered.set(id, token);
    this.scheduleSave(index);
    return index;
  }

  /**
   * Applies the journal to a revived index: each article written since the save is indexed again
   * (added, or replaced when its change stamp differs), each one deleted since is dropped. Only the
   * shards these articles were or go in are read.
   */
  private async replay(db: LibraryDb, index: StoryIndex, journal: ReadonlyMap<string, string>): Promise<void> {
    if (journal.size === 0) return;
    const ids = [...journal.keys()];
    const tx = db.transaction('articles');
    const records = await Promise.all(ids.map((id) => tx.store.get(id)));
    const present = records.filter((r): r is StoredArticle => r !== undefined);
    await this.loadShards(db, index, [...index.shardsHolding(ids), ...index.shardsReceiving(present)]);
    ids.forEach((id, i) => {
      const record = records[i];
      if (!record) index.remove(id);
      else if (!index.has(id) || changeStamp(index.get(id)!) !== changeStamp(record)) index.addAll([record]);
      this.covered.set(id, journal.get(id)!);
    });
  }

  /** Reads and loads saved shards (each once, however many queries wait for it). */
  private async loadShards(db: LibraryDb, index: StoryIndex, keys: readonly string[]): Promise<void> {
    await Promise.all(
      [...new Set(keys)].map((key) => {
        let loading = this.loading.get(key);
        if (!loading) {
          loading = readShard(db, key).then((raw) => {
            index.loadShard(parseShard(raw, key));
            this.shardsRead++;
          });
          this.loading.set(key, loading);
          void loading.finally(() => this.loading.delete(key)).catch(() => undefined);
        }
        return loading;
      }),
    );
  }

  /** The index with what these queries need loaded, or (no queries) every article. */
  async index(queries?: readonly StoryText[], options?: MatchOptions): Promise<StoryIndex> {
    const { db, index } = await this.ready;
    const missing = index.missingShards(queries, options);
    if (missing.length === 0) return index;
    try {
      await this.loadShards(db, index, missing);
      return index;
    } catch {
      // A saved shard that cannot be read: the whole index is built again from the articles.
      if ((await this.ready).index === index) this.ready = this.rebuild(db, await readJournal(db)).then((rebuilt) => ({ db, index: rebuilt }));
      return (await this.ready).index;
    }
  }

  /** The index with these articles' shards loaded: where they are now and where they go. */
  private async indexFor(articles: readonly Article[], ids: readonly string[] = articles.map((a) => a.id)): Promise<{ db: LibraryDb; index: StoryIndex }> {
    const { db, index } = await this.ready;
    await this.loadShards(db, index, [...index.shardsHolding(ids), ...index.shardsReceiving(articles)]);
    return { db, index };
  }

  private scheduleSave(index: StoryIndex): void {
    // A trickle stays in the journal until the replay would grow too long.
    if (this.snapshotBase && this.covered.size < compactAt(index.documentCount)) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.saveNow().catch(() => undefined), this.saveDelayMs);
  }

  /** Saves the index now: the head and the shards changed since the last save (also used by tests and the benchmark). */
  async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    const { db, index } = await this.ready;
    const started = performance.now();
    const savedAt = new Date(this.now()).toISOString();
    const covered = new Map(this.covered);
    const { head, shards, versions } = index.snapshot(savedAt);
    await saveIndex(db, {
      head: JSON.stringify(head),
      shards: new Map(shards.map((shard) => [shard.key, JSON.stringify(shard)])),
      listed: head.shards,
      covered,
    });
    index.markSaved(versions);
    for (const [id, token] of covered) if (this.covered.get(id) === token) this.covered.delete(id);
    this.snapshotBase = true;
    this.indexSavedAt = savedAt;
    this.lastSaveMs = performance.now() - started;
  }

  async db(): Promise<LibraryDb> {
    return (await this.ready).db;
  }

  /**
   * Stores and indexes articles; an article already stored under the same key is replaced (but a
   * history entry never replaces another kind: see putArticles). When the disk is full, throws
   * StorageFullError after at most one eviction per episode (see whenFull).
   */
  async add(articles: readonly StoredArticle[]): Promise<void> {
    if (articles.length === 0) return;
    const { db, index } = await this.indexFor(articles);
    const token = writeToken();
    let written: StoredArticle[];
    try {
      written = await putArticles(db, articles, token);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      written = await this.whenFull(db, articles, token);
    }
    if (this.storage) {
      // A write succeeded: the episode is over, and the next failure may evict again.
      this.storage = null;
      await this.metaWrite(db, 'storage', undefined);
    }
    // A history entry refused because a feed or import record holds its id is not indexed either;
    // one stored again unchanged (a feed item on every poll) is not analysed or counted again.
    const changed = written.filter((a) => {
      const old = index.get(a.id);
      return !old || changeStamp(old) !== changeStamp(a);
    });
    index.addAll(changed);
    for (const article of written) this.covered.set(article.id, token);
    this.scheduleSave(index);
  }

  /**
   * A write refused for lack of space (RELIABILITY row 12; issue 9, finding 6). The first failure
   * of an episode evicts a tenth of the non-seed articles (feed articles first, then imports) and
   * retries once; later failures evict nothing until a write succeeds or the backoff has passed,
   * so a disk that stays full does not empty the library one poll at a time. Reading history is
   * evicted only for a write of the person's own data (history or an import) when nothing else is
   * left, and the prune record counts it. Every failure is recorded for the options page.
   */
  private async whenFull(db: LibraryDb, articles: readonly StoredArticle[], token: string): Promise<StoredArticle[]> {
    const personal = articles.some((a) => a.kind === 'history' || a.kind === 'import');
    const due = evictionDue(this.storage, this.now());
    const victims = due ? evictionList(this.summaries(await this.index()), { share: EVICTION_SHARE, history: personal }) : [];
    // Recorded before the first await: a write failing at the same moment sees this eviction and waits.
    const status = this.noteFailure(articles.length, victims.length > 0);
    if (victims.length > 0) {
      await this.removeIds(victims, 'storage-full');
      await this.metaWrite(db, 'storage', status);
      try {
        return await putArticles(db, articles, token);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
      }
    } else {
      await this.metaWrite(db, 'storage', status);
    }
    throw new StorageFullError(status.error);
  }

  /** Records a refused write in the storage status, in memory at once; the caller stores it. */
  private noteFailure(count: number, evicted: boolean): StorageStatus {
    const at = new Date(this.now()).toISOString();
    const previous = this.storage;
    this.storage = {
      since: previous?.since ?? at,
      lastFailureAt: at,
      error: `storage full: the browser has no room for ${count} more article${count === 1 ? '' : 's'}`,
      failures: (previous?.failures ?? 0) + 1,
      evictions: (previous?.evictions ?? 0) + (evicted ? 1 : 0),
      lastEvictionAt: evicted ? at : (previous?.lastEvictionAt ?? null),
    };
    return this.storage;
  }

  /**
   * Writes (or, for undefined, deletes) a meta record; a full disk keeps the value in memory only.
   * An eviction deletes articles first, so the record that follows it usually has room.
   */
  private async metaWrite(db: LibraryDb, key: string, value: unknown): Promise<void> {
    try {
      if (value === undefined) await db.delete('meta', key);
      else await db.put('meta', value, key);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
  }

  /** What pruning and eviction sort by, for every article (the index given has every shard loaded). */
  private summaries(index: StoryIndex) {
    return [...index.all()].map((a) => ({ id: a.id, kind: a.kind, sortAt: a.sortAt ?? a.publishedAt ?? '1970-01-01T00:00:00Z' }));
  }

  async removeIds(ids: readonly string[], reason?: 'storage-full' | 'retention'): Promise<number> {
    if (ids.length === 0) return 0;
    const { db, index } = await this.indexFor([], ids);
    const history = ids.filter((id) => index.get(id)?.kind === 'history').length;
    const token = writeToken();
    await deleteArticles(db, ids, token);
    for (const id of ids) {
      index.remove(id);
      this.covered.set(id, token);
    }
    if (reason) {
      this.lastPrune = { at: new Date(this.now()).toISOString(), removed: ids.length, reason, history };
      await this.metaWrite(db, 'lastPrune', this.lastPrune);
    }
    this.scheduleSave(index);
    return ids.length;
  }

  async removeKind(kind: 'history' | 'import' | 'feed'): Promise<number> {
    const db = await this.db();
    return this.removeIds(await db.getAllKeysFromIndex('articles', 'kind', kind));
  }

  async removeFeedArticles(feedId: string): Promise<number> {
    const db = await this.db();
    return this.removeIds(await db.getAllKeysFromIndex('articles', 'feedId', feedId));
  }

  /** Retention window and size cap (settings): the oldest non-seed articles go first. */
  async prune(): Promise<number> {
    const settings = await this.settings();
    const index = await this.index();
    const victims = pruneList(this.summaries(index), {
      retentionDays: settings.retentionDays,
      maxArticles: settings.maxArticles,
      now: this.now(),
    });
    return this.removeIds(victims, 'retention');
  }

  async stats(): Promise<LibraryStats> {
    const { index } = await this.ready;
    return {
      total: index.documentCount,
      byKind: index.countByKind(),
      lastPrune: this.lastPrune,
      storage: this.storage,
      indexSavedAt: this.indexSavedAt,
      startup: this.startup,
      replayed: this.replayed,
      indexSaveMs: this.lastSaveMs === null ? null : Math.round(this.lastSaveMs),
      startupMs: this.startupMs,
      shardsRead: this.shardsRead,
    };
  }
}
