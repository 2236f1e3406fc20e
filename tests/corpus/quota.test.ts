import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Feeds } from '../../src/background/feeds';
import { createHandlers } from '../../src/background/handlers';
import { ImportJobs } from '../../src/background/import-job';
import { errorText } from '../../src/ui/errors';
import { Library, parseStorageStatus, SAVE_BACKOFF_MS } from '../../src/background/library';
import type { FetchOutcome } from '../../src/corpus/feeds/fetch';
import * as db from '../../src/corpus/library-db';
import { fromFeedItem, fromPage } from '../../src/corpus/records';
import { DEFAULTS } from '../../src/settings/schema';
import { feedRecord } from '../fixtures/feed-record';

const settings = async () => ({ ...DEFAULTS });
const page = (i: number) =>
  fromPage(
    {
      url: `https://x.example/${i}`,
      headline: `Headline number ${i} about the council budget`,
      description: null,
      siteName: 'X',
      canonicalUrl: null,
      publishedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
      lang: 'en',
    },
    new Date('2025-06-02T12:00:00Z'),
  );

const FEED = feedRecord({
  url: 'https://wire.example/rss',
  title: 'Wire',
  addedAt: '2025-05-01T00:00:00.000Z',
  nextPollAt: '2025-05-01T00:00:00.000Z',
  privateHost: null,
});
const feedItem = (i: number) =>
  fromFeedItem(
    {
      title: `Wire story ${i} on the harbour works`,
      url: `https://wire.example/s/${i}`,
      guid: `s${i}`,
      publishedAt: new Date(Date.UTC(2025, 1, 1 + i)).toISOString(),
      description: null,
    },
    FEED,
    new Date('2025-06-02T12:00:00Z'),
  );
const rss = (poll: number) =>
  new TextEncoder().encode(
    `<rss><channel><title>Wire</title><item><title>Poll ${poll}: ferry strike enters its third day</title><link>https://wire.example/p/${poll}</link></item></channel></rss>`,
  );
const ok = (bytes: Uint8Array, finalUrl: string): FetchOutcome => ({
  kind: 'ok',
  bytes,
  contentType: 'application/rss+xml',
  etag: null,
  lastModified: null,
  maxAgeSeconds: null,
  finalUrl,
});

/**
 * A full disk, as IndexedDB reports it: every write to these stores aborts its transaction with a
 * QuotaExceededError (the request itself fails with AbortError). Deletes still go through, as they
 * do in a browser whose quota is used up. Returns a function that frees the space again.
 */
const INTERNAL_ABORT = '_abort';
function fillStorage(stores: readonly string[] = ['articles']): () => void {
  const proto = IDBObjectStore.prototype;
  const original = proto.put;
  const doomed = new WeakSet<IDBTransaction>();
  proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    const request = original.apply(this, args);
    const tx = this.transaction;
    if (stores.includes(this.name) && !doomed.has(tx)) {
      doomed.add(tx);
      // fake-indexeddb's internal abort-with-error: the public abort() can only say AbortError.
      const abort = (tx as unknown as Record<string, unknown>)[INTERNAL_ABORT];
      if (typeof abort !== 'function') throw new Error('fake-indexeddb changed: no internal abort to simulate a full disk');
      queueMicrotask(() => abort.call(tx, 'QuotaExceededError'));
    }
    return request;
  };
  return () => {
    proto.put = original;
  };
}

let dbCount = 0;
const freshName = () => `quota-test-${++dbCount}`;
let free: (() => void) | null = null;

describe('a full storage quota (RELIABILITY row 12)', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => {
    free?.();
    free = null;
  });

  it('drops the oldest non-seed articles, says so, and stores the new ones', async () => {
    const library = new Library(settings, [], freshName());
    await library.add(Array.from({ length: 20 }, (_, i) => page(i)));
    const spy = vi.spyOn(db, 'putArticles').mockImplementationOnce(async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await library.add([page(100)]);
    expect(spy).toHaveBeenCalledTimes(2);
    const stats = await library.stats();
    // Only history is stored and a history entry is being written: the oldest history goes, and it says so.
    expect(stats.lastPrune).toMatchObject({ reason: 'storage-full', removed: 2, history: 2 });
    expect(stats.total).toBe(19);
    // The write that followed succeeded: the episode is over.
    expect(stats.storage).toBeNull();
    const index = await library.index();
    expect(index.has(page(100).id)).toBe(true);
    expect(index.has(page(0).id)).toBe(false); // the oldest went first
    expect(index.has(page(19).id)).toBe(true);
    spy.mockRestore();
  });

  it('evicts once, not once per poll, while the disk stays full; the feed and the stats say "storage full" (issue 9, finding 6)', async () => {
    const name = freshName();
    let clock = Date.parse('2025-06-02T12:00:00Z');
    const now = () => clock;
    const first = new Library(settings, [], name, { now });
    await first.add([...Array.from({ length: 20 }, (_, i) => feedItem(i)), ...Array.from({ length: 10 }, (_, i) => page(i))]);
    await (await first.db()).put('feeds', { ...FEED });
    free = fillStorage(['articles']);

    const polls = 6;
    for (let poll = 0; poll < polls; poll++) {
      // Each one-minute alarm wakes a fresh worker: what it knows of the episode comes from storage.
      const library = new Library(settings, [], name, { now });
      const feeds = new Feeds({ library, hasPermission: async () => true, fetchFeed: async (url) => ok(rss(poll), url), now });
      const after = await feeds.refresh(FEED.id);
      expect(after.lastError).toEqual({ code: 'storageFull', count: 1 });
      expect(after.failures).toBe(poll + 1);
      // A page read in the same minute fails to be recorded, and evicts nothing either.
      await expect(library.add([page(100 + poll)])).rejects.toThrow(/^storage full/);
      clock += 60_000;
    }

    const library = new Library(settings, [], name, { now });
    const stats = await library.stats();
    // One eviction: a tenth of the 20 feed articles (a feed poll makes room among them), history untouched.
    expect(stats.byKind).toEqual({ feed: 18, history: 10 });
    expect(stats.lastPrune).toMatchObject({ reason: 'storage-full', removed: 2, history: 0, at: '2025-06-02T12:00:00.000Z' });
    expect(stats.storage).toMatchObject({
      since: '2025-06-02T12:00:00.000Z',
      evictions: 1,
      lastEvictionAt: '2025-06-02T12:00:00.000Z',
      failures: polls * 2,
      error: { code: 'storageFull', count: 1 },
    });
    expect((await (await library.db()).get('feeds', FEED.id))?.lastError).toEqual({ code: 'storageFull', count: 1 });
    // The oldest feed articles went first.
    const index = await library.index();
    expect([0, 1].map((i) => index.has(feedItem(i).id))).toEqual([false, false]);
    expect(index.has(feedItem(2).id)).toBe(true);
  });

  it('evicts again only after the backoff, and a write that succeeds ends the episode', async () => {
    let clock = Date.parse('2025-06-02T12:00:00Z');
    const library = new Library(settings, [], freshName(), { now: () => clock });
    await library.add(Array.from({ length: 40 }, (_, i) => feedItem(i)));
    free = fillStorage(['articles']);
    await expect(library.add([feedItem(100)])).rejects.toThrow(/^storage full/);
    expect((await library.stats()).byKind).toEqual({ feed: 36 });
    clock += 30 * 60_000; // within the backoff
    await expect(library.add([feedItem(101)])).rejects.toThrow(/^storage full/);
    expect((await library.stats()).byKind).toEqual({ feed: 36 });
    clock += 31 * 60_000; // an hour after the first eviction
    await expect(library.add([feedItem(102)])).rejects.toThrow(/^storage full/);
    expect((await library.stats()).byKind).toEqual({ feed: 32 });
    expect((await library.stats()).storage).toMatchObject({ evictions: 2, failures: 3 });

    free();
    free = null;
    await library.add([feedItem(103)]);
    expect((await library.stats()).storage).toBeNull();
    // A new episode: the first failure may evict at once.
    free = fillStorage(['articles']);
    await expect(library.add([feedItem(104)])).rejects.toThrow(/^storage full/);
    expect((await library.stats()).byKind).toEqual({ feed: 29 });
    expect((await library.stats()).storage).toMatchObject({ evictions: 1, failures: 1 });
  });

  it('two writes failing at once evict once', async () => {
    const library = new Library(settings, [], freshName(), { now: () => Date.parse('2025-06-02T12:00:00Z') });
    await library.add(Array.from({ length: 40 }, (_, i) => feedItem(i)));
    free = fillStorage(['articles']);
    const deletes = vi.spyOn(db, 'deleteArticles');
    const results = await Promise.allSettled([library.add([feedItem(100)]), library.add([feedItem(101)]), library.add([page(1)])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(deletes).toHaveBeenCalledTimes(1);
    expect((await library.stats()).byKind).toEqual({ feed: 36 });
    expect((await library.stats()).storage).toMatchObject({ evictions: 1, failures: 3 });
    deletes.mockRestore();
  });

  it('never evicts reading history to store feed items; evicts it for the person’s own data, and says so', async () => {
    const library = new Library(settings, [], freshName(), { now: () => Date.parse('2025-06-02T12:00:00Z') });
    await library.add(Array.from({ length: 10 }, (_, i) => page(i)));
    free = fillStorage(['articles']);
    await expect(library.add([feedItem(1)])).rejects.toThrow(/^storage full/);
    let stats = await library.stats();
    expect(stats.byKind).toEqual({ history: 10 });
    expect(stats.lastPrune).toBeNull();
    expect(stats.storage).toMatchObject({ evictions: 0, failures: 1 });

    // A page the person reads: nothing else is left to make room, so the oldest history goes.
    await expect(library.add([page(50)])).rejects.toThrow(/^storage full/);
    stats = await library.stats();
    expect(stats.byKind).toEqual({ history: 9 });
    expect(stats.lastPrune).toMatchObject({ reason: 'storage-full', removed: 1, history: 1 });
    expect((await library.index()).has(page(0).id)).toBe(false);
  });

  it('a feed poll on a full disk makes room among feed articles only, never the person’s imports (attack review)', async () => {
    const library = new Library(settings, [], freshName(), { now: () => Date.parse('2025-06-02T12:00:00Z') });
    const imported = (i: number) => ({ ...page(i), id: `imp${i}`, kind: 'import' as const });
    await library.add(Array.from({ length: 30 }, (_, i) => imported(i)));
    await library.add(Array.from({ length: 20 }, (_, i) => feedItem(i)));
    const spy = vi.spyOn(db, 'putArticles').mockImplementationOnce(async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await library.add([feedItem(100)]);
    let stats = await library.stats();
    // A tenth of the 20 feed articles go, the oldest (a tenth of the whole library would be 5): the imports stay.
    expect(stats.byKind).toEqual({ import: 30, feed: 19 });
    expect(stats.lastPrune).toMatchObject({ reason: 'storage-full', removed: 2 });
    const index = await library.index();
    expect(index.has(feedItem(0).id)).toBe(false);
    expect(index.has(feedItem(2).id)).toBe(true);
    spy.mockRestore();

    // No feed article left to make room: the poll fails, and still no import goes.
    const only = new Library(settings, [], freshName(), { now: () => Date.parse('2025-06-02T12:00:00Z') });
    await only.add(Array.from({ length: 30 }, (_, i) => imported(i)));
    free = fillStorage(['articles']);
    await expect(only.add([feedItem(1)])).rejects.toThrow(/^storage full/);
    stats = await only.stats();
    expect(stats.byKind).toEqual({ import: 30 });
    expect(stats.lastPrune).toBeNull();
  });

  it('reads its stored status and prune record as untrusted: a malformed one counts as none', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    const store = await first.db();
    await store.put('meta', { since: 'yesterday', evictions: -1, lastEvictionAt: '9999-01-01T00:00:00Z' }, 'storage');
    await store.put('meta', { at: 5, removed: 'all', reason: 'storage-full' }, 'lastPrune');
    const stats = await new Library(settings, [], name).stats();
    expect(stats.storage).toBeNull();
    expect(stats.lastPrune).toBeNull();
  });

  it('still opens when the seeds cannot be stored, and says why', async () => {
    free = fillStorage(['articles']);
    const seed = {
      id: 'seed-1',
      title: 'A seed story about the harbour',
      source: 'Seed',
      publishedAt: '2025-01-01T00:00:00.000Z',
      url: null,
      kind: 'seed' as const,
    };
    const library = new Library(settings, [seed], freshName());
    const stats = await library.stats();
    expect(stats.total).toBe(0);
    expect(stats.storage).toMatchObject({ failures: 1, error: { code: 'storageFull', count: 1 } });
  });
});

describe('a whole origin full: freeing space still frees it (attack review, helper-32)', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => {
    free?.();
    free = null;
  });
  const EVERY_STORE = ['articles', 'meta', 'feeds'];

  it('evicts (its journal record waits for the room the deletes made), the page is answered, Clear reading history clears', async () => {
    const name = freshName();
    const library = new Library(settings, [], name);
    await library.add([...Array.from({ length: 20 }, (_, i) => feedItem(i)), ...Array.from({ length: 5 }, (_, i) => page(i))]);
    free = fillStorage(EVERY_STORE);
    // The write still fails after the eviction (the disk stays full), but the eviction happened.
    await expect(library.add([page(100)])).rejects.toBeInstanceOf(db.StorageFullError);
    const stats = await library.stats();
    expect(stats.byKind.feed).toBeLessThan(20);
    expect(stats.lastPrune).toMatchObject({ reason: 'storage-full' });
    expect(stats.storage).toMatchObject({ evictions: 1, error: { code: 'storageFull' } });
    // A page read on the full disk is answered; it just is not remembered.
    const handlers = createHandlers(library, {} as Feeds);
    const reader = { tabId: 3, incognito: false, url: 'https://y.example/a' };
    const answer = await handlers.pageRead(
      {
        url: 'https://y.example/a',
        headline: 'Council budget vote delayed',
        description: null,
        siteName: 'Y',
        canonicalUrl: null,
        publishedAt: null,
        lang: 'en',
      },
      reader,
    );
    expect(answer.total).toBeGreaterThanOrEqual(0);
    // The person frees space by hand: reading history goes, all of it.
    expect(await library.removeKind('history')).toBe(5);
    expect((await library.stats()).byKind.history).toBeUndefined();
    // The store and a restarted worker's index agree (the deletions were journalled or counted).
    free();
    free = null;
    const restarted = new Library(settings, [], name);
    const index = await restarted.index();
    expect(index.size).toBe((await restarted.stats()).total);
    expect(index.has(page(0).id)).toBe(false);
  });

  it('an import whose file cannot be kept for lack of room says "storage full", not "something went wrong"', async () => {
    const library = new Library(settings, [], freshName());
    const jobs = new ImportJobs({ library });
    const line = JSON.stringify({
      id: 'x1',
      title: 'Harbour council approves ferry route',
      source: 'Wire',
      publishedAt: '2026-11-20T10:00:00Z',
      url: 'https://wire.example/1',
    });
    const begun = await jobs.begin(1, 1);
    free = fillStorage(EVERY_STORE);
    const refused = await jobs.chunk(begun.jobId, 0, 1, `${line}\n`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(db.StorageFullError);
    expect(errorText(refused)).toBe('storage full: the browser has no room for more articles (1 could not be stored)');
  });

  it('a save of the index refused for lack of room is said, and not tried again after every write', async () => {
    let clock = Date.parse('2025-06-02T12:00:00Z');
    const library = new Library(settings, [], freshName(), { now: () => clock, saveDelayMs: 0 });
    const save = vi.spyOn(db, 'saveIndex').mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    // No saved index yet: every write would schedule a save.
    for (let i = 0; i < 30; i++) {
      await library.add([page(i)]);
      await settle();
    }
    expect(save).toHaveBeenCalledTimes(1);
    expect((await library.stats()).indexSaveRefusedAt).toBe('2025-06-02T12:00:00.000Z');
    // After the backoff a write tries again (and the journal kept every change meanwhile).
    clock += SAVE_BACKOFF_MS + 1;
    save.mockResolvedValue(undefined);
    await library.add([page(100)]);
    await settle();
    expect(save).toHaveBeenCalledTimes(2);
    expect((await library.stats()).indexSaveRefusedAt).toBeNull();
    save.mockRestore();
  });

  it('a connection the browser closed under the worker is opened again by the next change, prune or save (review, helper-34)', async () => {
    const original = db.openLibrary;
    let terminated: (() => void) | undefined;
    const open = vi.spyOn(db, 'openLibrary').mockImplementation((name, onTerminated) => {
      terminated = onTerminated;
      return original(name, onTerminated);
    });
    const library = new Library(settings, [], freshName());
    await library.add([page(1)]);
    (await library.db()).close();
    terminated!();
    await library.add([page(2)]);
    expect(open).toHaveBeenCalledTimes(2);
    expect((await library.stats()).total).toBe(2);
    // Both are past the 30-day retention: the prune alarm's work runs on the new connection too.
    expect(await library.prune()).toBe(2);
    await library.saveNow();
    expect(open).toHaveBeenCalledTimes(2);
    open.mockRestore();
  });

  it('a library that could not open (a new build dropping a seed on a full disk) opens on the next call once there is room', async () => {
    const name = freshName();
    const seed = {
      id: 'seed-old',
      title: 'An old seed story about the harbour',
      source: 'Seed',
      publishedAt: '2025-01-01T00:00:00.000Z',
      url: null,
      kind: 'seed' as const,
    };
    const first = new Library(settings, [seed], name);
    await first.add([page(1)]);
    (await first.db()).close();
    // The new build's seed cannot be stored and the old one must go: it still opens.
    const newSeed = { ...seed, id: 'seed-new', title: 'A new seed story about the ferry strike' };
    free = fillStorage(EVERY_STORE);
    const next = new Library(settings, [newSeed], name);
    expect((await next.stats()).byKind).toEqual({ history: 1 });
    free();
    free = null;
    // An opening that fails outright (here: the database cannot be opened at all) is not kept.
    const open = vi.spyOn(db, 'openLibrary').mockRejectedValueOnce(new DOMException('Internal error opening backing store', 'UnknownError'));
    const third = new Library(settings, [newSeed], freshName());
    await expect(third.stats()).rejects.toThrow('backing store');
    expect((await third.stats()).byKind).toEqual({ seed: 1 });
    expect(open).toHaveBeenCalledTimes(2);
    open.mockRestore();
  });
});

describe('a storage status stored by an earlier version (issue 11)', () => {
  it('keeps its sentence as `earlier`, and still refuses a record that is not one', () => {
    const stored = { since: '2025-06-02T12:00:00.000Z', lastFailureAt: '2025-06-02T12:05:00.000Z', failures: 2, evictions: 1, lastEvictionAt: null };
    expect(parseStorageStatus({ ...stored, error: 'storage full: the browser has no room for 5 more articles' })).toMatchObject({
      failures: 2,
      error: { code: 'earlier', detail: 'storage full: the browser has no room for 5 more articles' },
    });
    expect(parseStorageStatus({ ...stored, error: { code: 'storageFull', count: 5 } })?.error).toEqual({ code: 'storageFull', count: 5 });
    expect(parseStorageStatus({ ...stored, failures: -1, error: { code: 'storageFull', count: 5 } })).toBeNull();
  });
});
