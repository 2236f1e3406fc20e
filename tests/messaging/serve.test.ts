import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { createMessageListener, type Handlers } from '../../src/messaging/serve';
import { notifyPages, onNotice, send } from '../../src/messaging/client';
import { MAX_IMPORT_CHUNK_CHARS } from '../../src/messaging/library-io';
import { MAX_HEADLINE, parsePageInfo } from '../../src/messaging/validate';

const ID = 'storyline-test';
const ORIGIN = 'chrome-extension://storyline-test/';
const page = { url: 'https://news.example/a', headline: 'Headline', description: null, siteName: 'Example', canonicalUrl: null, publishedAt: null, lang: 'en' };

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    pageRead: vi.fn(async () => ({ total: 2, same: 0, stories: [] })),
    matchHeadlines: vi.fn(async () => ({ results: [] })),
    badgesShown: vi.fn(async ({ count }) => ({ count })),
    pageLeft: vi.fn(async () => ({})),
    tabStories: vi.fn(async ({ tabId }) => ({ state: 'unknown' as const, page: null, stories: [], tabId })),
    search: vi.fn(async () => []),
    listFeeds: vi.fn(async () => []),
    addFeed: vi.fn(async () => {
      throw new Error('not in this test');
    }),
    removeFeed: vi.fn(async () => ({ removed: true as const })),
    refreshFeeds: vi.fn(async () => []),
    libraryStats: vi.fn(async () => ({ total: 0, byKind: {}, lastPrune: null, storage: null, indexSavedAt: null, startup: null })),
    suggestedFeeds: vi.fn(async () => []),
    parseOpml: vi.fn(async () => ({ feeds: [] })),
    exportOpml: vi.fn(async () => ({ text: '' })),
    importBegin: vi.fn(async () => {
      throw new Error('not in this test');
    }),
    importChunk: vi.fn(async () => {
      throw new Error('not in this test');
    }),
    importStatus: vi.fn(async () => null),
    exportLibrary: vi.fn(async () => ({ text: '', next: null })),
    clearHistory: vi.fn(async () => ({ removed: 0 })),
    clearImports: vi.fn(async () => ({ removed: 0 })),
    hideStory: vi.fn(async () => ({ hidden: true as const })),
    showStoryAgain: vi.fn(async () => ({ shown: true })),
    hiddenStories: vi.fn(async () => []),
    followStory: vi.fn(async () => {
      throw new Error('not in this test');
    }),
    unfollowStory: vi.fn(async () => ({ unfollowed: true })),
    followedStories: vi.fn(async () => []),
    takePanelQuery: vi.fn(async () => ({ query: null })),
    ...overrides,
  };
}

const fromContent = { id: ID, url: 'https://news.example/a', tab: { id: 7 } };
const fromPopup = { id: ID, url: `${ORIGIN}popup.html` };

describe('message listener', () => {
  it('answers a well-formed message through sendResponse and keeps the channel open', async () => {
    const h = handlers();
    const listener = createMessageListener(h, ID, ORIGIN);
    const sendResponse = vi.fn();
    const kept = listener({ channel: 'storyline', type: 'pageRead', payload: page }, fromContent, sendResponse);
    expect(kept).toBe(true);
    await vi.waitFor(() => expect(sendResponse).toHaveBeenCalledWith({ ok: true, value: { total: 2, same: 0, stories: [] } }));
    expect(h.pageRead).toHaveBeenCalledWith(expect.objectContaining({ headline: 'Headline' }), { tabId: 7, incognito: false, url: 'https://news.example/a' });
  });

  it('returns a promise when no sendResponse is passed', async () => {
    const listener = createMessageListener(handlers(), ID, ORIGIN);
    const reply = listener({ channel: 'storyline', type: 'search', payload: { query: 'x y' } }, fromPopup);
    await expect(reply).resolves.toEqual({ ok: true, value: [] });
  });

  it("does not take a prerendered page or a frame as the tab's page (helper-40)", async () => {
    const h = handlers();
    const listener = createMessageListener(h, ID, ORIGIN);
    const message = { channel: 'storyline', type: 'pageRead', payload: page };
    expect(listener(message, { ...fromContent, documentLifecycle: 'prerender', frameId: 0 }, vi.fn())).toBeUndefined();
    expect(listener(message, { ...fromContent, documentLifecycle: 'active', frameId: 3 }, vi.fn())).toBeUndefined();
    expect(h.pageRead).not.toHaveBeenCalled();
    const sent = vi.fn();
    expect(listener(message, { ...fromContent, documentLifecycle: 'active', frameId: 0 }, sent)).toBe(true);
    await vi.waitFor(() => expect(sent).toHaveBeenCalled());
    expect(h.pageRead).toHaveBeenCalledTimes(1);
  });

  it('ignores other extensions, web pages and foreign message shapes', () => {
    const h = handlers();
    const listener = createMessageListener(h, ID, ORIGIN);
    const message = { channel: 'storyline', type: 'pageRead', payload: page };
    expect(listener(message, { ...fromContent, id: 'other-extension' }, vi.fn())).toBeUndefined();
    expect(listener(message, { url: 'https://evil.example/' }, vi.fn())).toBeUndefined();
    expect(listener({ type: 'match', headline: 'x' }, fromContent, vi.fn())).toBeUndefined();
    expect(listener({ channel: 'storyline', type: '__proto__' }, fromContent, vi.fn())).toBeUndefined();
    expect(listener('pageRead', fromContent, vi.fn())).toBeUndefined();
    expect(h.pageRead).not.toHaveBeenCalled();
  });

  it('lets content scripts send only content messages, and pages only page messages (row 28)', () => {
    const h = handlers();
    const listener = createMessageListener(h, ID, ORIGIN);
    expect(listener({ channel: 'storyline', type: 'tabStories', payload: { tabId: 1 } }, fromContent, vi.fn())).toBeUndefined();
    expect(listener({ channel: 'storyline', type: 'pageRead', payload: page }, fromPopup, vi.fn())).toBeUndefined();
    expect(h.tabStories).not.toHaveBeenCalled();
    // The badge count comes only from a content script, with its tab.
    expect(listener({ channel: 'storyline', type: 'badgesShown', payload: { count: 3 } }, fromPopup, vi.fn())).toBeUndefined();
    expect(h.badgesShown).not.toHaveBeenCalled();
  });

  it('never answers the message the worker itself sends to tabs (activate), from anyone', () => {
    const listener = createMessageListener(handlers(), ID, ORIGIN);
    const activate = { channel: 'storyline', type: 'activate', payload: {} };
    expect(listener(activate, fromContent, vi.fn())).toBeUndefined();
    expect(listener(activate, fromPopup, vi.fn())).toBeUndefined();
  });

  it('never answers the notices the worker sends its pages (tabChanged, panelQueryWaiting), from anyone', () => {
    const listener = createMessageListener(handlers(), ID, ORIGIN);
    for (const notice of [
      { channel: 'storyline', type: 'tabChanged', payload: { tabId: 3, left: false } },
      { channel: 'storyline', type: 'panelQueryWaiting', payload: { windowId: 1 } },
    ]) {
      expect(listener(notice, fromPopup, vi.fn())).toBeUndefined();
      expect(listener(notice, fromContent, vi.fn())).toBeUndefined();
    }
  });

  it("gives a context-menu query only to the extension's pages, for a window id", async () => {
    const h = handlers({ takePanelQuery: vi.fn(async ({ windowId }) => ({ query: windowId === 2 ? 'drone strike' : null })) });
    const listener = createMessageListener(h, ID, ORIGIN);
    await expect(listener({ channel: 'storyline', type: 'takePanelQuery', payload: { windowId: 2 } }, fromPopup)).resolves.toEqual({
      ok: true,
      value: { query: 'drone strike' },
    });
    for (const windowId of [-1, 1.5, '2', null]) {
      await expect(listener({ channel: 'storyline', type: 'takePanelQuery', payload: { windowId } }, fromPopup)).resolves.toMatchObject({ ok: false });
    }
    // A web page's content script cannot read what was selected elsewhere.
    expect(listener({ channel: 'storyline', type: 'takePanelQuery', payload: { windowId: 2 } }, fromContent, vi.fn())).toBeUndefined();
    expect(h.takePanelQuery).toHaveBeenCalledTimes(1);
  });

  it('checks an import chunk at the boundary: its job id, its number, its first line, its size', async () => {
    const h = handlers({ importChunk: vi.fn(async ({ jobId }) => ({ jobId }) as never) });
    const listener = createMessageListener(h, ID, ORIGIN);
    const chunk = { jobId: 'i0123456789abc', seq: 0, firstLine: 1, text: '{"id":"1"}' };
    await expect(listener({ channel: 'storyline', type: 'importChunk', payload: chunk }, fromPopup)).resolves.toMatchObject({ ok: true });
    for (const bad of [{ jobId: 'x; drop' }, { seq: -1 }, { firstLine: 0 }, { text: 'x'.repeat(MAX_IMPORT_CHUNK_CHARS + 1) }, { text: 7 }]) {
      await expect(listener({ channel: 'storyline', type: 'importChunk', payload: { ...chunk, ...bad } }, fromPopup)).resolves.toMatchObject({ ok: false });
    }
    // Only the extension's own pages import.
    expect(listener({ channel: 'storyline', type: 'importChunk', payload: chunk }, fromContent, vi.fn())).toBeUndefined();
    expect(h.importChunk).toHaveBeenCalledTimes(1);
  });

  it('takes a badge count from a content script, as a whole number only', async () => {
    const h = handlers();
    const listener = createMessageListener(h, ID, ORIGIN);
    await expect(listener({ channel: 'storyline', type: 'badgesShown', payload: { count: 29 } }, fromContent)).resolves.toEqual({
      ok: true,
      value: { count: 29 },
    });
    expect(h.badgesShown).toHaveBeenCalledWith({ count: 29 }, { tabId: 7, incognito: false, url: 'https://news.example/a' });
    for (const count of [-1, 1.5, '3', null, Number.NaN, 1e9]) {
      const reply = await listener({ channel: 'storyline', type: 'badgesShown', payload: { count } }, fromContent);
      expect(reply).toMatchObject({ ok: false });
    }
    expect(h.badgesShown).toHaveBeenCalledTimes(1);
  });

  it('answers a bad payload or a failing handler with an error, never silence', async () => {
    const listener = createMessageListener(
      handlers({
        search: async () => {
          throw new Error('index broke');
        },
      }),
      ID,
      ORIGIN,
    );
    const bad = vi.fn();
    listener({ channel: 'storyline', type: 'tabStories', payload: { tabId: 'seven' } }, fromPopup, bad);
    await vi.waitFor(() => expect(bad).toHaveBeenCalledWith({ ok: false, error: { code: 'badRequest', detail: 'tabId must be a tab id' } }));
    const failing = vi.fn();
    listener({ channel: 'storyline', type: 'search', payload: { query: 'x' } }, fromPopup, failing);
    await vi.waitFor(() => expect(failing).toHaveBeenCalledWith({ ok: false, error: { code: 'internal', detail: 'index broke' } }));
  });
});

describe('page info at the boundary', () => {
  it('cuts a huge headline and strips invisible and bidi-override characters (row 31)', () => {
    const parsed = parsePageInfo({ ...page, headline: `\u202eHe\u200bllo ${'word '.repeat(200_000)}` })!;
    expect(parsed.headline.length).toBeLessThanOrEqual(MAX_HEADLINE);
    expect(parsed.headline.startsWith('He llo word')).toBe(true);
  });

  it('rejects pages without a headline or with a non-http URL', () => {
    expect(() => parsePageInfo({ ...page, headline: '   ' })).toThrow(/headline/);
    expect(() => parsePageInfo({ ...page, url: 'javascript:alert(1)' })).toThrow(/url/);
    expect(parsePageInfo({ ...page, canonicalUrl: 'data:text/html,x' })!.canonicalUrl).toBeNull();
    expect(parsePageInfo(null)).toBeNull();
  });
});

describe('client and listener through the (fake) runtime', () => {
  beforeEach(() => fakeBrowser.reset());

  it('round-trips a message and surfaces handler errors as exceptions', async () => {
    const listener = createMessageListener(
      handlers({
        search: async ({ query }) => {
          if (query === 'fail') throw new Error('nope');
          return [];
        },
      }),
      browser.runtime.id,
      browser.runtime.getURL('/'),
    );
    // The fake passes no sender url: treat the test as the extension's own page.
    browser.runtime.onMessage.addListener(((message: unknown, sender: object) =>
      listener(message, { ...sender, id: browser.runtime.id, url: browser.runtime.getURL('/popup.html') })) as never);
    await expect(send('search', { query: 'ok' })).resolves.toEqual([]);
    await expect(send('search', { query: 'fail' })).rejects.toThrow('nope');
  });
});

describe("worker notices to the extension's pages", () => {
  beforeEach(() => fakeBrowser.reset());

  it('delivers a valid notice of its type from the extension only, and answers nothing else', async () => {
    const listeners: ((message: unknown, sender: { id?: string }) => unknown)[] = [];
    vi.spyOn(browser.runtime.onMessage, 'addListener').mockImplementation((listener) => void listeners.push(listener as never));
    const heard: unknown[] = [];
    const stop = onNotice('tabChanged', (payload) => heard.push(payload));
    const [listener] = listeners;
    const own = { id: browser.runtime.id };
    expect(listener({ channel: 'storyline', type: 'tabChanged', payload: { tabId: 4, left: true } }, own)).toBeUndefined();
    listener({ channel: 'storyline', type: 'tabChanged', payload: { tabId: 5 } }, { id: 'other-extension' });
    listener({ channel: 'storyline', type: 'tabChanged', payload: { tabId: 'four' } }, own);
    listener({ channel: 'storyline', type: 'panelQueryWaiting', payload: { windowId: 1 } }, own);
    // Another page's request to the worker passes by unanswered, so the worker's answer reaches it.
    expect(listener({ channel: 'storyline', type: 'search', payload: { query: 'x' } }, own)).toBeUndefined();
    expect(heard).toEqual([{ tabId: 4, left: true }]);
    const removed = vi.spyOn(browser.runtime.onMessage, 'removeListener');
    stop();
    expect(removed).toHaveBeenCalledWith(listener);
  });

  it('sends a notice as a protocol envelope', async () => {
    const sent: unknown[] = [];
    (browser.runtime as { sendMessage: unknown }).sendMessage = async (message: unknown) => void sent.push(message);
    await notifyPages('panelQueryWaiting', { windowId: 3 });
    expect(sent).toEqual([{ channel: 'storyline', type: 'panelQueryWaiting', payload: { windowId: 3 } }]);
  });

  it('is no error when no page listens', async () => {
    (browser.runtime as { sendMessage: unknown }).sendMessage = async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    };
    await expect(notifyPages('tabChanged', { tabId: 1, left: false })).resolves.toBeUndefined();
  });
});
