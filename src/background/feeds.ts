import { browser } from 'wxt/browser';
import { stableId } from '../core/ids';
import { safeHttpUrl } from '../core/links';
import { DEFAULT_INTERVAL_MINUTES, nextPoll, type FeedRecord } from '../corpus/feed-record';
import { fetchFeed, type FetchOutcome } from '../corpus/feeds/fetch';
import { discoverFeeds, FeedError, parseFeed, type ParsedFeed } from '../corpus/feeds/parse';
import { fromFeedItem } from '../corpus/records';
import type { Library } from './library';

/** The host permission a feed needs, e.g. "https://feeds.example.com/*". */
export function originPattern(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}/*`;
}

export interface FeedDeps {
  library: Library;
  hasPermission?: (url: string) => Promise<boolean>;
  fetchFeed?: (url: string, feed: Pick<FeedRecord, 'etag' | 'lastModified'>) => Promise<FetchOutcome>;
  now?: () => number;
}

/**
 * Followed feeds: add, remove, refresh now, and the poll the alarm drives. One fetch per feed at
 * a time (RELIABILITY row 13); a failing feed records its error and touches nothing else (row 24).
 */
export class Feeds {
  private readonly inFlight = new Map<string, Promise<FeedRecord>>();
  private readonly hasPermission: (url: string) => Promise<boolean>;
  private readonly fetchOne: NonNullable<FeedDeps['fetchFeed']>;
  private readonly now: () => number;

  constructor(private readonly deps: FeedDeps) {
    this.hasPermission = deps.hasPermission ?? ((url) => browser.permissions.contains({ origins: [originPattern(url)] }));
    this.fetchOne = deps.fetchFeed ?? ((url, feed) => fetchFeed(url, { etag: feed.etag, lastModified: feed.lastModified }));
    this.now = deps.now ?? Date.now;
  }

  async list(): Promise<FeedRecord[]> {
    const db = await this.deps.library.db();
    return (await db.getAll('feeds')).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  }

  /**
   * Follows a feed by its URL, or by a web page that advertises one with <link rel="alternate">.
   * Fetches it at once so the person sees its status; a feed that fails is still kept, with its error.
   */
  async add(rawUrl: string): Promise<FeedRecord> {
    const url = safeHttpUrl(rawUrl.trim());
    if (!url) throw new Error('That is not a web address: a feed URL starts with http:// or https://.');
    const db = await this.deps.library.db();
    let feedUrl = url;
    if (await this.hasPermission(url)) {
      const first = await this.fetchOne(url, { etag: null, lastModified: null });
      if (first.kind === 'ok' && /html/i.test(first.contentType + first.body.slice(0, 200))) {
        const found = discoverFeeds(first.body, first.finalUrl);
        if (found.length === 0) throw new Error('That page is a web page that advertises no feed. Paste the feed’s own address.');
        feedUrl = found[0];
      }
    }
    const id = `f${stableId(feedUrl)}`;
    const existing = await db.get('feeds', id);
    const record: FeedRecord = existing ?? {
      id,
      url: feedUrl,
      title: null,
      addedAt: new Date(this.now()).toISOString(),
      lastFetchAt: null,
      lastSuccessAt: null,
      itemCount: 0,
      lastError: null,
      needsPermission: false,
      etag: null,
      lastModified: null,
      failures: 0,
      nextPollAt: new Date(this.now()).toISOString(),
      intervalMinutes: DEFAULT_INTERVAL_MINUTES,
    };
    await db.put('feeds', record);
    return this.refresh(id);
  }

  async remove(id: string): Promise<void> {
    const db = await this.deps.library.db();
    await db.delete('feeds', id);
    await this.deps.library.removeFeedArticles(id);
  }

  /** Fetches one feed now; a refresh already running for it is joined, not repeated. */
  refresh(id: string): Promise<FeedRecord> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const job = this.fetchAndStore(id).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, job);
    return job;
  }

  async refreshAll(): Promise<FeedRecord[]> {
    const feeds = await this.list();
    return Promise.all(feeds.map((f) => this.refresh(f.id)));
  }

  /** What the alarm runs: every feed whose time has come, one after another. */
  async pollDue(): Promise<number> {
    const now = this.now();
    let polled = 0;
    for (const feed of await this.list()) {
      if (Date.parse(feed.nextPollAt) > now) continue;
      await this.refresh(feed.id);
      polled++;
    }
    return polled;
  }

  private async fetchAndStore(id: string): Promise<FeedRecord> {
    const db = await this.deps.library.db();
    const feed = await db.get('feeds', id);
    if (!feed) throw new Error('That feed is no longer followed.');
    const now = this.now();
    const at = new Date(now).toISOString();
    if (!(await this.hasPermission(feed.url))) {
      // Refused or revoked (RELIABILITY row 30): say so and wait for the person, no error loop.
      const next = { ...feed, needsPermission: true, lastFetchAt: at, lastError: `needs permission to read ${new URL(feed.url).hostname}`, nextPollAt: new Date(now + 24 * 3_600_000).toISOString() };
      await db.put('feeds', next);
      return next;
    }
    const outcome = await this.fetchOne(feed.url, feed);
    let next: FeedRecord;
    if (outcome.kind === 'not-modified') {
      next = { ...feed, needsPermission: false, lastFetchAt: at, lastSuccessAt: at, lastError: null, failures: 0 };
      next.nextPollAt = nextPoll(next, now, outcome.maxAgeSeconds);
    } else if (outcome.kind === 'error') {
      next = { ...feed, needsPermission: false, lastFetchAt: at, lastError: outcome.message, failures: feed.failures + 1 };
      next.nextPollAt = nextPoll(next, now, null);
    } else {
      let parsed: ParsedFeed | null = null;
      let error: string | null = null;
      try {
        parsed = parseFeed(outcome.body, outcome.finalUrl);
      } catch (e) {
        error = e instanceof FeedError ? e.message : `could not read the feed: ${(e as Error).message}`;
      }
      if (parsed) {
        const title = feed.title ?? parsed.title;
        const articles = parsed.items.map((item) => fromFeedItem(item, { id: feed.id, title, url: feed.url }, new Date(now)));
        await this.deps.library.add(articles);
        next = {
          ...feed,
          title,
          needsPermission: false,
          lastFetchAt: at,
          lastSuccessAt: at,
          lastError: null,
          itemCount: articles.length,
          failures: 0,
          etag: outcome.etag,
          lastModified: outcome.lastModified,
        };
        next.nextPollAt = nextPoll(next, now, outcome.maxAgeSeconds);
      } else {
        next = { ...feed, needsPermission: false, lastFetchAt: at, lastError: error, failures: feed.failures + 1 };
        next.nextPollAt = nextPoll(next, now, null);
      }
    }
    // The feed may have been removed while it was being fetched: do not bring it back.
    if (await db.getKey('feeds', id)) await db.put('feeds', next);
    return next;
  }
}
