import type { HeadlineMatch, PageInfo, RelatedStory } from '../core/article';
import type { FeedSuggestion, FeedView } from './feeds';
import type { ExportPage, ImportStatus } from './library-io';
import type { AppError } from './errors';
import type { LibraryStats } from './library-stats';
import { READING_SENDERS, type ReadingProtocol, type TabReading } from './reading';

/** A headline found on a listing page, as the content script sends it for matching. */
export interface HeadlineQuery {
  text: string;
  url: string | null;
  publishedAt: string | null;
}

/** What the popup shows for a tab. */
export interface TabStories extends TabReading {
  /**
   * "article": the page was read; "not-article": no headline; "loading": not read yet, the tab is
   * still loading (read once it is idle); "unknown": never read (a browser page, a PDF, no access).
   */
  state: 'article' | 'not-article' | 'loading' | 'unknown';
  page: PageInfo | null;
  stories: RelatedStory[];
  /**
   * How many of the page's headlines carry a Storyline badge, as the content script last said
   * (a front page is not an article, yet can have many). Absent: none reported.
   */
  badges?: number;
  /**
   * An article: how many articles the person's feeds and imports put in the library (the sample
   * articles and reading history not counted). With no stories and none added, the popup offers to
   * follow sources; with some, it says nothing in the library matches.
   */
  added?: number;
  /** The tab is in a private window: nothing from it is kept, so no Follow or "Not the same story". */
  private?: boolean;
  /** An article: how many results the person marked "Not the same story" for it (absent: none). */
  hidden?: number;
}

/**
 * The one message protocol between the content script, the popup/options pages and the
 * background worker: one key per message, payload in, result out. Sender and handler are both
 * typed from this interface, so they cannot drift.
 */
export interface ProtocolMap extends ReadingProtocol {
  /** Content script -> background: the page it read (null: not an article). Sender's tab is the key. */
  pageRead(page: PageInfo | null): HeadlineMatch;
  /** Content script -> background: every headline of one page pass, matched in one batch. */
  matchHeadlines(request: { headlines: HeadlineQuery[] }): { results: HeadlineMatch[] };
  /** Content script -> background: after a page pass, how many headlines now show a badge (for the popup). */
  badgesShown(request: { count: number }): { count: number };
  /**
   * Content script -> background: the tab moved to another page without loading (a single-page
   * site's history.pushState, or a page restored from the back/forward cache): what was read is
   * the old page's. Says nothing of the new one (click-only mode reads nothing before a press).
   */
  pageLeft(request: Record<string, never>): Record<string, never>;
  /** Extension page -> background: the stories for a tab, for the popup. */
  tabStories(request: { tabId: number }): TabStories;
  /** Extension page -> background: look up a headline typed by hand. */
  search(request: { query: string }): RelatedStory[];
  /** Options page: followed feeds with their status. */
  listFeeds(request: Record<string, never>): FeedView[];
  /**
   * Options page: follow a feed (or the feed a web page advertises); fetched at once.
   * `confirmedPrivate`: the person confirmed an address on their computer or network (row 29).
   */
  addFeed(request: { url: string; confirmedPrivate?: boolean }): FeedView;
  removeFeed(request: { feedId: string }): { removed: true };
  /** Options page: fetch one feed, or all when feedId is absent, now. */
  refreshFeeds(request: { feedId?: string }): FeedView[];
  /** Options page: the starter list of major outlets' feeds (offered, never followed without a click). */
  suggestedFeeds(request: Record<string, never>): FeedSuggestion[];
  /** Options page: the feeds an OPML file lists (parsed in the worker; an unusable file is an error). */
  parseOpml(request: { text: string }): { feeds: FeedSuggestion[] };
  /** Options page: the followed feeds as an OPML file. */
  exportOpml(request: Record<string, never>): { text: string };
  libraryStats(request: Record<string, never>): LibraryStats;
  /**
   * Options page: a JSONL import of `chunks` chunks with `total` non-empty lines begins; the worker
   * refuses while another import is still being stored.
   */
  importBegin(request: { total: number; chunks: number }): ImportStatus;
  /** Options page: chunk `seq` (from 0, in order) of the import: whole lines, the first being line `firstLine` (1-based). */
  importChunk(request: { jobId: string; seq: number; firstLine: number; text: string }): ImportStatus;
  /** Options page: the running or last import, null when there was none. */
  importStatus(request: Record<string, never>): ImportStatus | null;
  /** Options page: one page of the library (seed articles and reading history left out) as JSONL, from after the id `after`. */
  exportLibrary(request: { after?: string }): ExportPage;
  clearHistory(request: Record<string, never>): { removed: number };
  /** Options page: remove every article imported from a file (seeds, feeds and reading history stay). */
  clearImports(request: Record<string, never>): { removed: number };
  /**
   * Background -> content script (tabs.sendMessage), sent when the
   * popup or panel asks about a tab with nothing read (click-only mode, where the page is read only
   * when the toolbar button is pressed, or a tab opened before install). `read`: the page was read.
   */
  activate(request: Record<string, never>): { read: boolean };
  /**
   * Background -> content script: the tab's address changed or it began loading (Chrome reports a
   * single-page site's pushState as loading too). `showing`: this script's document is still the
   * tab's and has not left the page it last sent (an address rewrite: ?page=2, #comments; a move
   * to another article it tells with pageLeft); no answer or false: the tab shows another page.
   */
  showing(request: Record<string, never>): { showing: boolean };
  /**
   * Side panel -> background: the text a "Find related stories" click (context menu) left for the
   * panel of window `windowId`, taken once; null when none is waiting (issue 12, item 3).
   */
  takePanelQuery(request: { windowId: number }): { query: string | null };
  /**
   * Background -> extension pages (runtime.sendMessage, a notice nobody answers): tab `tabId`'s page
   * was read or forgotten. The side panel following that tab reloads; `left` (forgotten, the page
   * read is another than the one held, or nothing is held and the tab's address changed) also takes
   * away a context-menu query it shows.
   */
  tabChanged(request: { tabId: number; left: boolean }): Record<string, never>;
  /** Background -> extension pages: a context-menu query waits for the panel of window `windowId` (takePanelQuery). */
  panelQueryWaiting(request: { windowId: number }): Record<string, never>;
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

/** A failed answer carries an error code (errors.ts), which the screens put in words, never a sentence. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: AppError };

/**
 * Who may send each message: content scripts (with a tab), the extension's own pages, or the
 * worker: to a tab's content script ('worker') or to the extension's pages ('pages', a notice the
 * side panel listens for). The worker's own listener never answers either.
 */
export const SENDERS = {
  ...READING_SENDERS,
  pageRead: 'content',
  matchHeadlines: 'content',
  badgesShown: 'content',
  pageLeft: 'content',
  tabStories: 'extension',
  search: 'extension',
  listFeeds: 'extension',
  addFeed: 'extension',
  removeFeed: 'extension',
  refreshFeeds: 'extension',
  suggestedFeeds: 'extension',
  parseOpml: 'extension',
  exportOpml: 'extension',
  libraryStats: 'extension',
  importBegin: 'extension',
  importChunk: 'extension',
  importStatus: 'extension',
  exportLibrary: 'extension',
  clearHistory: 'extension',
  clearImports: 'extension',
  activate: 'worker',
  showing: 'worker',
  takePanelQuery: 'extension',
  tabChanged: 'pages',
  panelQueryWaiting: 'pages',
} as const satisfies Record<MessageType, 'content' | 'extension' | 'worker' | 'pages'>;

/** Messages the worker answers (every key but those it sends itself). */
export type WorkerMessageType = { [K in MessageType]: (typeof SENDERS)[K] extends 'worker' | 'pages' ? never : K }[MessageType];
/** Messages the worker sends to a tab's content script. */
export type TabMessageType = { [K in MessageType]: (typeof SENDERS)[K] extends 'worker' ? K : never }[MessageType];
/** Notices the worker sends to the extension's own pages. */
export type PageMessageType = { [K in MessageType]: (typeof SENDERS)[K] extends 'pages' ? K : never }[MessageType];
