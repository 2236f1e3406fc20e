import { browser } from 'wxt/browser';
import { stableId } from '../core/ids';
import { isPrivateAddress, safeHttpUrl } from '../core/links';
import { DAY_MS } from '../core/time';
import { DEFAULT_INTERVAL_MINUTES, nextPoll, type FeedRecord } from '../corpus/feed-record';
import { fetchFeed, fetchRefusal, type FetchOutcome } from '../corpus/feeds/fetch';
import { discoverFeeds, FeedError, isWebPage, type ParsedFeed } from '../corpus/feeds/parse';
import { decodeFeed, readFeed } from '../corpus/feeds/read';
import { feedStore, type FeedStore } from '../corpus/feed-store';
import { fromFeedItem, type StoredArticle } from '../corpus/records';
import { isQuotaError } from '../corpus/library-db';
import { CodedError, type AppError } from '../messaging/errors';
import { originPattern } from '../messaging/feeds';
import type { Library } from './library';

/** What a refresh that threw records: the thrower's own code (storage full: RELIABILITY row 12), else its message. */
function failureError(error: unknown): AppError {
  if (error instanceof CodedError) return error.info;
  return { code: 'feedRefreshFailed', detail: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
}

/** A web page is searched for feed links in its first megabyte. */
const MAX_PAGE_BYTES = 1_048_576;

export interface FeedDeps {
  library: Library;
  hasPermission?: (url: string) => Promise<boolean>;
  /** The network; the real one (fetchFeed) re-checks every redirect against the feed's privateHost. */
  fetchFeed?: (url: string, feed: Pick<FeedRecord, 'etag' | 'lastModified' | 'privateHost'>) => Promise<FetchOutcome>;
  now?: () => number;
  /**
   * Called with the articles a refresh added that the library did not hold before (followed
   * stories look for their news among them: issue 12, item 4). Its failure never fails the feed.
   */
  onNewArticles?: (articles: readonly StoredArticle[]) => Promise<unknown>;
}

export interface AddOptions {
  /** The person confirmed, in the options page, that this address on their computer or network may be read. */
  confirmedPrivate?: boolean;
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

  private readonly store: FeedStore;

  constructor(private readonly deps: FeedDeps) {
    this.store = feedStore(() => deps.library.db());
    this.hasPermission = deps.hasPermission ?? ((url) => browser.permissions.contains({ origins: [originPattern(url)] }));
    this.fetchOne =
      deps.fetchFeed ?? ((url, feed) => fetchFeed(url, { etag: feed.etag, lastModified: feed.lastModified, privateHost: feed.privateHost ?? null }));
    this.now = deps.now ?? Date.now;
  }

  async list(): Promise<FeedRecord[]> {
    return this.store.list();
  }

  /**
   * Follows a feed by its URL, or by a web page that advertises one with <link rel="alternate">.
   * Fetches it at once so the person sees its status; a feed that fails is still kept, with its error.
   * An address on this computer or the local network is refused unless the person confirmed it
   * (RELIABILITY row 29); a feed a page advertises is held to the same rule.
   */
  async add(rawUrl: string, options: AddOptions = {}): Promise<FeedRecord> {
    const url = safeHttpUrl(rawUrl.trim());
    if (!url) throw new CodedError({ code: 'feedNotWebAddress' });
    const privateHost = isPrivateAddress(url) && options.confirmedPrivate ? new URL(url).host : null;
    const refusal = fetchRefusal(url, privateHost);
    if (refusal) throw new CodedError(refusal.code === 'fetchPrivate' ? { code: 'feedPrivateUnconfirmed', host: refusal.host } : refusal);
    let feedUrl = url;
    if (await this.hasPermission(url)) {
      const first = await this.fetchOne(url, { etag: null, lastModified: null, privateHost });
      const page = first.kind === 'ok' ? decodeFeed(first.bytes.subarray(0, MAX_PAGE_BYTES), first.contentType) : '';
      if (first.kind === 'ok' && isWebPage(page, first.contentType)) {
        const found = discoverFeeds(page, first.finalUrl);
        if (found.length === 0) throw new CodedError({ code: 'feedPageHasNoFeed' });
        const allowed = found.find((u) => fetchRefusal(u, privateHost) === null);
        if (!allowed) throw new CodedError({ code: 'feedPageFeedPrivate', host: new URL(found[0]).hostname });
        feedUrl = allowed;
      }
    }
    const id = `f${stableId(feedUrl)}`;
    const existing = await this.store.get(id);
    const feedPrivateHost = isPrivateAddress(feedUrl) ? privateHost : null;
    const record: FeedRecord = existing
      ? { ...existing, privateHost: existing.privateHost ?? feedPrivateHost }
      : {
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
          privateHost: feedPrivateHost,
        };
    await this.store.put(record);
    return this.refresh(id);
  }

  /**
   * Unfollows a feed and removes its articles. An article is stored once, under the feed that
   * stored it last, so another followed feed carrying the same story loses its copy too: the
   * others are fetched again in full on the next poll (their validators dropped, so no 304
   * answers "nothing changed"), which stores their items back.
   */
  async remove(id: string): Promise<void> {
    await this.store.delete(id);
    if ((await this.deps.library.removeFeedArticles(id)) === 0) return;
    try {
      await this.refetchAll();
    } catch (error) {
      // A full disk: the feed and its articles are gone as asked; the others refill at their next
      // full fetch instead of this one (RELIABILITY row 12).
      if (!isQuotaError(error)) throw error;
    }
  }

  /** Bumped by refetchAll: a refresh under way when it changed does not write its validators back. */
  private refetchEpoch = 0;

  /**
   * After the library lost articles other feeds may also carry (a feed unfollowed, imports removed):
   * every followed feed is fetched again in full at the next poll, storing its items back.
   */
  async refetchAll(): Promise<void> {
    this.refetchEpoch++;
    await this.store.refetchAll(new Date(this.now()).toISOString());
  }

  /**
   * Fetches one feed now; a refresh already running for it is joined, not repeated. Whatever goes
   * wrong is recorded on the feed (error, backoff); only a feed that is no longer followed throws.
   */
  refresh(id: string): Promise<FeedRecord> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const job = this.fetchAndStore(id)
      .catch((error: unknown) => this.recordFailure(id, error))
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, job);
    return job;
  }

  async refreshAll(): Promise<FeedRecord[]> {
    const feeds = await this.list();
    return Promise.all(feeds.map((f) => this.refresh(f.id)));
  }

  /** What the alarm runs: every feed whose time has come, one after another; one feed's failure never stops the rest. */
  async pollDue(): Promise<number> {
    const now = this.now();
    let polled = 0;
    for (const feed of await this.list()) {
      if (Date.parse(feed.nextPollAt) > now) continue;
      polled++;
      try {
        await this.refresh(feed.id);
      } catch (error) {
        console.warn(`Storyline: polling ${feed.url} failed:`, error);
      }
    }
    return polled;
  }

  /** A refresh that threw: the feed keeps its articles and records the error, with backoff. */
  private async recordFailure(id: string, error: unknown): Promise<FeedRecord> {
    const feed = await this.store.get(id);
    if (!feed) throw error;
    const now = this.now();
    const next: FeedRecord = {
      ...feed,
      lastFetchAt: new Date(now).toISOString(),
      lastError: failureError(error),
      failures: feed.failures + 1,
    };
    next.nextPollAt = nextPoll(next, now, null);
    if (!(await this.store.putIfFollowed(next))) throw error;
    return next;
  }

  private async fetchAndStore(id: string): Promise<FeedRecord> {
    const epoch = this.refetchEpoch;
    const feed = await this.store.get(id);
    if (!feed) throw new CodedError({ code: 'feedNotFollowed' });
    const now = this.now();
    const at = new Date(now).toISOString();
    if (!(await this.hasPermission(feed.url))) {
      // Refused or revoked (RELIABILITY row 30): say so and wait for the person, no error loop.
      const next = {
        ...feed,
        needsPermission: true,
        lastFetchAt: at,
        lastError: { code: 'feedNeedsPermission' as const, host: new URL(feed.url).hostname },
        nextPollAt: new Date(now + DAY_MS).toISOString(),
      };
      await this.store.putIfFollowed(next);
      return next;
    }
    const refusal = fetchRefusal(feed.url, feed.privateHost ?? null);
    if (refusal) {
      const next: FeedRecord = {
        ...feed,
        needsPermission: false,
        lastFetchAt: at,
        lastError: refusal.code === 'fetchPrivate' ? { code: 'feedPrivateRefused', host: refusal.host } : refusal,
        failures: feed.failures + 1,
      };
      next.nextPollAt = nextPoll(next, now, null);
      await this.store.putIfFollowed(next);
      return next;
    }
    // Written before the fetch and the parse: a worker stopped half-way through leaves the feed
    // scheduled after a backoff, not due again at the next one-minute alarm (RELIABILITY row 2).
    const pending: FeedRecord = { ...feed, lastFetchAt: at, failures: feed.failures + 1 };
    pending.nextPollAt = nextPoll(pending, now, null);
    if (!(await this.store.putIfFollowed(pending))) throw new CodedError({ code: 'feedNotFollowed' });
    let next: FeedRecord;
    try {
      next = await this.fetchAndParse(feed, now);
    } catch (error) {
      // The network layer or the library threw: the same record as any failed fetch.
      next = { ...feed, lastFetchAt: at, lastError: failureError(error), failures: feed.failures + 1 };
      next.nextPollAt = nextPoll(next, now, null);
    }
    // A full refetch was asked for meanwhile (refetchAll): this answer (a 304, say) does not stand for it.
    if (this.refetchEpoch !== epoch)
      next = { ...next, etag: null, lastModified: null, nextPollAt: next.failures > 0 ? next.nextPollAt : new Date(this.now()).toISOString() };
    // The feed may have been removed while it was being fetched: do not bring it back, and take
    // away the articles this refresh stored for it, which nothing would remove later (issue 9, finding 7).
    if (!(await this.store.putIfFollowed(next))) await this.deps.library.removeFeedArticles(feed.id);
    return next;
  }

  /** Of these articles, those the library does not hold yet (asked only when someone listens for them). */
  private async notHeld(articles: readonly StoredArticle[]): Promise<StoredArticle[]> {
    if (!this.deps.onNewArticles || articles.length === 0) return [];
    const index = await this.deps.library.index([]);
    return articles.filter((a) => !index.has(a.id));
  }

  /** The fetch, the parse and the store, as the feed's next record; the caller writes it. */
  private async fetchAndParse(feed: FeedRecord, now: number): Promise<FeedRecord> {
    const at = new Date(now).toISOString();
    const outcome = await this.fetchOne(feed.url, feed);
    let next: FeedRecord;
    if (outcome.kind === 'not-modified') {
      next = { ...feed, needsPermission: false, lastFetchAt: at, lastSuccessAt: at, lastError: null, failures: 0 };
      next.nextPollAt = nextPoll(next, now, outcome.maxAgeSeconds);
    } else if (outcome.kind === 'error') {
      next = { ...feed, needsPermission: false, lastFetchAt: at, lastError: outcome.error, failures: feed.failures + 1 };
      next.nextPollAt = nextPoll(next, now, null);
    } else {
      let parsed: ParsedFeed | null = null;
      let error: AppError | null = null;
      try {
        parsed = readFeed(outcome.bytes, outcome.contentType, outcome.finalUrl);
      } catch (e) {
        error = e instanceof FeedError ? e.info : { code: 'feedUnreadable', detail: String((e as Error).message).slice(0, 300) };
      }
      if (parsed) {
        const title = feed.title ?? parsed.title;
        const articles = parsed.items.map((item) => fromFeedItem(item, { id: feed.id, title, url: feed.url }, new Date(now)));
        const fresh = await this.notHeld(articles);
        await this.deps.library.add(articles);
        if (fresh.length) await this.deps.onNewArticles?.(fresh).catch((e: unknown) => console.warn('Storyline: followed stories not checked:', e));
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
    return next;
  }
}
