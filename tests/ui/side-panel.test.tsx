// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RelatedStory } from '../../src/core/article';
import type { TabStories } from '../../src/messaging/protocol';
import { hasPanel, openPanel, openPanelOrWindow, panelPageParams, panelPageUrl } from '../../src/ui/panel/open';
import { SidePanel, type PanelApi } from '../../src/ui/panel/SidePanel';
import { Popup } from '../../src/ui/popup/Popup';
import { MAX_HEADLINE } from '../../src/messaging/validate';

const roots: Element[] = [];
const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

function mount(node: preact.ComponentChild) {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  return act(async () => render(node, root)).then(async () => {
    await settle();
    return root;
  });
}

const article = (tabId: number, headline: string): TabStories => ({
  state: 'article',
  page: { url: `https://news.example/${tabId}`, headline, description: null, siteName: 'Example', canonicalUrl: null, publishedAt: null, lang: 'en' },
  stories: [],
});

/** A panel API over a world of tabs: the tests change the world and fire the browser's events. */
function world(initial: { active: number; pages: Record<number, string>; waiting?: string | null }) {
  const state = { ...initial, pages: { ...initial.pages }, waiting: initial.waiting ?? null };
  const listeners = {
    activated: [] as ((tab: { tabId: number; windowId: number }) => void)[],
    changed: [] as ((change: { tabId: number; left: boolean }) => void)[],
    waiting: [] as ((id: number) => void)[],
  };
  const on =
    <T,>(list: ((value: T) => void)[]) =>
    (listener: (value: T) => void) => {
      list.push(listener);
      return () => list.splice(list.indexOf(listener), 1);
    };
  const api: PanelApi = {
    activeTab: async (windowId) => (windowId === 1 ? state.active : null),
    tabStories: vi.fn(async (tabId: number) => article(tabId, state.pages[tabId] ?? 'unknown')),
    search: vi.fn(async (query: string): Promise<RelatedStory[]> => [
      {
        id: 's',
        title: `About ${query}`,
        url: 'https://news.example/s',
        source: 'Wire',
        publishedAt: null,
        score: 0.5,
        label: 'related',
        matchedWords: [],
        alsoIn: [],
      },
    ]),
    takeQuery: vi.fn(async (windowId: number) => {
      const query = windowId === 1 ? state.waiting : null;
      state.waiting = null;
      return query;
    }),
    openOptions: vi.fn(),
    openSources: vi.fn(),
    onActivated: on(listeners.activated),
    onTabChanged: on(listeners.changed),
    onQueryWaiting: on(listeners.waiting),
  };
  const fire = async <T,>(list: ((value: T) => void)[], value: T) => {
    await act(async () => list.forEach((listener) => listener(value)));
    await settle();
  };
  return { api, state, listeners, fire };
}

const heading = (root: Element) => root.querySelector('h1')?.textContent ?? null;

describe('the side panel follows the active tab of its window (issue 12, item 2)', () => {
  it("shows the active tab's answer in the popup's view: a main landmark, the page as the h1, no panel button", async () => {
    const { api } = world({ active: 4, pages: { 4: 'North Korea troops' } });
    const root = await mount(<SidePanel api={api} windowId={1} initialQuery={null} />);
    expect(root.querySelector('main')).not.toBeNull();
    expect(heading(root)).toBe('North Korea troops');
    expect([...root.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Open in side panel');
  });

  it("switches with the window's active tab, and ignores other windows", async () => {
    const { api, listeners, fire } = world({ active: 4, pages: { 4: 'North Korea troops', 5: 'Istanbul talks' } });
    const root = await mount(<SidePanel api={api} windowId={1} initialQuery={null} />);
    await fire(listeners.activated, { tabId: 5, windowId: 2 });
    expect(heading(root)).toBe('North Korea troops');
    await fire(listeners.activated, { tabId: 5, windowId: 1 });
    expect(heading(root)).toBe('Istanbul talks');
  });

  it("loads again when the worker says the tab's page changed, and only for that tab", async () => {
    const { api, state, listeners, fire } = world({ active: 4, pages: { 4: 'North Korea troops' } });
    const root = await mount(<SidePanel api={api} windowId={1} initialQuery={null} />);
    state.pages[4] = 'Drone strike on planes';
    await fire(listeners.changed, { tabId: 9, left: false });
    expect(heading(root)).toBe('North Korea troops');
    await fire(listeners.changed, { tabId: 4, left: false });
    expect(heading(root)).toBe('Drone strike on planes');
  });

  it('shows a context-menu query it is told of, keeps it while the page is read again or rewrites its address, and goes back to the page when the tab shows another', async () => {
    const { api, state, listeners, fire } = world({ active: 4, pages: { 4: 'North Korea troops' } });
    const root = await mount(<SidePanel api={api} windowId={1} initialQuery={null} />);
    state.waiting = 'drone strike';
    await fire(listeners.waiting, 2);
    expect(root.textContent).not.toContain('Results for');
    await fire(listeners.waiting, 1);
    expect(root.querySelector('section[aria-label]')?.getAttribute('aria-label')).toBe('Results for “drone strike”');
    expect(root.textContent).toContain('About drone strike');
    // The page is loaded behind the results: "back" goes to it.
    expect(heading(root)).toBe('North Korea troops');
    // The page read again (the panel's own activation, a restored page), or another tab leaving its page: the results stay.
    await fire(listeners.changed, { tabId: 4, left: false });
    await fire(listeners.changed, { tabId: 9, left: true });
    expect(root.textContent).toContain('About drone strike');
    // Another page in the tab: back to the page.
    await fire(listeners.changed, { tabId: 4, left: true });
    expect(root.textContent).not.toContain('Results for');
  });

  it('opened for a query: takes the waiting one at once, or shows the one in its address', async () => {
    const first = world({ active: 4, pages: { 4: 'North Korea troops' }, waiting: 'drone strike' });
    const root = await mount(<SidePanel api={first.api} windowId={1} initialQuery={null} />);
    expect(root.textContent).toContain('About drone strike');
    const second = world({ active: 4, pages: { 4: 'North Korea troops' } });
    const other = await mount(<SidePanel api={second.api} windowId={1} initialQuery="Istanbul talks" />);
    expect(other.textContent).toContain('About Istanbul talks');
    expect(second.api.takeQuery).not.toHaveBeenCalled();
    expect((other.querySelector('input[type=search]') as HTMLInputElement).value).toBe('Istanbul talks');
  });
});

describe("the popup's side panel button", () => {
  it('is there when the browser has a panel, and opens it', async () => {
    const open = vi.fn();
    const props = { loadTab: async () => article(4, 'A'), search: async () => [], openOptions: () => undefined, openSources: () => undefined };
    const root = await mount(<Popup {...props} openPanel={open} />);
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Open in side panel');
    button!.click();
    expect(open).toHaveBeenCalledTimes(1);
    const without = await mount(<Popup {...props} />);
    expect([...without.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Open in side panel');
  });
});

describe('opening the panel (src/ui/panel/open.ts)', () => {
  it("Chrome: the window's side panel, in the same turn as the click; a refusal is false", async () => {
    const calls: unknown[] = [];
    const api = { sidePanel: { open: (options: { windowId: number }) => (calls.push(options), Promise.resolve()) } };
    const opened = openPanel(api, 3);
    // Called before anything was awaited: the browser still sees the user's action.
    expect(calls).toEqual([{ windowId: 3 }]);
    expect(await opened).toBe(true);
    expect(await openPanel(api, null)).toBe(false);
    expect(await openPanel({ sidePanel: { open: () => Promise.reject(new Error('user gesture')) } }, 3)).toBe(false);
  });

  it('Firefox: the sidebar; a browser with neither has no panel', async () => {
    const open = vi.fn(() => Promise.resolve());
    expect(await openPanel({ sidebarAction: { open } }, null)).toBe(true);
    expect(open).toHaveBeenCalledTimes(1);
    expect(await openPanel({}, 3)).toBe(false);
    expect(hasPanel({})).toBe(false);
    expect(hasPanel({ sidebarAction: { open } })).toBe(true);
  });

  it("the panel page's address carries its query and window, and reads them back validated", () => {
    const url = panelPageUrl('chrome-extension://id/sidepanel.html', { query: 'drone & strike', windowId: 3 });
    expect(panelPageParams(new URL(url).search)).toEqual({ query: 'drone & strike', windowId: 3 });
    expect(panelPageUrl('chrome-extension://id/sidepanel.html', {})).toBe('chrome-extension://id/sidepanel.html');
    const hostile = panelPageParams(`?q=${encodeURIComponent(`\u202eevil ${'x'.repeat(1000)}`)}&windowId=-1`);
    expect(hostile.windowId).toBeNull();
    expect(hostile.query!.startsWith('evil x')).toBe(true);
    expect(hostile.query!.length).toBeLessThanOrEqual(MAX_HEADLINE);
    expect(panelPageParams('?q=%20%20&windowId=abc')).toEqual({ query: null, windowId: null });
  });
});

describe('"Open in side panel" in the popup never does nothing', () => {
  const api = (open: () => Promise<void>, current = 3) => {
    const created: string[] = [];
    return {
      created,
      sidePanel: { open: vi.fn(open) },
      runtime: { getURL: (path: string) => `chrome-extension://id${path}` },
      windows: { create: vi.fn(async (o: { url: string }) => void created.push(o.url)), getCurrent: async () => ({ id: current }) },
    };
  };

  it('opens the panel when the browser lets it', async () => {
    const browser = api(async () => undefined);
    expect(await openPanelOrWindow(browser, 3)).toBe('panel');
    expect(browser.sidePanel.open).toHaveBeenCalledWith({ windowId: 3 });
    expect(browser.created).toEqual([]);
  });

  it('refused, or the window not known yet: the same view in a small window following the popup’s window', async () => {
    const refused = api(async () => Promise.reject(new Error('may only be called in response to a user gesture')));
    expect(await openPanelOrWindow(refused, 3)).toBe('window');
    expect(refused.created).toEqual(['chrome-extension://id/sidepanel.html?windowId=3']);
    const unknownWindow = api(async () => undefined, 7);
    expect(await openPanelOrWindow(unknownWindow, null)).toBe('window');
    expect(unknownWindow.sidePanel.open).not.toHaveBeenCalled();
    expect(unknownWindow.created).toEqual(['chrome-extension://id/sidepanel.html?windowId=7']);
  });
});
