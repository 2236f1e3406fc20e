import seeds from 'virtual:storyline-seeds';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { Feeds } from '../src/background/feeds';
import { matchOptions, queryOf, storiesForPage } from '../src/background/answer';
import { createHandlers } from '../src/background/handlers';
import { ImportJobs } from '../src/background/import-job';
import { Library } from '../src/background/library';
import { allTabPages, forgetTab } from '../src/background/tab-state';
import { showCount } from '../src/background/toolbar-badge';
import { createMessageListener } from '../src/messaging/serve';
import { loadSettings, watchSettings } from '../src/settings/store';

const POLL_ALARM = 'poll-feeds';
// Pruning walks the whole library: hourly is plenty for a 30-day retention window.
const PRUNE_ALARM = 'prune-library';

export default defineBackground(() => {
  const library = new Library(loadSettings, seeds);
  const feeds = new Feeds({ library });
  // An extension API call after each batch keeps Chrome from stopping the worker mid-import.
  const imports = new ImportJobs({ library, keepAlive: () => browser.runtime.getPlatformInfo() });

  // Listeners are registered synchronously at the top level, so a message or alarm that wakes
  // the worker is delivered (RELIABILITY row 4); handlers wait for the library themselves.
  const handlers = createHandlers(library, feeds, imports);
  browser.runtime.onMessage.addListener(createMessageListener(handlers, browser.runtime.id, browser.runtime.getURL('/')) as never);
  // A worker stopped mid-import goes on where the import's stored progress says.
  void imports.resume();

  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === POLL_ALARM) await feeds.pollDue();
    if (alarm.name === PRUNE_ALARM) await library.prune();
  });
  // Alarms can go missing across browser restarts (RELIABILITY row 3): re-create on every start.
  // One poll alarm drives every feed; each feed's own schedule lives in its record.
  for (const [name, periodInMinutes] of [
    [POLL_ALARM, 1],
    [PRUNE_ALARM, 60],
  ] as const) {
    void browser.alarms.get(name).then((alarm) => {
      if (!alarm) void browser.alarms.create(name, { periodInMinutes, delayInMinutes: 1 });
    });
  }

  // First run: the options page offers the starter feeds (never followed without a click).
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install') void browser.runtime.openOptionsPage();
  });

  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // A new page is loading: the old page's stories no longer apply.
    if (change.status === 'loading') void forgetTab(tabId).then(() => showCount(tabId, 0, false));
  });

  // Settings changed (seeds off, relevance, badge off): recount every open tab without a reload.
  watchSettings(async (settings) => {
    const pages = await allTabPages();
    const index = await library.index([...pages.values()].flatMap((page) => (page ? [queryOf(page)] : [])), matchOptions(settings));
    for (const [tabId, page] of pages) {
      const count = page ? storiesForPage(index, page, settings).length : 0;
      await showCount(tabId, count, settings.toolbarBadge);
    }
  });
});
