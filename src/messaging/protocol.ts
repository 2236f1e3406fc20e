import type { HeadlineMatch, PageInfo, RelatedStory } from '../core/article';
import type { FeedRecord } from '../corpus/feed-record';
import type { ImportLine } from '../corpus/jsonl';
import type { LibraryStats } from './library-stats';

/** A headline found on a listing page, as the content script sends it for matching. */
export interface HeadlineQuery {
  text: string;
  url: string | null;
  publishedAt: string | null;
}

/** What the popup shows for a tab. */
export interface TabStories {
  /** "article": the page was read; "not-article": no headline; "unknown": never read (chrome:// page, opened before install). */
  state: 'article' | 'not-article' | 'unknown';
  page: PageInfo | null;
  stories: RelatedStory[];
  /**
   * How many of the page's headlines carry a Storyline badge, as the content script last said
   * (a front page is not an article, yet can have many). Absent: none reported.
   */
  badges?: number;
}

/**
 * The one message protocol between the content script, the popup/options pages and the
 * background worker: one key per message, payload in, result out. Sender and handler are both
 * typed from this interface, so they cannot drift.
 */
export interface ProtocolMap {
  /** Content script -> background: the page it read (null: not an article). Sender's tab is the key. */
  pageRead(page: PageInfo | null): HeadlineMatch;
  /** Content script -> background: every headline of one page pass, matched in one batch. */
  matchHeadlines(request: { headlines: HeadlineQuery[] }): { results: HeadlineMatch[] };
  /** Content script -> background: after a page pass, how many headlines now show a badge (for the popup). */
  badgesShown(request: { count: number }): { count: number };
  /** Extension page -> background: the stories for a tab, for the popup. */
  tabStories(request: { tabId: number }): TabStories;
  /** Extension page -> background: look up a headline typed by hand. */
  search(request: { query: string }): RelatedStory[];
  /** Options page: followed feeds with their status. */
  listFeeds(request: Record<string, never>): FeedRecord[];
  /**
   * Options page: follow a feed (or the feed a web page advertises); fetched at once.
   * `confirmedPrivate`: the person confirmed an address on their computer or network (row 29).
   */
  addFeed(request: { url: string; confirmedPrivate?: boolean }): FeedRecord;
  removeFeed(request: { feedId: string }): { removed: true };
  /** Options page: fetch one feed, or all when feedId is absent, now. */
  refreshFeeds(request: { feedId?: string }): FeedRecord[];
  libraryStats(request: Record<string, never>): LibraryStats;
  /** Options page: a batch of parsed JSONL lines to store (the page sends large files in batches). */
  importArticles(request: { articles: ImportLine[] }): { added: number };
  clearHistory(request: Record<string, never>): { removed: number };
}

export type MessageType = keyof ProtocolMap;
export type Payload<K extends MessageType> = Parameters<ProtocolMap[K]>[0];
export type Result<K extends MessageType> = ReturnType<ProtocolMap[K]>;

export const CHANNEL = 'storyline';

export interface Envelope<K extends MessageType = MessageType> {
  channel: typeof CHANNEL;
  type: K;
  payload: Payload<K>;
}

export type Reply<T> = { ok: true; value: T } | { ok: false; error: string };

/** Who may send each message: content scripts (with a tab) or the extension's own pages. */
export const SENDERS: Record<MessageType, 'content' | 'extension'> = {
  pageRead: 'content',
  matchHeadlines: 'content',
  badgesShown: 'content',
  tabStories: 'extension',
  search: 'extension',
  listFeeds: 'extension',
  addFeed: 'extension',
  removeFeed: 'extension',
  refreshFeeds: 'extension',
  libraryStats: 'extension',
  importArticles: 'extension',
  clearHistory: 'extension',
};

/**
 * Background -> content script (tabs.sendMessage): the one message the other way. In click-only
 * mode the page is read only when the toolbar button is pressed.
 */
export const ACTIVATE = { channel: CHANNEL, type: 'activate' } as const;
