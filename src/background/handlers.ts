import { toHeadlineMatch } from '../core/article';
import { sameArticleKeys, sameHost } from '../core/links';
import { badgeOptions, matchOptions, pageOnScreen, queryOf, storiesForPage, withoutHistory } from './answer';
import type { FeedRecord } from '../corpus/feed-record';
import { exportOpml, parseOpml } from '../corpus/feeds/opml';
import { STARTER_FEEDS } from '../corpus/feeds/starter';
import { StorageFullError } from '../corpus/library-db';
import { fromPage } from '../corpus/records';
import type { FeedView } from '../messaging/feeds';
import type { Handlers } from '../messaging/serve';
import type { TabStories } from '../messaging/protocol';
import { pageKeyOf, pairsFor, type HiddenPair } from './feedback';
import type { StoryIndex } from '../index/engine';
import type { PageInfo } from '../core/article';
import type { Settings } from '../settings/schema';
import type { Feeds } from './feeds';
import type { ImportJobs } from './import-job';
import { exportPage } from './library-export';
import type { Library } from './library';
import { undatedCenter } from './recent-days';
import { Reading } from './reading';
import { readingHandlers, withTabReading } from './reading-handlers';
import { notifyPages } from '../messaging/client';
import { takePanelQuery } from './context-menu';
import { activateTab, inPrivateWindow, stillLoading } from './tab-activation';
import {
  getTabAddress,
  getTabBadges,
  getTabPage,
  leaveTab,
  loadHistoryBudget,
  replacesAnother,
  saveHistoryBudget,
  setTabBadges,
  setTabPage,
} from './tab-state';
import type { HistoryBudget } from './history-budget';
import { showCount } from './toolbar-badge';

/** A feed record as the options page sees it: its status, not the worker's fetch bookkeeping. */
export function toFeedView(feed: FeedRecord): FeedView {
  const { id, url, title, addedAt, lastFetchAt, lastSuccessAt, itemCount, lastError, needsPermission } = feed;
  return { id, url, title, addedAt, lastFetchAt, lastSuccessAt, itemCount, lastError, needsPermission };
}

/**
 * How many of the page's results, as the library would list them now, the person hid with "Not
 * the same story": a pair whose article has left the library, or would not be listed anyway, is
 * not one of them (review, helper-34).
 */
function hiddenResults(index: StoryIndex, page: PageInfo, settings: Settings, hidden: readonly HiddenPair[]): number {
  const pairs = pairsFor({ key: pageKeyOf(page), headline: page.headline }, hidden);
  if (pairs.length === 0) return 0;
  const ids = new Set(pairs.map((pair) => pair.articleId));
  return storiesForPage(index, page, settings).filter((story) => ids.has(story.id)).length;
}

/** `imports` may be left out where no import is exercised (tests of the matching handlers). */
export function createHandlers(library: Library, feeds: Feeds, imports?: ImportJobs, reading: Reading = new Reading()): Handlers {
  const jobs = () => {
    if (!imports) throw new Error('imports are not wired in this worker');
    return imports;
  };
  // Loaded once per worker from storage.session, where every write is kept (tab-state.ts).
  let budget: Promise<HistoryBudget> | undefined;
  const mayRecord = async (host: string): Promise<boolean> => {
    const now = Date.now();
    const history = await (budget ??= loadHistoryBudget());
    if (!history.take(host, now)) return false;
    await saveHistoryBudget(history, now);
    return true;
  };
  const handlers: Handlers = {
    async pageRead(page, sender) {
      const tabId = sender.tabId!;
      const before = await setTabPage(tabId, page, sender.url);
      // A side panel following this tab shows the new page (issue 12), and leaves a query it showed
      // when this is another page than the one held (a new document that read before the
      // worker asked about the load; the page read again keeps it).
      void notifyPages('tabChanged', { tabId, left: replacesAnother(before, page, sender.url) });
      const settings = await library.settings();
      const index = await library.index(page ? [queryOf(page)] : [], matchOptions(settings));
      // Match before recording, so the page's own history entry is never among its related stories.
      const hidden = page ? await reading.hidden() : [];
      const stories = page ? storiesForPage(index, page, settings, hidden) : [];
      // The answer becomes the badge on the page's headline, which the page can read: reading
      // history stays in the toolbar count and the popup, out of the page's reach. Matched again
      // without it, not filtered afterwards (issue 9, finding 3: see withoutHistory), with its own
      // candidates loaded: retrieval with history may have left out one a reading outranked.
      // Nor "Not the same story" choices: a count one lower than the page's own would tell it that
      // the person had been here and hidden a story. They shape the popup and the toolbar count.
      if (page) await library.index([queryOf(page)], withoutHistory(matchOptions(settings)));
      const visible = page ? storiesForPage(index, page, settings, [], true) : [];
      // The tab may have moved on while this page was matched (a cold worker takes seconds): its
      // count would sit on the next page's toolbar (helper-40). Only the page still shown counts.
      if ((await getTabAddress(tabId)) === (sender.url ?? '')) await showCount(tabId, stories.length, settings.toolbarBadge);
      // Recorded only as the page the browser says sent it: a page's script cannot claim another
      // site's address and write history (or spend the budget) in its name.
      const fromItself = page !== null && sender.url !== null && sameHost(page.url, sender.url);
      if (page && fromItself && settings.history && !sender.incognito && (await mayRecord(new URL(page.url).hostname))) {
        try {
          await library.add([fromPage(page, new Date())]);
        } catch (error) {
          // Storage full (RELIABILITY row 12): the library has recorded it for Options; the page
          // still gets its answer, it just is not remembered this time.
          if (!(error instanceof StorageFullError)) throw error;
        }
      }
      return toHeadlineMatch(visible);
    },

    async matchHeadlines({ headlines }, sender) {
      const settings = await library.settings();
      const read = sender.tabId === null ? undefined : await getTabPage(sender.tabId);
      const page = pageOnScreen(sender.url, read ?? null);
      const base = badgeOptions(settings, page);
      // A headline with no date at all (the page states none) is matched around the library's
      // newest story when the library is behind today: an archive against an imported archive.
      const options = { ...base, now: undatedCenter(await library.newestByKind(), base.include, Date.now()) };
      const queries = headlines.map((h) => ({ title: h.text, url: h.url, publishedAt: h.publishedAt }));
      const index = await library.index(queries, options);
      const own = new Set([page.url, page.canonicalUrl].flatMap(sameArticleKeys));
      return {
        // Badges are the page's to read: drawn without the person's "Not the same story" choices,
        // which are keyed by the pages they read (a headline linked once to a page the person hid
        // a story on and once elsewhere would show two counts). Like reading history, they stay
        // in Storyline's own popup and panel.
        results: headlines.map((h, i) =>
          // A link on the page to the page itself ("Read also" boxes, sidebars) gets no badge.
          h.text && !sameArticleKeys(h.url).some((k) => own.has(k)) ? toHeadlineMatch(index.match(queries[i], options)) : toHeadlineMatch([]),
        ),
      };
    },

    async pageLeft(_request, sender) {
      await leaveTab(sender.tabId!);
      return {};
    },

    async badgesShown({ count }, sender) {
      const tabId = sender.tabId!;
      await setTabBadges(tabId, count);
      // On a front page (read, not an article) the toolbar counts the headlines showing a badge,
      // as the popup's sentence does; on an article it keeps counting the article's related stories.
      if ((await getTabPage(tabId)) === null) await showCount(tabId, count, (await library.settings()).toolbarBadge);
      return { count };
    },

    async tabStories({ tabId }) {
      let page = await getTabPage(tabId);
      // Nothing read yet: in click-only mode, opening the popup is the toolbar press that lets the page
      // be read; in either mode, a tab opened before install or update gets its script now (tab-activation.ts).
      if (page === undefined && (await activateTab(tabId))) page = await getTabPage(tabId);
      if (page === undefined) return { state: (await stillLoading(tabId)) ? 'loading' : 'unknown', page: null, stories: [] };
      // A front page is no article, but its headlines can have badges: the popup says how many.
      if (page === null) return { state: 'not-article', page: null, stories: [], badges: await getTabBadges(tabId) };
      const settings = await library.settings();
      const index = await library.index([queryOf(page)], matchOptions(settings));
      const hidden = await reading.hidden();
      const stories = storiesForPage(index, page, settings, hidden);
      // With nothing (left) to list, the popup speaks differently to a library of samples and to one
      // of feeds, and to a page whose every result the person hid.
      const kinds = index.countByKind();
      const added = (kinds.feed ?? 0) + (kinds.import ?? 0);
      const hiddenHere = stories.length === 0 ? hiddenResults(index, page, settings, hidden) : 0;
      const answer: TabStories = { state: 'article', page, stories, added, ...(hiddenHere ? { hidden: hiddenHere } : {}) };
      return (await inPrivateWindow(tabId)) ? { ...answer, private: true } : answer;
    },

    async search({ query }) {
      const settings = await library.settings();
      // A typed search has no date of its own: look through the whole library, a little looser.
      const typed = { title: query };
      const options = {
        minRelevance: 1,
        limit: settings.maxResults,
        windowDays: Number.POSITIVE_INFINITY,
        include: matchOptions(settings).include,
        search: true,
      } as const;
      return (await library.index([typed], options)).match(typed, options);
    },

    listFeeds: async () => (await feeds.list()).map(toFeedView),
    // A feed on this computer or the local network is followed only with the person's confirmation
    // from the options page, which travels with the message (RELIABILITY row 29).
    addFeed: async ({ url, confirmedPrivate }) => toFeedView(await feeds.add(url, { confirmedPrivate })),
    async removeFeed({ feedId }) {
      await feeds.remove(feedId);
      return { removed: true };
    },
    async refreshFeeds({ feedId }) {
      return (feedId ? [await feeds.refresh(feedId)] : await feeds.refreshAll()).map(toFeedView);
    },
    suggestedFeeds: () => STARTER_FEEDS.map(({ url, title }) => ({ url, title })),
    parseOpml: ({ text }) => ({ feeds: parseOpml(text) }),
    exportOpml: async () => ({ text: exportOpml((await feeds.list()).map(({ url, title }) => ({ url, title }))) }),
    libraryStats: () => library.stats(),

    importBegin: ({ total, chunks }) => jobs().begin(total, chunks),
    importChunk: ({ jobId, seq, firstLine, text }) => jobs().chunk(jobId, seq, firstLine, text),
    importStatus: () => jobs().status(),
    exportLibrary: async ({ after }) => exportPage(await library.db(), after),

    takePanelQuery: ({ windowId }) => ({ query: takePanelQuery(windowId) }),

    async clearHistory() {
      return { removed: await library.removeKind('history') };
    },
    async clearImports() {
      const removed = await library.removeKind('import');
      // An import stored before putArticles kept each kind's records apart may hold a followed
      // feed's copy of a story: the feeds store theirs back.
      if (removed > 0) await feeds.refetchAll();
      return { removed };
    },

    // "Not the same story" and followed stories (issue 12, items 4 and 5).
    ...readingHandlers(library, reading),
  };
  return withTabReading(handlers, reading);
}
