import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Feeds } from '../../src/background/feeds';
import { compactAt, Library } from '../../src/background/library';
import type { FetchOutcome } from '../../src/corpus/feeds/fetch';
import * as libraryDb from '../../src/corpus/library-db';
import { putArticles, readJournal, type LibraryDb } from '../../src/corpus/library-db';
import { INDEX_FINGERPRINT, INDEX_VERSION } from '../../src/index/engine';
import { parseSegment } from '../../src/index/segment';
import { fromFeedItem } from '../../src/corpus/records';
import type { StoryIndex } from '../../src/index/engine';
import { DEFAULTS } from '../../src/settings/schema';
import { feedRecord } from '../fixtures/feed-record';

/** Issue 9, finding 7 ("the index goes stale"); RELIABILITY row 2 (the snapshot and the stored articles agree). */
const settings = async () => ({ ...DEFAULTS });
let dbCount = 0;
const freshName = () => `stale-test-${++dbCount}`;
const NOW = new Date('2025-06-02T12:00:00Z');

const FEED = { id: 'f0000000000001', title: 'Wire', url: 'https://wire.example/rss' };
const item = (slug: string, title: string, description: string | null = null) =>
  fromFeedItem({ title, url: `https://wire.example/${slug}`, guid: slug, publishedAt: '2025-06-01T08:00:00.000Z', description }, FEED, NOW);

const background = [
  item('b1', 'Central bank holds interest rates steady again'),
  item('b2', 'Heatwave warning issued for the southern coast'),
  item('b3', 'City council approves a new cycling network'),
  item('b4', 'Football club appoints a new head coach'),
];

/** The saved head, as a wake-up reads it: when it was saved, how many articles, which shards. */
async function loadSnapshot(db: LibraryDb) {
  const raw = await db.get('meta', 'index');
  if (raw === undefined) return undefined;
  const head = parseSegment(raw, { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT });
  return { savedAt: head.savedAt, articleCount: head.ids.length };
}

/** Ids MiniSearch retrieves for these words, before any re-ranking or threshold. */
const retrieved = (index: StoryIndex, words: string) => index.rank({ title: words }, { windowDays: Number.POSITIVE_INFINITY }).map((c) => c.id);

describe('reviving the index after an article was replaced under the same id (issue 9, finding 7)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('finds the new words and not the old ones', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    const original = item('story', 'Harbour workers strike over pay cuts');
    await first.add([...background, original]);
    await first.saveNow();
    // The feed rewrote the story under the same link; the worker stopped before the next snapshot.
    const rewritten = item('story', 'Volcano eruption closes the island airport', 'Ash clouds grounded flights.');
    expect(rewritten.id).toBe(original.id);
    await putArticles(await first.db(), [rewritten]);

    const second = new Library(settings, [], name);
    const index = await second.index();
    expect(second.startup).toBe('revived');
    expect(retrieved(index, 'volcano eruption airport')).toContain(original.id);
    expect(retrieved(index, 'harbour workers strike')).not.toContain(original.id);
    expect(index.get(original.id)?.title).toBe(rewritten.title);
  });

  it('through Library.add too, with additions and deletions since the snapshot in the same revive', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    const original = item('story', 'Harbour workers strike over pay cuts');
    await first.add([...background, original]);
    await first.saveNow();
    const added = item('new', 'Museum returns stolen paintings to the gallery');
    await first.add([item('story', 'Volcano eruption closes the island airport'), added]);
    await first.removeIds([background[0].id]);

    const second = new Library(settings, [], name);
    const index = await second.index();
    expect(second.startup).toBe('revived');
    expect(index.documentCount).toBe(5);
    expect(retrieved(index, 'volcano eruption airport')).toContain(original.id);
    expect(retrieved(index, 'harbour workers strike')).not.toContain(original.id);
    expect(retrieved(index, 'museum stolen paintings')).toContain(added.id);
    expect(index.has(background[0].id)).toBe(false);
  });

  it('stores a seed again when a new build changed its text under the same id', async () => {
    const name = freshName();
    const seed = {
      id: 'seed-harbour',
      title: 'Harbour workers strike over pay cuts',
      source: 'Seed',
      publishedAt: '2025-01-01T00:00:00.000Z',
      url: null,
      kind: 'seed' as const,
    };
    const first = new Library(settings, [seed], name);
    await first.add(background);
    await first.saveNow();
    const second = new Library(settings, [{ ...seed, title: 'Volcano eruption closes the island airport' }], name);
    const index = await second.index();
    expect(second.startup).toBe('revived');
    expect(index.get('seed-harbour')?.title).toBe('Volcano eruption closes the island airport');
    expect(retrieved(index, 'volcano eruption airport')).toContain('seed-harbour');
    expect(retrieved(index, 'harbour workers strike')).not.toContain('seed-harbour');
  });

  it('journals each write beside its article until a save covers it, and replays only the journal', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    await first.add(background);
    const db = await first.db();
    const journaled = async () => [...(await readJournal(db)).values()].flat().sort();
    expect(await journaled()).toEqual(background.map((a) => a.id).sort());
    await first.saveNow();
    expect(await journaled()).toEqual([]);
    const later = item('later', 'Museum returns stolen paintings to the gallery');
    await first.add([later]);
    await first.removeIds([background[1].id]);
    expect(await journaled()).toEqual([later.id, background[1].id].sort());

    const second = new Library(settings, [], name);
    const index = await second.index();
    expect(second.startup).toBe('revived');
    expect(second.replayed).toBe(2);
    expect(index.has(later.id)).toBe(true);
    expect(index.has(background[1].id)).toBe(false);
  });

  it('wakes without reading the articles: an answer reads only its candidates, and answers as the whole index does', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    const filler = Array.from({ length: 200 }, (_, d) =>
      fromFeedItem(
        {
          title: `Museum ${d} opens a new wing for local painters ${d}`,
          url: `https://wire.example/museum-${d}`,
          guid: `m-${d}`,
          publishedAt: '2025-06-01T08:00:00.000Z',
          description: null,
        },
        FEED,
        NOW,
      ),
    );
    const story = Array.from({ length: 5 }, (_, d) =>
      fromFeedItem(
        {
          title: `Harbour strike talks go on as council meets unions (${d})`,
          url: `https://wire.example/strike-${d}`,
          guid: `s-${d}`,
          publishedAt: '2025-06-01T09:00:00.000Z',
          description: null,
        },
        FEED,
        NOW,
      ),
    );
    await first.add([...filler, ...story]);
    await first.saveNow();
    const page = { title: 'Harbour strike talks continue as council meets unions', publishedAt: '2025-06-01T12:00:00.000Z' };
    const whole = (await first.index()).match(page, { minRelevance: 1 });
    expect(whole.map((s) => s.id).sort()).toEqual(story.map((s) => s.id).sort());

    const second = new Library(settings, [], name);
    expect((await second.stats()).total).toBe(205);
    const index = await second.index([page], { windowDays: 7 });
    const read = [...index.all()].length;
    expect(read).toBeGreaterThanOrEqual(story.length);
    expect(read).toBeLessThanOrEqual(40);
    expect(index.match(page, { minRelevance: 1 })).toEqual(whole);
  });

  it('says what a write did: new articles, articles stored again with other content, and the rest', async () => {
    const library = new Library(settings, [], freshName());
    expect(await library.add(background.slice(0, 3))).toEqual({ added: 3, updated: 0, unchanged: 0 });
    const rewritten = item('b1', 'Central bank cuts interest rates at last');
    // One new, one changed, one stored again as it was, and one repeated within the write.
    expect(await library.add([background[3], rewritten, background[2], background[3]])).toEqual({ added: 1, updated: 1, unchanged: 2 });
  });

  it('rebuilds when the saved index is corrupt, and when it does not match the stored articles', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    await first.add(background);
    await first.saveNow();
    const db = await first.db();
    const saved = await db.get('meta', 'index');
    await db.put('meta', { ...(saved as object), postings: 'garbage' }, 'index');
    const second = new Library(settings, [], name);
    expect((await second.stats()).total).toBe(4);
    expect(second.startup).toBe('rebuilt');
    await second.saveNow();
    expect((await new Library(settings, [], name).stats()).startup).toBe('revived');

    // An article deleted behind the journal's back (another tool, a bug): the counts disagree.
    await db.delete('articles', background[0].id);
    const third = new Library(settings, [], name);
    expect((await third.stats()).total).toBe(3);
    expect(third.startup).toBe('rebuilt');
    expect(retrieved(await third.index(), 'heatwave warning coast')).toContain(background[1].id);
  });

  it('says it is building while a rebuild runs, and not once it is done (the popup\'s "index building")', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    await first.add(background);
    // No saved index: the next start rebuilds; the articles' read is held until the test lets it go.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const original = libraryDb.getAllArticles;
    const read = vi.spyOn(libraryDb, 'getAllArticles').mockImplementation(async (d) => {
      await held;
      return original(d);
    });
    // The worker keeps the flag in storage.session, where the popup reads it while the build holds the worker.
    const told: boolean[] = [];
    const second = new Library(settings, [], name, { onBuilding: async (building) => void told.push(building) });
    expect(second.building).toBe(false);
    await vi.waitFor(() => expect(read).toHaveBeenCalled());
    expect(second.building).toBe(true);
    expect(told).toEqual([true]);
    release();
    expect((await second.stats()).total).toBe(4);
    expect(second.startup).toBe('rebuilt');
    expect(second.building).toBe(false);
    expect(told).toEqual([true, false]);
    // A revived index is no build: nothing said.
    await second.saveNow();
    const third = new Library(settings, [], name, { onBuilding: async (building) => void told.push(building) });
    await third.stats();
    expect(third.startup).toBe('revived');
    expect(told).toEqual([true, false]);
    read.mockRestore();
  });

  it('counts the stored articles after the first answer, once, when a change or a figure asks', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    await first.add(background);
    await first.saveNow();
    const count = vi.spyOn(IDBObjectStore.prototype, 'count');
    const woken = new Library(settings, [], name);
    const index = await woken.index([{ title: 'Heatwave warning for the coast' }], { windowDays: Number.POSITIVE_INFINITY });
    expect(retrieved(index, 'Heatwave warning for the coast')).toContain(background[1].id);
    // The answer read its candidates with no count walking the store beside them.
    expect(count).not.toHaveBeenCalled();
    expect((await woken.stats()).startup).toBe('revived');
    await woken.add([item('b6', 'Ferry services resume after the storm')]);
    expect(count).toHaveBeenCalledTimes(1);
    count.mockRestore();
  });

  it('after a wake-up whose index does not match the store: answers leave the lost article out, the check rebuilds, a change made meanwhile is kept', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    await first.add(background);
    await first.saveNow();
    const db = await first.db();
    // Behind the journal's back: the saved index holds b1, the store no longer does.
    await db.delete('articles', background[0].id);
    const woken = new Library(settings, [], name);
    // The answer comes from the revived index, with b1 left out: its record cannot be read.
    const answering = await woken.index([{ title: 'Central bank holds interest rates steady again' }], { windowDays: Number.POSITIVE_INFINITY });
    expect(
      answering.match({ title: 'Central bank holds interest rates steady again' }, { windowDays: Number.POSITIVE_INFINITY }).map((s) => s.id),
    ).not.toContain(background[0].id);
    // A write waits for the check, which finds 3 stored articles against 4 indexed, and rebuilds.
    const late = item('b5', 'Storm closes the southern coast road');
    await woken.add([late]);
    const stats = await woken.stats();
    expect(stats.startup).toBe('rebuilt');
    expect(stats.total).toBe(4);
    const index = await woken.index();
    expect(retrieved(index, 'storm coast road')).toContain(late.id);
    expect(index.has(background[0].id)).toBe(false);
    // The rebuilt index is saved with the write in it: the next wake revives it and it matches.
    await woken.saveNow();
    const next = new Library(settings, [], name);
    expect((await next.stats()).startup).toBe('revived');
    expect((await next.stats()).total).toBe(4);
  });
});

describe('a feed removed during its own refresh (issue 9, finding 7)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('leaves no orphan articles behind', async () => {
    const library = new Library(settings, [], freshName());
    const db = await library.db();
    const record = feedRecord({ id: FEED.id, url: FEED.url, title: 'Wire', privateHost: null });
    await db.put('feeds', record);
    const body = new TextEncoder().encode(
      '<rss><channel><title>Wire</title><item><title>Ferry strike enters its third day</title><link>https://wire.example/ferry</link></item></channel></rss>',
    );
    let feeds: Feeds;
    // The person removes the feed while its fetch is on the wire.
    const fetchFeed = async (url: string): Promise<FetchOutcome> => {
      await feeds.remove(FEED.id);
      return { kind: 'ok', bytes: body, contentType: 'application/rss+xml', etag: null, lastModified: null, maxAgeSeconds: null, finalUrl: url };
    };
    feeds = new Feeds({ library, hasPermission: async () => true, fetchFeed, now: () => NOW.getTime() });
    await feeds.refresh(FEED.id);

    expect(await db.getAllKeysFromIndex('articles', 'feedId', FEED.id)).toEqual([]);
    expect((await library.stats()).total).toBe(0);
    expect(await db.get('feeds', FEED.id)).toBeUndefined();
  });
});

describe('snapshots that are always there (issue 13)', () => {
  beforeEach(() => fakeBrowser.reset());
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const many = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => item(`${prefix}-${i}`, `${prefix} story number ${i} about harbour ${i % 7} and council ${i % 11}`));

  it('compactAt: 1% of the library, between 50 and 500 articles', () => {
    expect(compactAt(0)).toBe(50);
    expect(compactAt(20_000)).toBe(200);
    expect(compactAt(54_000)).toBe(500);
  });

  it('saves a bulk change soon, keeps a trickle in the article store, and replays it on revive without a rebuild', async () => {
    const name = freshName();
    const first = new Library(settings, [], name, { saveDelayMs: 20 });
    await first.add(many(300, 'bulk'));
    await wait(200);
    const db = await first.db();
    const bulkSnapshot = await loadSnapshot(db);
    expect(bulkSnapshot?.articleCount).toBe(300);

    // A feed poll: a few articles, not worth rewriting the snapshot.
    const trickle = many(10, 'trickle');
    await first.add(trickle);
    await wait(200);
    expect((await loadSnapshot(db))?.savedAt).toBe(bulkSnapshot!.savedAt);

    // The worker stops; ten wake-ups with a poll between each replay, never rebuild.
    let total = 310;
    for (let cycle = 0; cycle < 10; cycle++) {
      const library = new Library(settings, [], name, { saveDelayMs: 20 });
      const index = await library.index();
      expect(library.startup).toBe('revived');
      expect(library.replayed).toBe(cycle === 0 ? 10 : 10 + 3 * cycle);
      expect((await library.stats()).startupMs).toEqual({
        boot: expect.any(Number),
        open: expect.any(Number),
        read: expect.any(Number),
        parse: expect.any(Number),
        index: expect.any(Number),
      });
      expect(index.documentCount).toBe(total);
      expect(retrieved(index, `trickle story number 3`)).toContain(trickle[3].id);
      await library.add(many(3, `poll${cycle}`));
      total += 3;
      await wait(50);
    }
    // 10 + 30 changes stay under compactAt(300) = 50: the snapshot is still the bulk one.
    expect((await loadSnapshot(db))?.savedAt).toBe(bulkSnapshot!.savedAt);
  });

  it('rewrites the snapshot once the replay would pass compactAt, and saves at once when there is none', async () => {
    const name = freshName();
    const first = new Library(settings, [], name, { saveDelayMs: 20 });
    await first.add(many(5, 'small'));
    await wait(200);
    const db = await first.db();
    expect((await loadSnapshot(db))?.articleCount).toBe(5);
    await first.add(many(49, 'a'));
    await wait(100);
    expect((await loadSnapshot(db))?.articleCount).toBe(5);
    await first.add(many(1, 'b'));
    await wait(200);
    expect((await loadSnapshot(db))?.articleCount).toBe(55);
    expect((await first.stats()).indexSaveMs).toBeGreaterThanOrEqual(0);
  });
});
