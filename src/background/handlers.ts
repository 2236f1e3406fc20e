import { toHeadlineMatch, type Article } from '../core/article';
import { matchOptions, storiesForPage } from './answer';
import { parseImportLine } from '../corpus/jsonl';
import { fromPage, toStored } from '../corpus/records';
import type { Handlers } from '../messaging/serve';
import type { Feeds } from './feeds';
import type { Library } from './library';
import { activateTab } from './tab-activation';
import { getTabPage, setTabPage } from './tab-state';
import { showCount } from './toolbar-badge';

export function createHandlers(library: Library, feeds: Feeds): Handlers {
  return {
    async pageRead(page, sender) {
      const tabId = sender.tabId!;
      await setTabPage(tabId, page);
      const settings = await library.settings();
      const index = await library.index();
      // Match before recording, so the page's own history entry is never among its related stories.
      const match = toHeadlineMatch(page ? storiesForPage(index, page, settings) : []);
      await showCount(tabId, match.total, settings.toolbarBadge);
      if (page && settings.history && !sender.incognito) await library.add([fromPage(page, new Date())]);
      return match;
    },

    async matchHeadlines({ headlines }) {
      const settings = await library.settings();
      const index = await library.index();
      const options = matchOptions(settings);
      return {
        results: headlines.map((h) =>
          h.text ? toHeadlineMatch(index.match({ title: h.text, url: h.url, publishedAt: h.publishedAt }, options)) : toHeadlineMatch([]),
        ),
      };
    },

    async tabStories({ tabId }) {
      let page = await getTabPage(tabId);
      // Click-only mode: opening the popup is the toolbar press that lets the page be read.
      if (page === undefined && (await library.settings()).clickOnly && (await activateTab(tabId))) page = await getTabPage(tabId);
      if (page === undefined) return { state: 'unknown', page: null, stories: [] };
      if (page === null) return { state: 'not-article', page: null, stories: [] };
      const settings = await library.settings();
      return { state: 'article', page, stories: storiesForPage(await library.index(), page, settings) };
    },

    async search({ query }) {
      const settings = await library.settings();
      // A typed search has no date of its own: look through the whole library, a little looser.
      return (await library.index()).match(
        { title: query },
        { minRelevance: 1, limit: settings.maxResults, windowDays: Number.POSITIVE_INFINITY, include: matchOptions(settings).include, search: true },
      );
    },

    listFeeds: () => feeds.list(),
    addFeed: ({ url }) => feeds.add(url),
    async removeFeed({ feedId }) {
      await feeds.remove(feedId);
      return { removed: true };
    },
    async refreshFeeds({ feedId }) {
      return feedId ? [await feeds.refresh(feedId)] : feeds.refreshAll();
    },
    libraryStats: () => library.stats(),

    async importArticles({ articles }) {
      const now = new Date();
      const valid = articles.map(parseImportLine).filter((a): a is Article => a !== null);
      await library.add(valid.map((a) => toStored(a, now)));
      return { added: valid.length };
    },

    async clearHistory() {
      return { removed: await library.removeKind('history') };
    },
  };
}
