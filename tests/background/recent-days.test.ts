import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHandlers } from '../../src/background/handlers';
import { Library } from '../../src/background/library';
import { noteNewest, parseNewest, undatedCenter } from '../../src/background/recent-days';
import type { Feeds } from '../../src/background/feeds';
import { toStored } from '../../src/corpus/records';
import { DEFAULTS } from '../../src/settings/schema';
import { loadSeedDirectory } from '../../tools/build/seeds';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const seeds = loadSeedDirectory('seeds');
const front = { tabId: null, incognito: false, url: 'https://archive.example/' };
let dbCount = 0;

describe('the library’s newest story per kind', () => {
  it('keeps the latest publication of each kind, never past now, and says when nothing changed', () => {
    const first = noteNewest(
      {},
      [
        { kind: 'import', publishedAt: '2014-03-10T09:00:00Z' },
        { kind: 'import', publishedAt: '2014-03-27T09:00:00Z' },
        { kind: 'import', publishedAt: '2014-03-12T09:00:00Z' },
        { kind: 'history', publishedAt: '2026-11-28T09:00:00Z' },
        { kind: 'feed', publishedAt: null },
        { kind: 'feed', publishedAt: 'not a date' },
      ],
      NOW,
    );
    expect(first).toEqual({ import: '2014-03-27T09:00:00.000Z' });
    expect(noteNewest(first, [{ kind: 'import', publishedAt: '2014-03-20T00:00:00Z' }], NOW)).toBe(first);
    const ahead = noteNewest(first, [{ kind: 'feed', publishedAt: '2026-11-29T06:00:00Z' }], NOW);
    expect(ahead).toEqual({ import: '2014-03-27T09:00:00.000Z', feed: new Date(NOW).toISOString() });
    expect(first).toEqual({ import: '2014-03-27T09:00:00.000Z' });
  });

  it('reads a stored record, dropping what is not a date', () => {
    expect(parseNewest({ seed: '2025-06-03T11:00:00Z', feed: 12, import: 'soon', history: '2026-01-01T00:00:00Z' })).toEqual({
      seed: '2025-06-03T11:00:00.000Z',
    });
    expect(parseNewest(null)).toEqual({});
    expect(parseNewest('2025-06-03')).toEqual({});
  });

  it('an undated headline is matched around the newest story the badges may show, or now when the library is current', () => {
    const newest = { seed: '2025-06-03T11:00:00.000Z', import: '2014-03-27T09:00:00.000Z' };
    expect(undatedCenter(newest, undefined, NOW)).toBe(Date.parse('2025-06-03T11:00:00Z'));
    // Seeds switched off: the imported archive's days.
    expect(undatedCenter(newest, (a) => a.kind !== 'seed', NOW)).toBe(Date.parse('2014-03-27T09:00:00Z'));
    expect(undatedCenter({ ...newest, feed: new Date(NOW - 3_600_000).toISOString() }, undefined, NOW)).toBe(NOW - 3_600_000);
    expect(undatedCenter({}, undefined, NOW)).toBe(NOW);
    expect(undatedCenter(newest, (a) => a.kind === 'feed', NOW)).toBe(NOW);
  });
});

describe('matchHeadlines on a page with no date at all (issue 10, item 3)', () => {
  beforeEach(() => fakeBrowser.reset());

  // Headlines of the seeds' days (June 2025), sent undated as a page without any date sends them.
  const undated = [
    { text: 'Ukraine to send a delegation to Istanbul for talks with Russia on Monday', url: 'https://archive.example/a', publishedAt: null },
    { text: 'Zelensky says drone strike on 40 Russian planes was organised next to FSB HQ', url: 'https://archive.example/b', publishedAt: null },
  ];

  it('finds the seeds’ stories of June 2025 for undated headlines, which a window around today missed', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `recent-days-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const { results } = await handlers.matchHeadlines({ headlines: undated }, front);
    expect(results.map((r) => r.total)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(results[0].stories.map((s) => s.source)).toContain('South Wales Guardian');
    expect(results[1].stories.map((s) => s.source)).toContain('Daily Mirror');
    // The same headlines dated today find nothing: the window is what changed.
    const today = new Date().toISOString();
    const dated = await handlers.matchHeadlines({ headlines: undated.map((h) => ({ ...h, publishedAt: today })) }, front);
    expect(dated.results.map((r) => r.total)).toEqual([0, 0]);
  });

  it('an imported archive of 2014, seeds off: matched around the archive’s newest day, kept across a restart', async () => {
    const name = `recent-days-test-${++dbCount}`;
    const settings = async () => ({ ...DEFAULTS, seedArticles: false });
    const library = new Library(settings, seeds, name);
    const at = new Date();
    await library.add(
      [
        { title: 'Malaysia Airlines flight vanishes over the South China Sea with 239 aboard', publishedAt: '2014-03-08T06:00:00Z', id: 'x1' },
        { title: 'Crimea parliament sets date for referendum on joining Russia', publishedAt: '2014-03-06T12:00:00Z', id: 'x2' },
        { title: 'Ukraine interim government appeals to Western leaders over Crimea', publishedAt: '2014-03-11T12:00:00Z', id: 'x3' },
      ].map((a) => toStored({ kind: 'import', source: 'Wire', url: `https://wire.example/${a.id}`, title: a.title, publishedAt: a.publishedAt }, at)),
    );
    expect(await library.newestByKind()).toMatchObject({ import: '2014-03-11T12:00:00.000Z' });
    const headlines = [{ text: 'Crimea parliament sets a date for its referendum on joining Russia', url: 'https://archive.example/c', publishedAt: null }];
    const { results } = await createHandlers(library, {} as Feeds).matchHeadlines({ headlines }, front);
    expect(results[0].stories.map((s) => s.source)).toEqual(['Wire (wire.example)']);
    // A new worker (the old one stopped) knows the archive's days from the stored record.
    const again = new Library(settings, seeds, name);
    expect(await again.newestByKind()).toMatchObject({ import: '2014-03-11T12:00:00.000Z' });
    expect((await createHandlers(again, {} as Feeds).matchHeadlines({ headlines }, front)).results[0].total).toBe(1);
    // The imports cleared: nothing of that kind is the library's newest any more.
    await again.removeKind('import');
    expect((await again.newestByKind()).import).toBeUndefined();
  });
});
