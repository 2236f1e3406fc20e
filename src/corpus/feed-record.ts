import { MINUTE_MS } from '../core/time';
import type { FeedView } from '../messaging/feeds';

/**
 * A followed feed as the worker keeps it: what the options page sees (FeedView, the protocol's
 * shape) and the fetch bookkeeping that stays in the worker.
 */
export interface FeedRecord extends FeedView {
  etag: string | null;
  lastModified: string | null;
  /** Consecutive failures, for backoff. */
  failures: number;
  nextPollAt: string;
  /** Minutes between polls when all is well. */
  intervalMinutes: number;
  /**
   * The address on this computer or the local network (host with port) the person confirmed for
   * this feed when following it; the worker fetches no other private address for it (RELIABILITY
   * row 29). Absent in records written before the check: such a feed is refused until re-added.
   */
  privateHost?: string | null;
}

export const DEFAULT_INTERVAL_MINUTES = 30;
const MAX_BACKOFF_MINUTES = 24 * 60;

/** When to poll next: the interval (or the server's max-age, if longer) when all is well, doubling per failure. */
export function nextPoll(feed: Pick<FeedRecord, 'intervalMinutes' | 'failures'>, now: number, maxAgeSeconds: number | null): string {
  const base = Math.max(feed.intervalMinutes, maxAgeSeconds ? maxAgeSeconds / 60 : 0);
  const minutes = feed.failures > 0 ? Math.min(feed.intervalMinutes * 2 ** feed.failures, MAX_BACKOFF_MINUTES) : base;
  return new Date(now + minutes * MINUTE_MS).toISOString();
}
