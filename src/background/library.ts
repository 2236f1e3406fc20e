import type { Article } from '../core/article';
import { DAY_MS, HOUR_MS } from '../core/time';
import { INDEX_FINGERPRINT, INDEX_VERSION, StoryIndex, type MatchOptions } from '../index/engine';
import type { StoryText } from '../index/features';
import { parseSegment, toSaved } from '../index/segment';
import {
  deleteArticles,
  getAllArticles,
  getArticles,
  isQuotaError,
  openLibrary,
  putArticles,
  putMeta,
  readIndex,
  readJournal,
  saveIndex,
  StorageFullError,
  writeToken,
  type LibraryDb,
} from '../corpus/library-db';
import { changeStamp, evictionList, pruneList, toStored, type StoredArticle } from '../corpus/records';
import { parseAppError } from '../messaging/errors';
import type { LibraryStats, PruneRecord, StorageStatus } from '../messaging/library-stats';
import type { Settings } from '../settings/schema';
import { noteNewest, parseNewest, type NewestByKind } from './recent-days';

/** Share of the non-seed articles one eviction removes. */
const EVICTION_SHARE = 0.1;
/** No second eviction in an episode before this long after the first; it doubles each time, up to a day. */
export const EVICTION_BACKOFF_MS = HOUR_MS;
const MAX_EVICTION_BACKOFF_MS = DAY_MS;

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
  if (!isIso(r.since) || !isIso(r.lastFailureAt) || !isCount(r.failures) || !isCount(r.evictions)) return null;
  if (r.lastEvictionAt !== null && !isIso(r.lastEvictionAt)) return null;
  return {
    since: r.since,
    lastFailureAt: r.lastFailureAt,
    // Checked; a sentence an earlier version stored is kept as 'earlier'.
    error: parseAppError(r.error),
    failures: r.failures,
    evictions: r.evictions,
    lastEvictionAt: r.lastEvictionAt,
  };
}

/**
 * When the saved index is written. Between two saves the journal (library-db.ts) is the record of
 * what changed: every article written or deleted gets a journal entry in the same transaction, and
 * a wake-up replays exactly those. So a trickle (a feed poll, a page read) costs one small write and
 * is never lost to the 30 s idle stop; the index is saved once the replay a wake-up would do grows
 * past `compactAt` articles, or after a rebuild, SAVE_DELAY_MS after the last write. A save writes
 * the one segment anew and deletes the journal records it covers.
 */
export const SAVE_DELAY_MS = 2000;
/** After a save refused for lack of room, the next is tried no sooner than this. */
export const SAVE_BACKOFF_MS = 10 * 60 * 1000;
/** How long after a wake-up's first answer the stored articles are counted, unless a change asks first. */
export const CHECK_AFTER_ANSWER_MS = 1000;
/** The meta record of the newest publication time per kind. */
const NEWEST = 'newestByKind';
/** Journal entries at which the index is saved: 1% of the library, between 50 and 500. */
export function compactAt(articles: number): number {
  return Math.min(500, Math.max(50, Math.round(articles * 0.01)));
}

/** What a write did: articles new to the library, stored again with other content, and the rest. */
export interface AddResult {
  added: number;
  updated: number;
  /** Stored again unchanged, repeated within the write, or refused (a record of another kind holds its id: see putArticles). */
  unchanged: number;
}

/** Counts a write against the index as it was before it (the articles' stored copies read). */
function countChanges(offered: number, written: readonly StoredArticle[], index: StoryIndex): AddResult {
  const result: AddResult = { added: 0, updated: 0, unchanged: offered - written.length };
  const seen = new Set<string>();
  for (const article of written) {
    if (seen.has(article.id)) {
      result.unchanged++;
      continue;
    }
    seen.add(article.id);
    const old = index.get(article.id);
    if (!old && !index.has(article.id)) result.added++;
    else if (!old || changeStamp(old) !== changeStamp(article)) result.updated++;
    else result.unchanged++;
  }
  return result;
}

type Opened = { db: LibraryDb; index: StoryIndex };

/**
 * The service worker's library: every stored article in IndexedDB and the index over them (issue
 * 13). A wake-up reads the saved index (typed arrays: a copy, not a parse) and the journal,
 * replays the journal and answers; the articles an answer ranks are read by id. The index is
 * rebuilt from the articles when the saved one is missing, of another version or corrupt, and
 * when it does not match them (RELIABILITY rows 2, 5, 36). That last check counts the stored
 * articles, which IndexedDB does by walking every record (~100 ms at 54k, during which the
 * database answers nothing else, not even the few records an answer reads): it runs when the
 * first change or figure asks for it (`checked()`), or CHECK_AFTER_ANSWER_MS after the first
 * answer, never before it. Answers wait only for `ready`, so a match that arrives during the
 * wake-up is answered after it, never with "no matches".
 */
export class Library {
  /** The index to answer from: revived (or rebuilt); replaced if the check finds it does not match. */
  private ready: Promise<Opened>;
  /** Opens the library again (the seeds and database name it was made with). */
  private readonly reopen: () => Promise<Opened>;
  /** The last opening failed, or the connection was closed: the next call opens again. */
  private broken = false;
  /** Told when a rebuild starts and ends (the worker keeps it in storage.session for the popup). */
  private readonly onBuilding?: (building: boolean) => Promise<void>;
  /** A save refused for lack of room: none is scheduled before this time (ms). */
  private saveRefusedUntil = 0;
  /** When the last save was refused for lack of room (ISO); null once one succeeds. */
  private saveRefusedAt: string | null = null;
  /** `ready`, once the revived index is known to match the stored articles (or was rebuilt); see checked(). */
  private checking: Promise<Opened> | null = null;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Journal records (write tokens) the index has applied and no save has covered yet, with their size. */
  private readonly covered = new Map<string, number>();
  private lastPrune: PruneRecord | null = null;
  private storage: StorageStatus | null = null;
  private readonly now: () => number;
  private readonly saveDelayMs: number;
  private indexSavedAt: string | null = null;
  /** How the index came up this time ("revived" or "rebuilt"), for tests and the benchmark. */
  startup: 'revived' | 'rebuilt' | null = null;
  /** Articles replayed from the journal at start (changed since the index was saved). */
  replayed = 0;
  /** Whether a saved index exists that a wake-up can start from; without one any change saves soon. */
  private snapshotBase = false;
  /** Where the start went (ms): see LibraryStats.startupMs. */
  startupMs: LibraryStats['startupMs'] = null;
  /** How long the last save took (merge and store), for the benchmark. */
  lastSaveMs: number | null = null;
  /** The newest publication time per kind, for headlines with no date at all (recent-days.ts). */
  private newest: NewestByKind = {};

  constructor(
    readonly settings: () => Promise<Settings>,
    seeds: readonly Article[],
    dbName?: string,
    options: { now?: () => number; saveDelayMs?: number; onBuilding?: (building: boolean) => Promise<void> } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onBuilding = options.onBuilding;
    this.saveDelayMs = options.saveDelayMs ?? SAVE_DELAY_MS;
    this.reopen = () => this.open(seeds, dbName);
    this.ready = this.start();
  }

  /** Opens the library; a failed opening is tried again by the next call that needs it (opened()). */
  private start(): Promise<Opened> {
    const ready = this.reopen();
    ready.catch(() => {
      if (this.ready === ready) this.broken = true;
    });
    return ready;
  }

  /**
   * `ready`, opened afresh when the last opening failed or the browser closed the database under
   * the worker (storage cleared, a disk error): a worker kept alive by the pages it badges would
   * otherwise answer every message with that one failure until it was stopped (attack review,
   * helper-32).
   */
  private opened(): Promise<Opened> {
    if (this.broken) {
      this.broken = false;
      this.checking = null;
      this.ready = this.start();
    }
    return this.ready;
  }

  /**
   * The index once it is known to match the stored articles: the check starts on the first call
   * (a change, a figure, the whole library) and runs once per wake-up.
   */
  private checked(): Promise<Opened> {
    // A connection the browser closed: opened afresh (which clears `checking`), then checked again.
    if (this.broken) void this.opened();
    if (!this.checking) {
      clearTimeout(this.checkTimer);
      const checking = this.opened().then((opened) => this.check(opened));
      this.checking = checking;
      // A failed start or check is reported to whoever waits for it, not also as an unhandled
      // rejection, and tried again by the next call.
      checking.catch(() => {
        if (this.checking === checking) this.checking = null;
      });
    }
    return this.checking;
  }

  private async open(seeds: readonly Article[], dbName?: string) {
    // In a worker, performance.now() counts from the worker's start: what loading the code took.
    const boot = performance.now();
    const db = await openLibrary(dbName, () => {
      this.broken = true;
    });
    // The saved index is the long read: it starts now, beside the small reads below rather than
    // after them (the seeds' write, when there is one, does not change it).
    const savedIndex = readIndex(db).catch(() => undefined);
    const [lastPrune, storage, newestRecord, storedSeedList] = await Promise.all([
      db.get('meta', 'lastPrune'),
      db.get('meta', 'storage'),
      db.get('meta', NEWEST),
      db.getAllFromIndex('articles', 'kind', 'seed'),
    ]);
    this.lastPrune = parsePruneRecord(lastPrune);
    this.storage = parseStorageStatus(storage);
    // Seeds are this build's: their newest is theirs, whatever a previous build had.
    const newest = parseNewest(newestRecord);
    delete newest.seed;
    this.newest = noteNewest(newest, seeds, this.now());
    // Seeds ship with the build: store this build's set (a seed whose text changed is stored
    // again), drop any a previous build had.
    const now = new Date(this.now());
    const seedRecords = seeds.map((s) => toStored(s, now));
    const storedSeeds = new Map(storedSeedList.map((s) => [s.id, s.rev]));
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
    const loader = (ids: readonly string[]) => getArticles(db, ids);
    // The journal after the seeds' write, which it includes.
    const started = performance.now();
    const [saved, journal] = await Promise.all([savedIndex, readJournal(db)]);
    const read = performance.now();
    let parsed = read;
    const times = (end: number) => ({
      boot: Math.round(boot),
      open: Math.round(started - boot),
      read: Math.round(read - started),
      parse: Math.round(parsed - read),
      index: Math.round(end - parsed),
    });
    try {
      const segment = parseSegment(saved, { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT });
      const index = StoryIndex.revive(segment, undefined, loader);
      parsed = performance.now();
      this.replayed = await this.replay(db, index, journal);
      this.startup = 'revived';
      this.indexSavedAt = segment.savedAt;
      this.snapshotBase = true;
      this.startupMs = times(performance.now());
      if (journal.size) this.scheduleSave(index);
      return { db, index };
    } catch {
      // Missing, of another version or corrupt: rebuilt (below).
    }
    const rebuilt = await this.rebuild(db, journal);
    this.startupMs = times(performance.now());
    return rebuilt;
  }

  /**
   * Whether the index is being built from the stored articles (no saved index, another version,
   * or one out of step with the store): seconds at 54,000 articles, while answers wait. The popup
   * says so rather than only "Looking for related stories…" (PRODUCT.md, the popup's states).
   */
  get building(): boolean {
    return this.rebuilding > 0;
  }
  private rebuilding = 0;

  /** The index built from every stored article; the journal's records are covered by its first save. */
  private async rebuild(db: LibraryDb, journal: ReadonlyMap<string, string[]>): Promise<Opened> {
    this.rebuilding++;
    // Stored before the build, which holds the worker: the popup reads it meanwhile.
    await this.onBuilding?.(true);
    try {
      return await this.rebuildNow(db, journal);
    } finally {
      this.rebuilding--;
      if (this.rebuilding === 0) await this.onBuilding?.(false);
    }
  }

  private async rebuildNow(db: LibraryDb, journal: ReadonlyMap<string, string[]>): Promise<Opened> {
    const all = await getAllArticles(db);
    const index = StoryIndex.build(all, undefined, (ids) => getArticles(db, ids));
    // Every article is at hand: the newest per kind is known exactly (also for a library stored before it was kept).
    this.newest = noteNewest({}, all, this.now());
    await this.metaWrite(db, NEWEST, this.newest);
    this.startup = 'rebuilt';
    this.snapshotBase = false;
    this.replayed = 0;
    this.covered.clear();
    for (const [token, ids] of journal) this.covered.set(token, ids.length);
    this.scheduleSave(index);
    return { db, index };
  }

  /**
   * After a revive: whether the index holds as many articles as the store (an article written or
   * deleted behind the journal's back, by another tool or a bug, makes them disagree). If not, the
   * index is rebuilt and answers come from the rebuilt one. No change is made before this is done
   * (every change waits for `checked()`), so the two counts are of the same moment.
   */
  private async check(opened: Opened): Promise<Opened> {
    if (this.startup !== 'revived') return opened;
    const count = await opened.db.count('articles');
    if (opened.index.size === count) return opened;
    const journal = await readJournal(opened.db);
    const rebuilt = await this.rebuild(opened.db, journal);
    this.ready = Promise.resolve(rebuilt);
    return rebuilt;
  }

  /**
   * Applies the journal to a revived index: each article written since the save is indexed again,
   * each one deleted since is dropped. Returns how many articles were replayed.
   */
  private async replay(db: LibraryDb, index: StoryIndex, journal: ReadonlyMap<string, string[]>): Promise<number> {
    const ids = [...new Set([...journal.values()].flat())];
    if (ids.length === 0) return 0;
    const records = await getArticles(db, ids);
    index.removeAll(ids);
    index.addAll(records.filter((r): r is StoredArticle => r !== undefined));
    for (const [token, written] of journal) this.covered.set(token, written.length);
    return ids.length;
  }

  /**
   * The index, with the articles these queries' candidates are read so that they can be ranked
   * (the worker holds the saved index, not every article). With no queries, every article is read
   * (tests and tools that look at the whole library).
   */
  async index(queries?: readonly StoryText[], options?: MatchOptions): Promise<StoryIndex> {
    if (!queries) {
      const { index } = await this.checked();
      await index.loadAll();
      return index;
    }
    const { index } = await this.opened();
    await index.load(queries, options);
    // The check after the first answer's reads, and after those of the answers a page load brings
    // with it (the page, its headlines, the popup): while IndexedDB counts, it reads nothing else.
    if (!this.checking && this.checkTimer === undefined) this.checkTimer = setTimeout(() => void this.checked().catch(() => undefined), CHECK_AFTER_ANSWER_MS);
    return index;
  }

  private scheduleSave(index: StoryIndex): void {
    // A trickle stays in the journal until the replay would grow too long.
    let journaled = 0;
    for (const size of this.covered.values()) journaled += size;
    if (this.snapshotBase && journaled < compactAt(index.size)) return;
    // A save refused for lack of room waits out its backoff, not tried again after every write.
    if (this.now() < this.saveRefusedUntil) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.saveNow().catch((error: unknown) => this.saveRefused(error)), this.saveDelayMs);
  }

  /**
   * A save of the index the disk had no room for (attack review, helper-32: 73 attempts in 120
   * writes, each storing the whole index, none said anywhere): the options page says so
   * (LibraryStats.indexSaveRefusedAt), and the next try waits SAVE_BACKOFF_MS. The journal keeps
   * every change meanwhile; a start replays it.
   */
  private saveRefused(error: unknown): void {
    if (!isQuotaError(error)) return;
    this.saveRefusedUntil = this.now() + SAVE_BACKOFF_MS;
    this.saveRefusedAt = new Date(this.now()).toISOString();
  }

  /** Saves the index now, folding the changes since the last save into it (also used by tests and the benchmark). */
  async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    const { db, index } = await this.checked();
    const started = performance.now();
    const savedAt = new Date(this.now()).toISOString();
    const covered = new Set(this.covered.keys());
    const saved = toSaved(index.compact(), { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT, savedAt });
    await saveIndex(db, saved, covered);
    for (const token of covered) this.covered.delete(token);
    this.snapshotBase = true;
    this.indexSavedAt = savedAt;
    this.saveRefusedAt = null;
    this.saveRefusedUntil = 0;
    this.lastSaveMs = performance.now() - started;
  }

  async db(): Promise<LibraryDb> {
    return (await this.opened()).db;
  }

  /**
   * Stores and indexes articles; an article already stored under the same key is replaced by one of
   * its kind (another kind's record stays: see putArticles). When the disk is full, throws
   * StorageFullError after at most one eviction per episode (see whenFull).
   */
  async add(articles: readonly StoredArticle[]): Promise<AddResult> {
    if (articles.length === 0) return { added: 0, updated: 0, unchanged: 0 };
    const { db, index } = await this.checked();
    // Whether an article is new or changed is read from its stored copy (the index keeps only its terms).
    await index.read(articles.map((a) => a.id));
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
    // A record refused because one of another kind holds its id is not indexed either;
    // one stored again unchanged (a feed item on every poll) is not analysed or counted again.
    const changed = written.filter((a) => {
      const old = index.get(a.id);
      return !old || changeStamp(old) !== changeStamp(a);
    });
    const result = countChanges(articles.length, written, index);
    index.addAll(changed);
    if (written.length) this.covered.set(token, written.length);
    this.scheduleSave(index);
    const newest = noteNewest(this.newest, written, this.now());
    if (newest !== this.newest) {
      this.newest = newest;
      await this.metaWrite(db, NEWEST, newest);
    }
    return result;
  }

  /**
   * A write refused for lack of space (RELIABILITY row 12; issue 9, finding 6). The first failure
   * of an episode evicts a tenth of the articles that may go (feed articles first, then imports:
   * see evictionList) and retries once; later failures evict nothing until a write succeeds or the backoff has passed,
   * so a disk that stays full does not empty the library one poll at a time. A feed poll makes room
   * among feed articles only; imports go only for a write of the person's own data (history or an
   * import), and reading history only for such a write when nothing else is left; the prune record
   * counts it. Every failure is recorded for the options page.
   */
  private async whenFull(db: LibraryDb, articles: readonly StoredArticle[], token: string): Promise<StoredArticle[]> {
    const personal = articles.some((a) => a.kind === 'history' || a.kind === 'import');
    const due = evictionDue(this.storage, this.now());
    const victims = due ? evictionList((await this.opened()).index.summaries(), { share: EVICTION_SHARE, personal }) : [];
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
    throw new StorageFullError(articles.length);
  }

  /** Records a refused write in the storage status, in memory at once; the caller stores it. */
  private noteFailure(count: number, evicted: boolean): StorageStatus {
    const at = new Date(this.now()).toISOString();
    const previous = this.storage;
    this.storage = {
      since: previous?.since ?? at,
      lastFailureAt: at,
      error: { code: 'storageFull', count },
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
      await putMeta(db, key, value);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
  }

  async removeIds(ids: readonly string[], reason?: 'storage-full' | 'retention'): Promise<number> {
    if (ids.length === 0) return 0;
    const { db, index } = await this.checked();
    const history = ids.filter((id) => index.kindOf(id) === 'history').length;
    const token = writeToken();
    await deleteArticles(db, ids, token);
    index.removeAll(ids);
    this.covered.set(token, ids.length);
    if (reason) {
      this.lastPrune = { at: new Date(this.now()).toISOString(), removed: ids.length, reason, history };
      await this.metaWrite(db, 'lastPrune', this.lastPrune);
    }
    this.scheduleSave(index);
    return ids.length;
  }

  /** The newest publication time of each kind of article in the library (recent-days.ts). */
  async newestByKind(): Promise<NewestByKind> {
    await this.opened();
    return this.newest;
  }

  async removeKind(kind: 'history' | 'import' | 'feed'): Promise<number> {
    const db = await this.db();
    if (kind !== 'history' && this.newest[kind] !== undefined) {
      // None of that kind is left: its newest day is no longer the library's.
      this.newest = { ...this.newest };
      delete this.newest[kind];
      await this.metaWrite(db, NEWEST, this.newest);
    }
    return this.removeIds(await db.getAllKeysFromIndex('articles', 'kind', kind));
  }

  async removeFeedArticles(feedId: string): Promise<number> {
    const db = await this.db();
    return this.removeIds(await db.getAllKeysFromIndex('articles', 'feedId', feedId));
  }

  /** Retention window and size cap (settings): the oldest non-seed articles go first. */
  async prune(): Promise<number> {
    const settings = await this.settings();
    const { index } = await this.checked();
    const victims = pruneList(index.summaries(), {
      retentionDays: settings.retentionDays,
      maxArticles: settings.maxArticles,
      now: this.now(),
    });
    return this.removeIds(victims, 'retention');
  }

  async stats(): Promise<LibraryStats> {
    const { index } = await this.checked();
    return {
      total: index.size,
      byKind: index.countByKind(),
      lastPrune: this.lastPrune,
      storage: this.storage,
      indexSavedAt: this.indexSavedAt,
      indexSaveRefusedAt: this.saveRefusedAt,
      startup: this.startup,
      replayed: this.replayed,
      indexSaveMs: this.lastSaveMs === null ? null : Math.round(this.lastSaveMs),
      startupMs: this.startupMs,
    };
  }
}
