import type { Article } from '../core/article';
import { StoryIndex } from '../index/engine';
import {
  deleteArticles,
  loadSnapshot,
  openLibrary,
  putArticles,
  saveSnapshot,
  type LibraryDb,
} from '../corpus/library-db';
import { pruneList, toStored, type StoredArticle } from '../corpus/records';
import type { Settings } from '../settings/schema';

export interface LibraryStats {
  total: number;
  byKind: Record<string, number>;
  /** The last time articles were pruned for space or age, and how many. */
  lastPrune: { at: string; removed: number; reason: 'storage-full' | 'retention' } | null;
  indexSavedAt: string | null;
  /** How the index came up when the worker last started: revived from its snapshot, or rebuilt. */
  startup: 'revived' | 'rebuilt' | null;
}

/**
 * How long after the last change the index snapshot is written: a burst of feed items saves once,
 * and a large library (a 6 MB snapshot at 50k articles) is not rewritten on every page read.
 * Changes not yet saved when the worker stops are replayed from the stored articles on revive.
 */
function saveDelayMs(articles: number, unsaved: number): number {
  // A bulk change (an import) is saved at once: replaying it would cost as much as a rebuild.
  if (unsaved >= 500) return 2000;
  return Math.min(60_000, Math.max(2000, articles));
}
/** Share of the library that may differ from the snapshot and still be repaired rather than rebuilt. */
const MAX_DRIFT = 0.2;
/** ...or this many articles, whichever is more: replaying a hundred adds beats any rebuild. */
const MIN_DRIFT_ARTICLES = 100;

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
  private lastPrune: LibraryStats['lastPrune'] = null;
  private indexSavedAt: string | null = null;
  /** How the index came up this time ("revived" or "rebuilt"), for tests and the benchmark. */
  startup: 'revived' | 'rebuilt' | null = null;

  constructor(
    readonly settings: () => Promise<Settings>,
    seeds: readonly Article[],
    dbName?: string,
  ) {
    this.ready = this.open(seeds, dbName);
  }

  private async open(seeds: readonly Article[], dbName?: string) {
    const db = await openLibrary(dbName);
    this.lastPrune = ((await db.get('meta', 'lastPrune')) as LibraryStats['lastPrune'] | undefined) ?? null;
    // Seeds ship with the build: store this build's set, drop any a previous build had.
    const now = new Date();
    const seedRecords = seeds.map((s) => toStored(s, now));
    const storedSeedIds = await db.getAllKeysFromIndex('articles', 'kind', 'seed');
    const stale = storedSeedIds.filter((id) => !seedRecords.some((s) => s.id === id));
    const missing = [];
    for (const seed of seedRecords) if (!(await db.getKey('articles', seed.id))) missing.push(seed);
    if (stale.length || missing.length) {
      await deleteArticles(db, stale);
      await putArticles(db, missing);
    }
    const articles = await db.getAll('articles');
    const snapshot = await loadSnapshot(db).catch(() => undefined);
    let index: StoryIndex | null = null;
    if (snapshot) {
      try {
        const drift = Math.max(MAX_DRIFT, MIN_DRIFT_ARTICLES / Math.max(snapshot.articleCount, 1));
        index = StoryIndex.fromJSON(snapshot.index, articles, undefined, { maxDrift: drift });
        this.startup = 'revived';
        this.indexSavedAt = snapshot.savedAt;
      } catch {
        index = null;
      }
    }
    if (!index) {
      index = new StoryIndex();
      index.addAll(articles);
      this.startup = 'rebuilt';
      this.scheduleSave(articles.length);
    }
    return { db, index };
  }

  private scheduleSave(changed: number): void {
    this.unsaved += changed;
    clearTimeout(this.saveTimer);
    void this.ready.then(({ index }) => {
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => void this.saveNow(), saveDelayMs(index.documentCount, this.unsaved));
    });
  }

  /** Writes the index snapshot now (also used by tests and the benchmark). */
  async saveNow(): Promise<void> {
    clearTimeout(this.saveTimer);
    const { db, index } = await this.ready;
    const savedAt = new Date().toISOString();
    this.unsaved = 0;
    await saveSnapshot(db, { articleCount: index.documentCount, savedAt, index: index.toJSON() });
    this.indexSavedAt = savedAt;
  }

  async index(): Promise<StoryIndex> {
    return (await this.ready).index;
  }

  async db(): Promise<LibraryDb> {
    return (await this.ready).db;
  }

  /** Stores and indexes articles; an article already stored under the same key is replaced. */
  async add(articles: readonly StoredArticle[]): Promise<void> {
    if (articles.length === 0) return;
    const { db, index } = await this.ready;
    let written: StoredArticle[];
    try {
      written = await putArticles(db, articles);
    } catch (error) {
      if ((error as DOMException)?.name !== 'QuotaExceededError') throw error;
      // Storage full (RELIABILITY row 12): drop the oldest tenth of non-seed articles, say so, retry once.
      const victims = pruneList(this.summaries(index), { retentionDays: 36500, maxArticles: Math.floor(index.documentCount * 0.9), now: Date.now() });
      await this.removeIds(victims, 'storage-full');
      written = await putArticles(db, articles);
    }
    // A history entry refused because a feed or import record holds its id is not indexed either.
    index.addAll(written);
    this.scheduleSave(written.length);
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
    await deleteArticles(db, ids);
    for (const id of ids) index.remove(id);
    if (reason) {
      this.lastPrune = { at: new Date().toISOString(), removed: ids.length, reason };
      await db.put('meta', this.lastPrune, 'lastPrune');
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
      now: Date.now(),
    });
    return this.removeIds(victims, 'retention');
  }

  async stats(): Promise<LibraryStats> {
    const index = await this.index();
    const byKind: Record<string, number> = {};
    for (const a of index.all()) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
    return { total: index.documentCount, byKind, lastPrune: this.lastPrune, indexSavedAt: this.indexSavedAt, startup: this.startup };
  }
}
