import { CodedError } from '../messaging/errors';
import type { PageInfo } from '../core/article';
import type { ReadingProtocol } from '../messaging/reading';
import type { Handlers } from '../messaging/serve';
import { matchOptions, queryOf, storiesForPage } from './answer';
import { applyFeedback } from './feedback';
import { toFollowedView } from './follow';
import type { Library } from './library';
import { FOLLOW_LIMIT, type Reading } from './reading';
import { inPrivateWindow } from './tab-activation';
import { getTabPage } from './tab-state';
import { showCount } from './toolbar-badge';

/**
 * Hiding a result and following a story store the page's address and headline for good; nothing
 * from a private window is kept (as reading history is not), so both are refused there.
 */
async function refusePrivate(tabId: number): Promise<void> {
  if (await inPrivateWindow(tabId)) throw new CodedError({ code: 'privateWindow' }, 'Storyline keeps nothing from private windows.');
}

type ReadingHandlers = { [K in keyof ReadingProtocol]: (payload: Parameters<ReadingProtocol[K]>[0]) => Promise<ReturnType<ReadingProtocol[K]>> };

/** The worker's answers to the reading messages (issue 12, items 4 and 5); spread into createHandlers. */
export function readingHandlers(library: Pick<Library, 'index' | 'settings'>, reading: Reading): ReadingHandlers {
  /** The tab's page and the stories the popup lists for it now. */
  const tabAnswer = async (tabId: number) => {
    const page: PageInfo | null | undefined = await getTabPage(tabId);
    if (!page) throw new Error('That tab shows no article Storyline has read.');
    const settings = await library.settings();
    const index = await library.index([queryOf(page)], matchOptions(settings));
    return { page, settings, index, stories: storiesForPage(index, page, settings, await reading.hidden()) };
  };
  return {
    async hideStory({ tabId, articleId }) {
      await refusePrivate(tabId);
      const { page, stories, settings, index } = await tabAnswer(tabId);
      // Only a result the page lists can be said not to belong to it (the popup offers no other).
      const story = stories.find((s) => s.id === articleId);
      if (!story) throw new Error('That story is not among this page’s related stories.');
      await reading.hide(page, story);
      // The toolbar count drops with the popup's list at once, not at the next page load.
      await showCount(tabId, storiesForPage(index, page, settings, await reading.hidden()).length, settings.toolbarBadge);
      return { hidden: true };
    },
    showStoryAgain: async ({ pageKey, articleId }) => ({ shown: await reading.showAgain(pageKey, articleId) }),
    hiddenStories: () => reading.hidden(),
    async followStory({ tabId }) {
      await refusePrivate(tabId);
      const { page, settings, index } = await tabAnswer(tabId);
      // Known: every story a development check could match now (FOLLOW_LIMIT), not only the popup's
      // ten, or one ranked 11th that left the library and came back was told as news (helper-42).
      const known = storiesForPage(index, page, { ...settings, maxResults: FOLLOW_LIMIT }, await reading.hidden());
      return toFollowedView(
        await reading.follow(
          page,
          known.map((s) => s.id),
        ),
      );
    },
    unfollowStory: async ({ key }) => ({ unfollowed: await reading.unfollow(key) }),
    followedStories: async () => {
      const hidden = await reading.hidden();
      return (await reading.follows()).map((story) => {
        const view = toFollowedView(story);
        return { ...view, stories: applyFeedback(view.stories, { key: story.key, headline: story.page.headline }, hidden) };
      });
    },
  };
}

/** The popup's tab answer with the reading features: the page's follow state and followed stories' news. */
export function withTabReading(handlers: Handlers, reading: Reading): Handlers {
  const tabStories = handlers.tabStories;
  return {
    ...handlers,
    async tabStories(payload, sender) {
      const answer = await tabStories(payload, sender);
      return { ...answer, ...(await reading.forTab(answer.page)) };
    },
  };
}
