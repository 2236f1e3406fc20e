import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createHandlers, storiesForPage } from '../src/background/handlers';
import { createSeedLibrary } from '../src/background/library';
import { allTabPages, forgetTab } from '../src/background/tab-state';
import { showCount } from '../src/background/toolbar-badge';
import { createMessageListener } from '../src/messaging/serve';
import { loadSettings, watchSettings } from '../src/settings/store';

export default defineBackground(() => {
  const library = createSeedLibrary(loadSettings);

  // Listeners are registered synchronously at the top level, so a message that wakes the
  // worker is delivered (RELIABILITY row 4); handlers await the library themselves.
  browser.runtime.onMessage.addListener(
    createMessageListener(createHandlers(library), browser.runtime.id, browser.runtime.getURL('/')) as never,
  );

  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // A new page is loading: the old page's stories no longer apply.
    if (change.status === 'loading') void forgetTab(tabId).then(() => showCount(tabId, 0, false));
  });

  // Settings changed (seeds off, relevance, badge off): recount every open tab without a reload.
  watchSettings(async (settings) => {
    const index = await library.index();
    for (const [tabId, page] of await allTabPages()) {
      const count = page ? storiesForPage(index, page, settings).length : 0;
      await showCount(tabId, count, settings.toolbarBadge);
    }
  });
});
