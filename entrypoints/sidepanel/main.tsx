import { render } from 'preact';
import { browser } from 'wxt/browser';
import { onNotice, send, VIEW_TIMEOUT_MS } from '../../src/messaging/client';
import { isIndexBuilding } from '../../src/messaging/index-state';
import { t } from '../../src/ui/i18n';
import { panelPageParams } from '../../src/ui/panel/open';
import { SidePanel, type PanelApi } from '../../src/ui/panel/SidePanel';
import '../../src/ui/theme.css';
import '../../src/ui/popup/popup.css';
import '../../src/ui/panel/panel.css';

/**
 * Chrome's side panel and Firefox's sidebar (issue 12). `sidepanel.html?windowId=N&q=text` follows
 * window N's active tab and looks up `text`: the window Storyline opens when the browser has no panel
 * to open, and tests that open the page in a tab.
 */
document.title = t('sidePanelTitle');
const { query, windowId: fromQuery } = panelPageParams(location.search);

const api: PanelApi = {
  async activeTab(windowId) {
    if (windowId === null) return null;
    const [tab] = await browser.tabs.query({ active: true, windowId });
    return tab?.id ?? null;
  },
  tabStories: (tabId) => send('tabStories', { tabId }, { timeoutMs: VIEW_TIMEOUT_MS }),
  search: (text) => send('search', { query: text }, { timeoutMs: VIEW_TIMEOUT_MS }),
  isBuilding: isIndexBuilding,
  takeQuery: async (windowId) => (await send('takePanelQuery', { windowId })).query,
  openOptions: () => void browser.runtime.openOptionsPage(),
  openSources: () => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#sources') }),
  onActivated(listener) {
    const handler = (info: { tabId: number; windowId: number }) => listener(info);
    browser.tabs.onActivated.addListener(handler);
    return () => browser.tabs.onActivated.removeListener(handler);
  },
  onTabChanged: (listener) => onNotice('tabChanged', listener),
  onQueryWaiting: (listener) => onNotice('panelQueryWaiting', ({ windowId }) => listener(windowId)),
  reading: (tabId) => ({
    hide: async (articleId) => void (await send('hideStory', { tabId, articleId })),
    follow: async () => void (await send('followStory', { tabId })),
    unfollow: async (key) => void (await send('unfollowStory', { key })),
  }),
};

void (async () => {
  // The panel's own window, whose active tab it follows (Chrome has one panel per window).
  const windowId = fromQuery ?? (await browser.windows.getCurrent()).id ?? null;
  render(<SidePanel api={api} windowId={windowId} initialQuery={query} />, document.getElementById('app')!);
})();
