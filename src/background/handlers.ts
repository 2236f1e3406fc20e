import type { PageInfo, RelatedStory } from '../core/article';
import type { StoryIndex } from '../index/engine';
import type { Handlers } from '../messaging/serve';
import type { Settings } from '../settings/schema';
import { getTabPage, setTabPage } from './tab-state';
import { showCount } from './toolbar-badge';

export interface Library {
  /** Resolves once the index is ready; every handler waits for it (RELIABILITY row 5). */
  index(): Promise<StoryIndex>;
  settings(): Promise<Settings>;
}

export function storiesForPage(index: StoryIndex, page: PageInfo, settings: Settings): RelatedStory[] {
  return index.match(
    {
      title: page.headline,
      description: page.description,
      source: page.siteName,
      publishedAt: page.publishedAt,
      url: page.url,
      canonicalUrl: page.canonicalUrl,
      lang: page.lang,
    },
    { minRelevance: settings.minRelevance, limit: settings.maxResults, windowDays: settings.windowDays },
  );
}

export function createHandlers(library: Library): Handlers {
  return {
    async pageRead(page, sender) {
      const tabId = sender.tabId!;
      await setTabPage(tabId, page);
      const settings = await library.settings();
      const count = page ? storiesForPage(await library.index(), page, settings).length : 0;
      await showCount(tabId, count, settings.toolbarBadge);
      return { count };
    },

    async tabStories({ tabId }) {
      const page = await getTabPage(tabId);
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
        { minRelevance: 1, limit: settings.maxResults, windowDays: Number.POSITIVE_INFINITY },
      );
    },
  };
}
