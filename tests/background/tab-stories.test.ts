import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { createHandlers } from '../../src/background/handlers';
import { Library } from '../../src/background/library';
import type { Feeds } from '../../src/background/feeds';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { DEFAULTS } from '../../src/settings/schema';
import { toStored } from '../../src/corpus/records';

const seeds = loadSeedDirectory('seeds');
const popup = { tabId: null, incognito: false, url: 'chrome-extension://storyline/popup.html' };
let dbCount = 0;

function setup() {
  const library = new Library(async () => ({ ...DEFAULTS }), seeds, `tab-stories-test-${++dbCount}`);
  return { library, handlers: createHandlers(library, {} as Feeds) };
}

describe('what the popup is told about a tab whose page was not read', () => {
  beforeEach(() => fakeBrowser.reset());

  it('a tab still loading is "loading" (its script reads it once idle), not a page Storyline cannot read', async () => {
    const { handlers } = setup();
    const tab = await browser.tabs.create({ url: 'https://news.example/story' });
    const get = vi.spyOn(browser.tabs, 'get').mockImplementation(async () => ({ ...tab, status: 'loading' }) as never);
    expect(await handlers.tabStories({ tabId: tab.id! }, popup)).toEqual({ state: 'loading', page: null, stories: [] });
    // Loaded, and still nothing read (no script answers: a browser page, a PDF): "unknown".
    get.mockImplementation(async () => ({ ...tab, status: 'complete' }) as never);
    expect(await handlers.tabStories({ tabId: tab.id! }, popup)).toMatchObject({ state: 'unknown' });
    // A tab the browser does not know (closed): "unknown".
    get.mockRestore();
    expect(await handlers.tabStories({ tabId: 9999 }, popup)).toMatchObject({ state: 'unknown' });
  });
});

describe('an article: how many articles the person added, so the empty popup can say the right thing', () => {
  beforeEach(() => fakeBrowser.reset());

  const page = {
    url: 'https://elsewhere.example/a',
    headline: 'Orchestra announces its summer season of open-air concerts',
    description: null,
    siteName: 'Elsewhere',
    canonicalUrl: null,
    publishedAt: '2025-06-01T10:00:00Z',
    lang: 'en',
  };

  it('says when the tab is in a private window (the popup then offers no Follow or "Not the same story")', async () => {
    const { handlers } = setup();
    await handlers.pageRead(page, { tabId: 12, incognito: true, url: page.url });
    const get = vi.spyOn(browser.tabs, 'get').mockImplementation(async () => ({ id: 12, incognito: true, status: 'complete' }) as never);
    expect(await handlers.tabStories({ tabId: 12 }, popup)).toMatchObject({ state: 'article', private: true });
    get.mockImplementation(async () => ({ id: 12, incognito: false, status: 'complete' }) as never);
    expect(await handlers.tabStories({ tabId: 12 }, popup)).not.toHaveProperty('private');
    get.mockRestore();
  });

  it('only the sample articles: none added; an imported article counts, the page read (history) does not', async () => {
    const { library, handlers } = setup();
    const tab = { tabId: 11, incognito: false, url: page.url };
    await handlers.pageRead(page, tab);
    expect(await handlers.tabStories({ tabId: 11 }, popup)).toMatchObject({ state: 'article', stories: [], added: 0 });
    await library.add([
      toStored(
        {
          kind: 'import',
          source: 'Wire',
          url: 'https://wire.example/budget',
          title: 'Parliament debates a new budget for the coming year',
          publishedAt: '2025-06-01T08:00:00Z',
        },
        new Date('2025-06-02T00:00:00Z'),
      ),
    ]);
    expect(await handlers.tabStories({ tabId: 11 }, popup)).toMatchObject({ state: 'article', stories: [], added: 1 });
  });
});
