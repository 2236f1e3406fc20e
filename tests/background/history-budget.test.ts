import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Feeds } from '../../src/background/feeds';
import { createHandlers } from '../../src/background/handlers';
import { HISTORY_PER_SITE_PER_HOUR, HistoryBudget } from '../../src/background/history-budget';
import { siteOf } from '../../src/core/links';
import { Library } from '../../src/background/library';
import { DEFAULTS } from '../../src/settings/schema';

describe('a site writes at most HISTORY_PER_SITE_PER_HOUR history entries an hour (attack review, helper-30)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('counts subdomains as their site, and all sites together too (review, helper-31)', () => {
    expect(['1.evil.example', 'www.bbc.co.uk', 'news.bbc.co.uk', 'smh.com.au', 'example.com', '127.0.0.1', 'localhost'].map(siteOf)).toEqual([
      'evil.example',
      'bbc.co.uk',
      'bbc.co.uk',
      'smh.com.au',
      'example.com',
      '127.0.0.1',
      'localhost',
    ]);
    const budget = new HistoryBudget(2, 5);
    expect(['1.evil.example', '2.evil.example', '3.evil.example'].map((h, i) => budget.take(h, i))).toEqual([true, true, false]);
    expect(['a.example', 'b.example', 'c.example', 'd.example'].map((h, i) => budget.take(h, 10 + i))).toEqual([true, true, true, false]);
  });

  it('counts per site, over a sliding hour', () => {
    const budget = new HistoryBudget(3);
    const t = 1_000_000;
    expect([1, 2, 3, 4].map((i) => budget.take('evil.example', t + i))).toEqual([true, true, true, false]);
    expect(budget.take('news.example', t + 5)).toBe(true);
    expect(budget.take('evil.example', t + 60 * 60 * 1000)).toBe(false);
    expect(budget.take('evil.example', t + 60 * 60 * 1000 + 2)).toBe(true);
  });

  it('a page reloading itself 50 times is answered every time and recorded 30 times; another site still is', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), [], 'history-budget-test');
    const handlers = createHandlers(library, {} as Feeds);
    const page = (url: string, i: number) => ({
      url,
      headline: `Iceland volcano erupts near Grindavik, residents evacuated ${i}`,
      description: null,
      siteName: 'BBC News',
      canonicalUrl: null,
      publishedAt: '2026-11-20T08:00:00.000Z',
      lang: 'en',
    });
    for (let i = 0; i < 50; i++) {
      const url = `https://evil.example/story?n=${i}`;
      expect(await handlers.pageRead(page(url, i), { tabId: 7, incognito: false, url })).toBeDefined();
    }
    expect((await library.stats()).byKind).toEqual({ history: HISTORY_PER_SITE_PER_HOUR });
    await handlers.pageRead(page('https://news.example/volcano', 0), { tabId: 8, incognito: false, url: 'https://news.example/volcano' });
    expect((await library.stats()).byKind).toEqual({ history: HISTORY_PER_SITE_PER_HOUR + 1 });
  });

  it('goes on counting the hour in a new worker: the budget is kept in storage.session', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), [], 'history-budget-restart-test');
    const read = async (handlers: ReturnType<typeof createHandlers>, i: number) => {
      const url = `https://evil.example/story?n=${i}`;
      const page = {
        url,
        headline: `Iceland volcano erupts near Grindavik ${i}`,
        description: null,
        siteName: 'Evil',
        canonicalUrl: null,
        publishedAt: null,
        lang: 'en',
      };
      await handlers.pageRead(page, { tabId: 7, incognito: false, url });
    };
    const first = createHandlers(library, {} as Feeds);
    for (let i = 0; i < 20; i++) await read(first, i);
    // The worker stops when idle; the next one is a new set of handlers over the same storage.
    const second = createHandlers(library, {} as Feeds);
    for (let i = 20; i < 40; i++) await read(second, i);
    expect((await library.stats()).byKind).toEqual({ history: HISTORY_PER_SITE_PER_HOUR });
  });

  it('reads a stored budget as a boundary: what is not a list of times is dropped, no list outgrows its budget', () => {
    const now = 5_000_000;
    const budget = new HistoryBudget(3, 10);
    expect([1, 2, 3, 4].map((i) => budget.take('a.example', now + i))).toEqual([true, true, true, false]);
    const stored = budget.toStored(now + 10);
    expect(stored).toEqual({ sites: [['a.example', [now + 1, now + 2, now + 3]]], all: [now + 1, now + 2, now + 3] });
    // Stored, read back: the same budget.
    const again = HistoryBudget.fromStored(JSON.parse(JSON.stringify(stored)), 3, 10);
    expect(again.take('a.example', now + 20)).toBe(false);
    expect(again.take('b.example', now + 20)).toBe(true);
    // An hour later the stored writes have lapsed and are not kept.
    expect(again.toStored(now + 60 * 60 * 1000 + 21).sites).toEqual([]);
    // Damaged values: nothing thrown, nothing blocked that should not be, lists cut to the budget.
    for (const damaged of [
      null,
      'x',
      42,
      { sites: 'x', all: {} },
      {
        sites: [
          [1, [2]],
          ['b.example', 'x'],
        ],
        all: [NaN, 'y'],
      },
    ]) {
      const read = HistoryBudget.fromStored(damaged, 3, 10);
      expect(read.take('b.example', now)).toBe(true);
    }
    const flooded = HistoryBudget.fromStored({ sites: [['c.example', Array.from({ length: 1000 }, (_, i) => now + i)]], all: [] }, 3, 10);
    expect(flooded.toStored(now + 2000).sites[0][1]).toHaveLength(3);
  });

  it('a page claiming another site’s address is answered but not recorded (attack review, helper-32)', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), [], 'history-claim-test');
    const handlers = createHandlers(library, {} as Feeds);
    const claimed = {
      url: 'https://www.bbc.co.uk/news/world-1',
      headline: 'Iceland volcano erupts near Grindavik',
      description: null,
      siteName: 'BBC News',
      canonicalUrl: null,
      publishedAt: null,
      lang: 'en',
    };
    expect(await handlers.pageRead(claimed, { tabId: 7, incognito: false, url: 'https://evil.example/x' })).toBeDefined();
    expect((await library.stats()).byKind).toEqual({});
    // The same page sent by the site itself is recorded.
    await handlers.pageRead(claimed, { tabId: 7, incognito: false, url: 'https://www.bbc.co.uk/news/world-1' });
    expect((await library.stats()).byKind).toEqual({ history: 1 });
  });
});
