import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '../../src/ui/popup/Popup';
import { send, VIEW_TIMEOUT_MS } from '../../src/messaging/client';
import { isIndexBuilding } from '../../src/messaging/index-state';
import { t } from '../../src/ui/i18n';
import { hasPanel, openPanelOrWindow } from '../../src/ui/panel/open';
import '../../src/ui/theme.css';
import '../../src/ui/popup/popup.css';

/** `popup.html?tabId=N` shows tab N (tests open the popup as a page); otherwise the active tab. */
async function targetTab(): Promise<number | null> {
  const fromQuery = new URLSearchParams(location.search).get('tabId');
  if (fromQuery && /^\d+$/.test(fromQuery)) return Number(fromQuery);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

document.title = t('popupTitle');

// Known before any click: the side panel must be opened in the click's own turn (a user action).
let windowId: number | null = null;
void browser.windows.getCurrent().then((win) => (windowId = win.id ?? null));

render(
  <Popup
    loadTab={async () => {
      const tabId = await targetTab();
      return tabId === null ? { state: 'unknown', page: null, stories: [] } : send('tabStories', { tabId }, { timeoutMs: VIEW_TIMEOUT_MS });
    }}
    search={(query) => send('search', { query }, { timeoutMs: VIEW_TIMEOUT_MS })}
    isBuilding={isIndexBuilding}
    openOptions={() => void browser.runtime.openOptionsPage()}
    openSources={() => void browser.tabs.create({ url: browser.runtime.getURL('/options.html#sources') })}
    openPanel={hasPanel(browser as never) ? () => void openPanelOrWindow(browser as never, windowId).then(() => window.close()) : undefined}
    reading={{
      hide: async (articleId) => {
        const tabId = await targetTab();
        if (tabId !== null) await send('hideStory', { tabId, articleId });
      },
      follow: async () => {
        const tabId = await targetTab();
        if (tabId !== null) await send('followStory', { tabId });
      },
      unfollow: async (key) => void (await send('unfollowStory', { key })),
    }}
  />,
  document.getElementById('app')!,
);
