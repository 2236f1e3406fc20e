import type { RelatedStory } from '../core/article';

/**
 * The person's own reading choices (issue 12, items 4 and 5), as the popup and the options page
 * see them: results they said were "not the same story", and stories they follow. Both are kept
 * by the worker in storage.local and never leave the browser.
 */

/** One result hidden from one page ("Not the same story"). */
export interface HiddenView {
  /** The page's address as Storyline keys it (articleKey of its canonical URL or URL). */
  pageKey: string;
  pageHeadline: string;
  articleId: string;
  articleTitle: string;
  articleSource: string;
  hiddenAt: string;
}

/** A followed story, for the options page. */
export interface FollowedView {
  key: string;
  headline: string;
  source: string | null;
  url: string;
  followedAt: string;
  /** New coverage found since it was followed (kept, newest first). */
  found: number;
  /** Of those, not yet shown in the popup. */
  unseen: number;
  /** The coverage found, newest first: Options lists it for as long as the story is followed. */
  stories: RelatedStory[];
}

/** New coverage of a followed story that the popup has not shown yet. */
export interface FollowNews {
  key: string;
  headline: string;
  /** True for the story of the tab the popup shows. */
  current: boolean;
  stories: RelatedStory[];
}

/** What `tabStories` adds for the reading features. */
export interface TabReading {
  /** The page's story and whether it is followed (absent: the tab shows no article). */
  follow?: { key: string; following: boolean };
  /** Followed stories with coverage new since the person last saw them (then marked seen). */
  news?: FollowNews[];
}

/** The reading messages, all from Storyline's own pages to the worker. */
export interface ReadingProtocol {
  /** Popup: "Not the same story": hide this result from the tab's page, and learn from it. */
  hideStory(request: { tabId: number; articleId: string }): { hidden: true };
  /** Options page: undo a "Not the same story". */
  showStoryAgain(request: { pageKey: string; articleId: string }): { shown: boolean };
  /** Options page: the hidden results, newest first. */
  hiddenStories(request: Record<string, never>): HiddenView[];
  /** Popup: follow the tab's story. */
  followStory(request: { tabId: number }): FollowedView;
  /** Popup or options page: stop following a story. */
  unfollowStory(request: { key: string }): { unfollowed: boolean };
  /** Options page: followed stories, newest first. */
  followedStories(request: Record<string, never>): FollowedView[];
}

export const READING_SENDERS = {
  hideStory: 'extension',
  showStoryAgain: 'extension',
  hiddenStories: 'extension',
  followStory: 'extension',
  unfollowStory: 'extension',
  followedStories: 'extension',
} as const satisfies Record<keyof ReadingProtocol, 'extension'>;

/** Longest page key and article id the worker accepts in a message or from storage. */
export const MAX_KEY = 2100;
export const MAX_ARTICLE_ID = 300;
