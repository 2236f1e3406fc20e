import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { createHandlers } from '../../src/background/handlers';
import { Library } from '../../src/background/library';
import { forgetTab, getTabPage, leaveTab } from '../../src/background/tab-state';
import type { Feeds } from '../../src/background/feeds';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { DEFAULTS } from '../../src/settings/schema';

// The test fake's storage.session drops null values (a page read as "not an article"); Chrome keeps
// them. Tabs 5 and 6 are front pages here, as Chrome would have them after pageRead(null).
vi.mock('../../src/background/tab-state', async (original) => {
  const real = await original<typeof import('../../src/background/tab-state')>();
  return { ...real, getTabPage: async (tabId: number) => ([5, 6].includes(tabId) ? null : real.getTabPage(tabId)) };
});

const seeds = loadSeedDirectory('seeds');
const popup = { tabId: null, incognito: false, url: 'chrome-extension://storyline/popup.html' };
let dbCount = 0;

describe('a front page: not an article, but with badges', () => {
  beforeEach(() => fakeBrowser.reset());

  it('the popup hears how many headlines the content script badged, per tab, until the tab navigates', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `front-page-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const front = { tabId: 5, incognito: false, url: 'https://news.example/' };
    await handlers.pageRead(null, front);
    expect(await handlers.tabStories({ tabId: 5 }, popup)).toEqual({ state: 'not-article', page: null, stories: [], badges: 0 });
    await handlers.badgesShown({ count: 29 }, front);
    expect(await handlers.tabStories({ tabId: 5 }, popup)).toMatchObject({ state: 'not-article', badges: 29 });
    // Another tab has its own count.
    await handlers.pageRead(null, { ...front, tabId: 6 });
    expect(await handlers.tabStories({ tabId: 6 }, popup)).toMatchObject({ badges: 0 });
    // The tab navigates (or closes): the count goes with the page.
    await forgetTab(5);
    await handlers.pageRead(null, front);
    expect(await handlers.tabStories({ tabId: 5 }, popup)).toMatchObject({ badges: 0 });
  });

  it('the toolbar counts the front page’s badges as the popup does; on an article it keeps the article’s count', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `front-page-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const front = { tabId: 5, incognito: false, url: 'https://news.example/' };
    await handlers.pageRead(null, front);
    await handlers.badgesShown({ count: 12 }, front);
    expect(await browser.action.getBadgeText({ tabId: 5 })).toBe('12');
    // A badge that did not fit is taken away and the content script says 11: both follow.
    await handlers.badgesShown({ count: 11 }, front);
    expect(await browser.action.getBadgeText({ tabId: 5 })).toBe('11');
    expect(await handlers.tabStories({ tabId: 5 }, popup)).toMatchObject({ state: 'not-article', badges: 11 });
    await handlers.badgesShown({ count: 0 }, front);
    expect(await browser.action.getBadgeText({ tabId: 5 })).toBe('');
    // An article's toolbar count is its related stories, whatever its headlines' badges number.
    const lead = seeds[0];
    const article = { tabId: 7, incognito: false, url: 'https://demo.example/article/lead' };
    const page = {
      url: article.url,
      headline: lead.title,
      description: null,
      siteName: lead.source,
      canonicalUrl: null,
      publishedAt: lead.publishedAt,
      lang: 'en',
    };
    await handlers.pageRead(page, article);
    const count = await browser.action.getBadgeText({ tabId: 7 });
    expect(count).toMatch(/^\d+$/);
    await handlers.badgesShown({ count: 40 }, article);
    expect(await browser.action.getBadgeText({ tabId: 7 })).toBe(count);
  });
});

describe('the tab moves on (helper-40)', () => {
  beforeEach(() => fakeBrowser.reset());
  const lead = seeds[0];
  const article = { tabId: 7, incognito: false, url: 'https://demo.example/article/lead' };
  const page = { url: article.url, headline: lead.title, description: null, siteName: 'Demo', canonicalUrl: null, publishedAt: lead.publishedAt, lang: 'en' };

  it('pageLeft: a single-page site moved to another article; the old one is forgotten and its count cleared', async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `front-page-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    await handlers.pageRead(page, article);
    expect(await browser.action.getBadgeText({ tabId: 7 })).not.toBe('');
    await handlers.pageLeft({}, { ...article, url: 'https://demo.example/article/next' });
    expect(await getTabPage(7)).toBeUndefined();
    expect(await browser.action.getBadgeText({ tabId: 7 })).toBe('');
  });

  it("a page's answer that comes after the tab moved on leaves the next page's toolbar alone", async () => {
    const library = new Library(async () => ({ ...DEFAULTS }), seeds, `front-page-test-${++dbCount}`);
    const handlers = createHandlers(library, {} as Feeds);
    const answered = handlers.pageRead(page, article);
    // The tab loads another page while the first is matched (the library opening, the index building).
    await leaveTab(7);
    await answered;
    expect(await browser.action.getBadgeText({ tabId: 7 })).toBe('');
    // The same page answered with the tab still on it counts as before.
    await handlers.pageRead(page, article);
    expect(await browser.action.getBadgeText({ tabId: 7 })).not.toBe('');
  });
});
