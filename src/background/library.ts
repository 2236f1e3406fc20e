import type { Article } from '../core/article';
import { StoryIndex } from '../index/engine';
import {
  deleteArticles,
  isQuotaError,
  openLibrary,
  parseSnapshot,
  putArticles,
  saveSnapshot,
  StorageFullError,
  type IndexSnapshot,
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
 * When the full index snapshot (6 MB at 54k articles, seconds to write) is rewritten. Between two
 * snapshots the stored articles themselves are the journal: every change is written to IndexedDB
 * before it is indexed, each record with its change stamp, and revive replays exactly the records
 * whose stamps differ from the snapshot's (added, replaced, deleted). So a trickle (a feed poll, a
 * page read) costs one small article write and is never lost to the 30 s idle stop, and the big
 * snapshot is rewritten only once the replay a wake-up would do grows past `compactAt` articles,
 * or after a bulk change (an import), SAVE_DELAY_MS after the last batch.
 */
export const SAVE_DELAY_MS = 2000;
/** Changes since the snapshot at which it is rewritten: 1% of the library, between 50 and 500. */
export function compactAt(articles: number): number {
  return Math.min(500, Math.max(50, Math.round(articles * 0.01)));
}
/** Share of the library that may differ from the snapshot and still be repaired rather than rebuilt. */
const MAX_DRIFT = 0.2;
/** ...or this many articles, whichever is more: replaying a hundred adds beats any rebuild. */
const MIN_DRIFT_ARTICLES = 100;

/**
 * The saved index over the stored articles, or null when it cannot be trusted and must be rebuilt:
 * of another version, corrupt, without change stamps, or too far from the articles (RELIABILITY
 * row 2). Articles added or deleted since the snapshot are replayed by StoryIndex.fromJSON; an
 * article replaced under the same id since (another change stamp) would keep its old terms there,
 * so it is analysed again here (issue 9, finding 7). Its old terms stay counted in the word
 * statistics until the next rebuild, as deleted articles' do: a small bias in idf, not in retrieval.
 */
function revive(snapshot: IndexSnapshot, articles: readonly StoredArticle[]): { index: StoryIndex; drift: number } | null {
  if (!snapshot.stamps) return null;
  const stamps = new Map(Object.entries(snapshot.stamps));
  const replaced: StoredArticle[] = [];
  let added = 0;
  for (const article of articles) {
    const stamp = stamps.get(article.id);
    if (stamp === undefined) {
      added++;
      continue;
    }
    if (stamp !== changeStamp(article)) replaced.push(article);
    stamps.delete(article.id);
  }
  // Left in the map: deleted since the snapshot.
  const drift = added + stamps.size + replaced.length;
  const allowed = Math.max(MAX_DRIFT * snapshot.articleCount, MIN_DRIFT_ARTICLES);
  if (drift > allowed) return null;
  try {
    const index = StoryIndex.fromJSON(snapshot.index, articles, undefined, { maxDrift: allowed / Math.max(snapshot.articleCount, 1) });
    for (const article of replaced) index.remove(article.id);
    index.addAll(replaced);
    return { index, drift };
  } catch {
    return null;
  }
}

/**
 * The service worker's library: every stored article in IndexedDB and the MiniSearch index over
 * them, revived from its saved snapshot on wake-up and rebuilt from the articles when the snapshot
 * is missing, stale, corrupt or of another version (RELIABILITY rows 2, 5, 36). Every caller waits
 * for one `ready` promise, so a match that arrives during the revive is answered after it.
 */
export class Library {
  private readonly ready: Promise<{ db: LibraryDb; index: StoryIndex }>;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Articles added or removed since the last snapshot. */
  private unsaved = 0;
  private lastPrune: PruneRecord | null = null;
  private storage: StorageStatus | null = null;
  private readonly now: () => number;
  private readonly saveDelayMs: number;
  private indexSavedAt: string | null = null;
  /** How the index came up this time ("revived" or "rebuilt"), for tests and the benchmark. */
  startup: 'revived' | 'rebuilt' | null = null;
  /** Articles replayed into the revived snapshot at start (changed since it was written). */
  replayed = 0;
  /** Whether a snapshot exists that revive can start from; without one any change saves soon. */
  private snapshotBase = false;
  /** Where the start went (ms): reading articles and snapshot, parsing it, reviving or rebuilding the index. */
  startupMs: { read: number; parse: number; index: number } | null = null;
  /** How long the last snapshot took to write (serialise and store), for the benchmark. */
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
    // The articles and the snapshot are read at once: IndexedDB reads both while the worker waits.
    const started = performance.now();
    const [articles, stored] = await Promise.all([db.getAll('articles'), db.get('meta', 'index').catch(() => undefined)]);
    const read = performance.now();
    let snapshot: IndexSnapshot | undefined;
    try {
      snapshot = parseSnapshot(stored);
    } catch {
      snapshot = undefined;
    }
    const parsed = performance.now();
    const revived = snapshot ? revive(snapshot, articles) : null;
    let index: StoryIndex | null = null;
    if (revived) {
      index = revived.index;
      this.startup = 'revived';
      this.indexSavedAt = snapshot!.savedAt;
      this.snapshotBase = true;
      this.replayed = revived.drift;
      // What was replayed counts toward the next rewrite, so replays stay small.
      if (revived.drift > 0) this.scheduleSave(revived.drift);
    }
    if (!index) {
      index = new StoryIndex();
      index.addAll(articles);
      this.startup = 'rebuilt';
      this.scheduleSave(articles.length);
    }
    this.startupMs = { read: Math.round(read - started), parse: Math.round(parsed - read), index: Math.round(performance.now() - parsed) };
    return { db, index };
  }

  private scheduleSave(changed: number): void {
    this.unsaved += changed;
    void this.ready.then(({ index }) => {
      // A trickle stays in the articles store (the journal) until the replay would grow too long.
      if (this.snapshotBase && this.unsaved < compactAt(index.documentCount)) return;
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => void this.saveNow().catch(() => undefined), this.saveDelayMs);
    });
  }

  /** Writes the index snapshot now (also used by tests and the benchmark). */
  async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    const { db, index } = await this.ready;
    const started = performance.now();
    const savedAt = new Date(this.now()).toISOString();
    const unsaved = this.unsaved;
    this.unsaved = 0;
    const stamps = Object.fromEntries(Array.from(index.all(), (a) => [a.id, changeStamp(a)]));
    try {
      await saveSnapshot(db, { articleCount: index.documentCount, savedAt, index: index.toJSON(), stamps });
    } catch (error) {
      // Not saved (a full disk): the changes still count toward the next attempt.
      this.unsaved += unsaved;
      throw error;
    }
    this.snapshotBase = true;
    this.indexSavedAt = savedAt;
    this.lastSaveMs = performance.now() - started;
  }

  async index(): Promise<StoryIndex> {
    return (await this.ready).index;
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
    const { db, index } = await this.ready;
    let written: StoredArticle[];
    try {
      written = await putArticles(db, articles);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      written = await this.whenFull(db, index, articles);
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
    this.scheduleSave(changed.length);
  }

  /**
   * A write refused for lack of space (RELIABILITY row 12; issue 9, finding 6). The first failure
   * of an episode evicts a tenth of the non-seed articles (feed articles first, then imports) and
   * retries once; later failures evict nothing until a write succeeds or the backoff has passed,
   * so a disk that stays full does not empty the library one poll at a time. Reading history is
   * evicted only for a write of the person's own data (history or an import) when nothing else is
   * left, and the prune record counts it. Every failure is recorded for the options page.
   */
  private async whenFull(db: LibraryDb, index: StoryIndex, articles: readonly StoredArticle[]): Promise<StoredArticle[]> {
    const personal = articles.some((a) => a.kind === 'history' || a.kind === 'import');
    const victims = evictionDue(this.storage, this.now()) ? evictionList(this.summaries(index), { share: EVICTION_SHARE, history: personal }) : [];
    // Recorded before the first await: a write failing at the same moment sees this eviction and waits.
    const status = this.noteFailure(articles.length, victims.length > 0);
    if (victims.length > 0) {
      await this.removeIds(victims, 'storage-full');
      await this.metaWrite(db, 'storage', status);
      try {
        return await putArticles(db, articles);
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

  private summaries(index: StoryIndex) {
    return [...index.all()].map((a) => {
      const s = a as StoredArticle;
      return { id: s.id, kind: s.kind, sortAt: s.sortAt ?? s.publishedAt ?? '1970-01-01T00:00:00Z' };
    });
  }

  async removeIds(ids: readonly string[], reason?: 'storage-full' | 'retention'): Promise<number> {
    if (ids.length === 0) return 0;
    const { db, index } = await this.ready;
    const history = ids.filter((id) => index.get(id)?.kind === 'history').length;
    await deleteArticles(db, ids);
    for (const id of ids) index.remove(id);
    if (reason) {
      this.lastPrune = { at: new Date(this.now()).toISOString(), removed: ids.length, reason, history };
      await this.metaWrite(db, 'lastPrune', this.lastPrune);
    }
    this.scheduleSave(ids.length);
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
    const index = await this.index();
    const byKind: Record<string, number> = {};
    for (const a of index.all()) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    return {
      total: index.documentCount,
      byKind,
      lastPrune: this.lastPrune,
      storage: this.storage,
      indexSavedAt: this.indexSavedAt,
      startup: this.startup,
      replayed: this.replayed,
      indexSaveMs: this.lastSaveMs === null ? null : Math.round(this.lastSaveMs),
      startupMs: this.startupMs,
    };
  }
}
