import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import {
  MENU_ID,
  PANEL_COMMAND,
  articleIdForUrl,
  headlineOfLink,
  PANEL_QUERY_TTL_MS,
  onMenuClick,
  queryFromClick,
  showInPanel,
  takePanelQuery,
  wireContextMenu,
  wordsOfAddress,
  type MenuBrowser,
} from '../../src/background/context-menu';
import { MAX_HEADLINE } from '../../src/messaging/validate';
import { openLibrary, putArticles } from '../../src/corpus/library-db';
import { fromPage } from '../../src/corpus/records';

describe('the text a "Find related stories" click looks up (issue 12, item 3)', () => {
  it('is the selection, cleaned: control and bidi-override characters out, spaces folded', () => {
    expect(queryFromClick({ selectionText: '  North\u202e Korea\n\ttroops\u200b in  Kursk ' })).toBe('North Korea troops in Kursk');
  });

  it('prefers the selection to the link, then the link text (Firefox), then the words of its address', () => {
    const link = { linkText: 'Drone strike on Russian planes', linkUrl: 'https://news.example/2025/06/01/zelensky-fsb-hq-strike.html' };
    expect(queryFromClick({ selectionText: 'Istanbul talks', ...link })).toBe('Istanbul talks');
    expect(queryFromClick(link)).toBe('Drone strike on Russian planes');
    expect(queryFromClick({ linkUrl: link.linkUrl })).toBe('zelensky fsb hq strike');
  });

  it('cuts a long selection at a word, within the headline limit', () => {
    const query = queryFromClick({ selectionText: 'Ukraine drone strike '.repeat(100) })!;
    expect(query.length).toBeLessThanOrEqual(MAX_HEADLINE);
    expect(query.length).toBeGreaterThan(MAX_HEADLINE / 2);
    expect(query.endsWith('Ukraine') || query.endsWith('drone') || query.endsWith('strike')).toBe(true);
  });

  it('is null when nothing worth looking up is left', () => {
    expect(queryFromClick({})).toBeNull();
    expect(queryFromClick({ selectionText: ' a ' })).toBeNull();
    expect(queryFromClick({ selectionText: '\u202e\u200b' })).toBeNull();
    expect(queryFromClick({ linkUrl: 'https://news.example/article/seed-90cfe66d5b8cd' })).toBeNull();
    expect(queryFromClick({ linkUrl: 'javascript:alert(1)' })).toBeNull();
  });

  it('reads words from an address: the slug segment, not dates, numbers or hex ids', () => {
    expect(wordsOfAddress('https://www.bbc.com/news/articles/c0k8-north-korea-troops-russia-report-123456')).toBe('north korea troops russia report');
    expect(wordsOfAddress('https://example.com/world/2025/06/02/ukraine_talks_istanbul/index.html')).toBe('ukraine talks istanbul');
    // Past MAX_URL an address is no link: a 2.4 MB href held the worker for most of a second (helper-42).
    expect(wordsOfAddress(`https://example.com/${'ukraine-talks-'.repeat(400)}`)).toBeNull();
    expect(wordsOfAddress('https://example.com/a1b2c3d4e5f6')).toBeNull();
    expect(wordsOfAddress('https://example.com/news')).toBeNull();
    expect(wordsOfAddress('ftp://example.com/north-korea-troops')).toBeNull();
    expect(wordsOfAddress('not a url')).toBeNull();
  });
});

describe('a query waiting for the panel', () => {
  it('is taken once, by its own window, while it is fresh', async () => {
    const api = fakeApi({ sidePanel: { open: async () => undefined } });
    await showInPanel(api, 7, 'drone strike');
    expect(takePanelQuery(8)).toBeNull();
    expect(takePanelQuery(7)).toBe('drone strike');
    expect(takePanelQuery(7)).toBeNull();
    await showInPanel(api, 7, 'drone strike');
    expect(takePanelQuery(7, Date.now() + PANEL_QUERY_TTL_MS + 1)).toBeNull();
  });
});

/** An extension event: listeners added, and `fire` to deliver one as the browser would. */
function event<A extends unknown[]>() {
  const listeners: ((...args: A) => void)[] = [];
  return { addListener: (listener: (...args: A) => void) => void listeners.push(listener), fire: (...args: A) => listeners.forEach((l) => l(...args)) };
}

/** A browser with the given panel API; windows.create and the notices to pages are recorded. */
function fakeApi(panel: Pick<MenuBrowser, 'sidePanel' | 'sidebarAction'>, onNotice: (message: unknown) => void = () => undefined) {
  const windows: { url: string }[] = [];
  const notices: unknown[] = [];
  (browser.runtime as { sendMessage: unknown }).sendMessage = async (message: unknown) => {
    notices.push(message);
    onNotice(message);
  };
  const api: MenuBrowser & { created: typeof windows; notices: unknown[] } = {
    ...panel,
    contextMenus: { create: vi.fn(), removeAll: vi.fn(async () => undefined), onClicked: event() },
    commands: { onCommand: event() },
    runtime: { onInstalled: fakeBrowser.runtime.onInstalled as never, getURL: (path: string) => `chrome-extension://id${path}` },
    windows: {
      create: async (data) => {
        windows.push(data);
        return {};
      },
    },
    i18n: { getMessage: (key: string) => (key === 'contextMenuFindRelated' ? 'Find related stories' : '') },
    created: windows,
    notices,
  };
  return api;
}

describe('opening the panel for a click (issue 12, items 2 and 3)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    takePanelQuery(3);
  });

  it("Chrome: opens the window's side panel, tells an open panel of the query, opens no window", async () => {
    const open = vi.fn(async () => undefined);
    const api = fakeApi({ sidePanel: { open } });
    expect(await onMenuClick(api, { menuItemId: MENU_ID, selectionText: 'drone strike' }, { windowId: 3 })).toBe('panel');
    expect(open).toHaveBeenCalledWith({ windowId: 3 });
    expect(api.notices).toEqual([{ channel: 'storyline', type: 'panelQueryWaiting', payload: { windowId: 3 } }]);
    expect(api.created).toEqual([]);
    expect(takePanelQuery(3)).toBe('drone strike');
  });

  it('Firefox: opens the sidebar', async () => {
    const open = vi.fn(async () => undefined);
    const api = fakeApi({ sidebarAction: { open } });
    expect(await showInPanel(api, 3, null)).toBe('panel');
    expect(open).toHaveBeenCalledTimes(1);
    expect(api.created).toEqual([]);
  });

  it('refused (no user action the browser counts), a panel already open in the window takes the query', async () => {
    const api = fakeApi({ sidePanel: { open: async () => Promise.reject(new Error('may only be called in response to a user gesture')) } }, (message) => {
      // The open panel hears the notice and asks for its window's query.
      if ((message as { type?: string }).type === 'panelQueryWaiting') setTimeout(() => takePanelQuery(3), 10);
    });
    expect(await showInPanel(api, 3, 'drone strike')).toBe('panel');
    expect(api.created).toEqual([]);
  });

  it('refused and no panel takes it: a small window shows the panel page with the query, following the window', async () => {
    const api = fakeApi({ sidePanel: { open: async () => Promise.reject(new Error('no gesture')) } });
    expect(await showInPanel(api, 3, 'drone strike on planes')).toBe('window');
    expect(api.created).toEqual([expect.objectContaining({ url: 'chrome-extension://id/sidepanel.html?q=drone+strike+on+planes&windowId=3', type: 'popup' })]);
    // The window has it in its address: nothing is left waiting for a later panel.
    expect(takePanelQuery(3)).toBeNull();
  });

  it("a private window's selection never goes to a window outside it (helper-42)", async () => {
    const api = fakeApi({ sidePanel: { open: async () => Promise.reject(new Error('no gesture')) } });
    expect(await showInPanel(api, 3, 'drone strike on planes', true)).toBe('none');
    expect(api.created).toEqual([]);
    expect(takePanelQuery(3)).toBeNull();
  });

  it('a browser with no panel at all gets the window', async () => {
    const api = fakeApi({});
    expect(await showInPanel(api, 3, null)).toBe('window');
    expect(api.created.map((w) => w.url)).toEqual(['chrome-extension://id/sidepanel.html?windowId=3']);
  });
});

describe('the menu and command wiring', () => {
  beforeEach(() => fakeBrowser.reset());

  it('creates the menu on install, on selections and links, with its localised title', async () => {
    const api = fakeApi({ sidePanel: { open: async () => undefined } });
    wireContextMenu(api);
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install' } as never);
    await vi.waitFor(() =>
      expect(api.contextMenus.create).toHaveBeenCalledWith({ id: MENU_ID, title: 'Find related stories', contexts: ['selection', 'link'] }),
    );
    expect(api.contextMenus.removeAll).toHaveBeenCalledTimes(1);
  });

  it('answers its own menu item and command only', async () => {
    const open = vi.fn(async () => undefined);
    const api = fakeApi({ sidePanel: { open } });
    wireContextMenu(api);
    expect(onMenuClick(api, { menuItemId: 'someone-else', selectionText: 'drone strike' }, { windowId: 3 })).toBeNull();
    const commands = api.commands!.onCommand as ReturnType<typeof event<[string, { windowId: number }]>>;
    commands.fire('_execute_action', { windowId: 3 });
    expect(open).not.toHaveBeenCalled();
    commands.fire(PANEL_COMMAND, { windowId: 3 });
    expect(open).toHaveBeenCalledWith({ windowId: 3 });
    const clicks = api.contextMenus.onClicked as ReturnType<typeof event<[object, { windowId: number }]>>;
    clicks.fire({ menuItemId: MENU_ID, selectionText: 'drone strike', editable: false, pageUrl: 'https://x.example/' }, { windowId: 3 });
    await vi.waitFor(() => expect(open).toHaveBeenCalledTimes(2));
  });
});

describe('"Find related stories" on a bare link (Chrome gives no link text)', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    takePanelQuery(3);
  });
  const linkUrl = 'https://news.example/world/2025/06/02/ukraine-talks-istanbul.html?utm_source=x';

  it("looks the address up in the library: the stored article's headline is the query", async () => {
    const api = fakeApi({ sidePanel: { open: async () => undefined } });
    const headlineOfLinkSpy = vi.fn(async () => 'Ukraine will send delegation to Istanbul for talks with Russia on Monday');
    await onMenuClick(api, { menuItemId: MENU_ID, linkUrl }, { windowId: 3 }, { headlineOfLink: headlineOfLinkSpy });
    expect(headlineOfLinkSpy).toHaveBeenCalledWith(linkUrl);
    expect(takePanelQuery(3)).toBe('Ukraine will send delegation to Istanbul for talks with Russia on Monday');
  });

  it("an address the library does not hold (or a failing lookup) gives the address's words; a selection is never looked up", async () => {
    const api = fakeApi({ sidePanel: { open: async () => undefined } });
    await onMenuClick(api, { menuItemId: MENU_ID, linkUrl }, { windowId: 3 }, { headlineOfLink: async () => null });
    expect(takePanelQuery(3)).toBe('ukraine talks istanbul');
    await onMenuClick(api, { menuItemId: MENU_ID, linkUrl }, { windowId: 3 }, { headlineOfLink: async () => Promise.reject(new Error('db closed')) });
    expect(takePanelQuery(3)).toBe('ukraine talks istanbul');
    const lookup = vi.fn(async () => 'never');
    await onMenuClick(api, { menuItemId: MENU_ID, selectionText: 'drone strike', linkUrl }, { windowId: 3 }, { headlineOfLink: lookup });
    expect(lookup).not.toHaveBeenCalled();
    expect(takePanelQuery(3)).toBe('drone strike');
  });

  it('the panel is opened before the library is asked (the browser only allows it in the click itself)', async () => {
    const order: string[] = [];
    const api = fakeApi({ sidePanel: { open: async () => void order.push('open') } });
    const click = onMenuClick(api, { menuItemId: MENU_ID, linkUrl }, { windowId: 3 }, { headlineOfLink: async () => (order.push('lookup'), null) });
    order.push('returned');
    await click;
    // Opened before onMenuClick returned (the click's own turn); the library asked only after.
    expect(order).toEqual(['open', 'returned', 'lookup']);
  });

  it('finds an article read before (history) by the id the library gave it', async () => {
    const page = {
      url: 'https://news.example/world/ukraine-talks',
      headline: 'Ukraine will send delegation to Istanbul',
      description: null,
      siteName: 'Example',
      canonicalUrl: null,
      publishedAt: null,
      lang: 'en',
    };
    const stored = fromPage(page, new Date('2025-06-02T08:00:00Z'));
    expect(articleIdForUrl(page.url)).toBe(stored.id);
    const db = await openLibrary('context-menu-link-test');
    await putArticles(db, [stored]);
    const library = { db: async () => db };
    expect(await headlineOfLink(library, `${page.url}#comments`)).toBe(page.headline);
    expect(await headlineOfLink(library, 'https://news.example/world/other-story')).toBeNull();
    expect(await headlineOfLink(library, 'javascript:alert(1)')).toBeNull();
  });
});
