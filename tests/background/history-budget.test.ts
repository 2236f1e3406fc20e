import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Feeds } from '../../src/background/feeds';
import { createHandlers } from '../../src/background/handlers';
import { HISTORY_PER_SITE_PER_HOUR, HistoryBudget, siteOf } from '../../src/background/history-budget';
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
});
