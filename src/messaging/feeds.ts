import type { AppError } from './errors';

/**
 * Feeds as the screens see them (messages `listFeeds`, `addFeed`, `refreshFeeds`, `suggestedFeeds`,
 * `parseOpml`): shapes of the protocol, so the options page needs nothing from the worker's modules.
 * The worker's own record (corpus/feed-record) carries more (validators, backoff, the confirmed
 * private host) that stays in the worker.
 */
export interface FeedView {
  id: string;
  url: string;
  title: string | null;
  addedAt: string;
  /** Last attempt, successful or not (ISO), or null before the first. */
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  /** Items in the last successful fetch. */
  itemCount: number;
  /** The last error's code ({ code: 'httpStatus', status: 404 }), or null when the last fetch worked. */
  lastError: AppError | null;
  /** The browser's permission for this feed's site is missing (refused or revoked). */
  needsPermission: boolean;
}

/** A feed offered to follow: one of the starter list, or one read from an OPML file. */
export interface FeedSuggestion {
  url: string;
  title: string | null;
}

/**
 * The host permission a feed needs, e.g. "https://feeds.example.com/*": the options page asks the
 * browser for it from the person's click, and the worker checks the same pattern before fetching.
 */
export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}
