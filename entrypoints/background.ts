import seeds from 'virtual:storyline-seeds';
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { Feeds } from '../src/background/feeds';
import { matchOptions, queryOf, storiesForPage } from '../src/background/answer';
import { createHandlers } from '../src/background/handlers';
import { ImportJobs } from '../src/background/import-job';
import { headlineOfLink, wireContextMenu } from '../src/background/context-menu';
import { Library } from '../src/background/library';
import { Reading } from '../src/background/reading';
import { allTabPages, forgetTab, getTabBadges, tabNavigated } from '../src/background/tab-state';
import { showCount } from '../src/background/toolbar-badge';
import { wireAlarmsAndInstall } from '../src/background/wiring';
import { setIndexBuilding } from '../src/messaging/index-state';
import { createMessageListener } from '../src/messaging/serve';
import { loadSettings, watchSettings } from '../src/settings/store';

export default defineBackground(() => {
  // A rebuild holds the worker for seconds: the popup reads that it is under way from storage.session.
  void setIndexBuilding(false);
  const library = new Library(loadSettings, seeds, undefined, { onBuilding: setIndexBuilding });
  // "Not the same story" pairs and followed stories; feed polls hand it their new articles (issue 12).
  const reading = new Reading();
  const feeds = new Feeds({ library, onNewArticles: (articles) => reading.noticeNew(library, articles) });
  // An extension API call after each batch keeps Chrome from stopping the worker mid-import.
  const imports = new ImportJobs({ library, keepAlive: () => browser.runtime.getPlatformInfo() });

  // Listeners are registered synchronously at the top level, so a message or alarm that wakes
  // the worker is delivered (RELIABILITY row 4); handlers wait for the library themselves.
  const handlers = createHandlers(library, feeds, imports, reading);
  browser.runtime.onMessage.addListener(createMessageListener(handlers, browser.runtime.id, browser.runtime.getURL('/')) as never);
  // A worker stopped mid-import goes on where the import's stored progress says.
  void imports.resume();

  // The poll and prune alarms, re-created when missing (RELIABILITY row 3), and the first-run page.
  wireAlarmsAndInstall(browser, { pollFeeds: () => feeds.pollDue(), pruneLibrary: () => library.prune() });

  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId, true));
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // Another page, unless the document that sent the page held still shows it (tab-state.ts). A single-page site's
    // move to another article loads nothing: its content script says so, with pageLeft.
    if (change.status === 'loading' || change.url !== undefined) void tabNavigated(tabId);
  });

  // "Find related stories" on a selection or link, and the command that opens the side panel (issue 12).
  wireContextMenu(browser as never, { headlineOfLink: (url) => headlineOfLink(library, url) });

  // Settings changed (seeds off, relevance, badge off): recount every open tab without a reload.
  watchSettings(async (settings) => {
    const pages = await allTabPages();
    const index = await library.index(
      [...pages.values()].flatMap((page) => (page ? [queryOf(page)] : [])),
      matchOptions(settings),
    );
    const hidden = await reading.hidden();
    for (const [tabId, page] of pages) {
      // A front page counts its headlines that show a badge, as badgesShown set it.
      const count = page ? storiesForPage(index, page, settings, hidden).length : await getTabBadges(tabId);
      await showCount(tabId, count, settings.toolbarBadge);
    }
  });
});
