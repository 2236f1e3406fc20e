import { browser } from 'wxt/browser';
import type { Article, PageInfo, RelatedStory } from '../core/article';
import type { TabReading } from '../messaging/reading';
import { matchOptions, matchWithFeedback, queryOf } from './answer';
import { applyFeedback, hidePair, pageKeyOf, parseHidden, showPair, type HiddenPair } from './feedback';
import { addFound, followStory, hasUnseen, markSeen, parseFollows, recent, unfollowStory, type FollowedStory } from './follow';
import type { Library } from './library';
import { LIMITS } from '../settings/schema';
import { setFollowMark } from './toolbar-badge';

/** storage.local keys: survive worker restarts and browser restarts; never synced, never sent. */
export const HIDDEN_KEY = 'hiddenPairs';
export const FOLLOWS_KEY = 'followedStories';
/** New articles whose follow check has not finished yet (a failure, or a worker stopped): checked with the next ones. */
export const PENDING_KEY = 'followPending';
/** Pending articles kept at most: a check failing poll after poll keeps the newest. */
const MAX_PENDING = 2_000;

type Added = Pick<Article, 'id' | 'publishedAt'>;

function parsePending(raw: unknown): Added[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(
      (a): a is Added =>
        !!a && typeof a === 'object' && typeof a.id === 'string' && a.id.length <= 200 && (a.publishedAt === null || typeof a.publishedAt === 'string'),
    )
    .map(({ id, publishedAt }) => ({ id, publishedAt }))
    .slice(-MAX_PENDING);
}

/** Results a followed story is matched against per feed poll (only the new articles among them count). */
export const FOLLOW_LIMIT = 50;
/** Days either side of a followed page's date within which new coverage is looked for: the most Options allows for the related-stories window. */
export const FOLLOW_WINDOW_DAYS = LIMITS.windowDays[1];

interface Area {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface ReadingDeps {
  /** Where the lists live: storage.local (a fake in tests). */
  storage?: Area;
  /** Shows or clears the toolbar's mark for news in followed stories. */
  mark?: (on: boolean) => Promise<void>;
  now?: () => number;
}

/**
 * The worker's keeper of the person's reading choices: "Not the same story" pairs and followed
 * stories (issue 12, items 4 and 5). Writes are serialised, each reading what the one before it
 * wrote; every read is checked (parseHidden, parseFollows) as it comes out of storage.
 */
export class Reading {
  private writing: Promise<unknown> = Promise.resolve();
  private readonly storage: Area;
  private readonly mark: (on: boolean) => Promise<void>;
  private readonly now: () => number;

  constructor(deps: ReadingDeps = {}) {
    this.storage = deps.storage ?? (browser.storage.local as unknown as Area);
    this.mark = deps.mark ?? setFollowMark;
    this.now = deps.now ?? Date.now;
  }

  async hidden(): Promise<HiddenPair[]> {
    return parseHidden((await this.storage.get(HIDDEN_KEY))[HIDDEN_KEY]);
  }

  async follows(): Promise<FollowedStory[]> {
    return parseFollows((await this.storage.get(FOLLOWS_KEY))[FOLLOWS_KEY]);
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.writing.then(run);
    this.writing = result.catch(() => undefined);
    return result;
  }

  /** "Not the same story": the pair (this page, this result) is hidden from now on. */
  hide(page: PageInfo, story: Pick<RelatedStory, 'id' | 'title' | 'source'>): Promise<HiddenPair> {
    const pageKey = pageKeyOf(page);
    if (!pageKey) return Promise.reject(new Error('That page has no address to remember the choice by.'));
    const pair: HiddenPair = {
      pageKey,
      pageHeadline: page.headline,
      articleId: story.id,
      articleTitle: story.title,
      articleSource: story.source,
      hiddenAt: new Date(this.now()).toISOString(),
    };
    return this.serial(async () => {
      await this.storage.set({ [HIDDEN_KEY]: hidePair(await this.hidden(), pair) });
      return pair;
    });
  }

  /** Undoes a "Not the same story"; false when there was no such pair. */
  showAgain(pageKey: string, articleId: string): Promise<boolean> {
    return this.serial(async () => {
      const list = await this.hidden();
      const next = showPair(list, pageKey, articleId);
      await this.storage.set({ [HIDDEN_KEY]: next });
      return next.length < list.length;
    });
  }

  /** Follows the page's story; the stories listed for it now are not news. */
  follow(page: PageInfo, listed: readonly string[]): Promise<FollowedStory> {
    const key = pageKeyOf(page);
    if (!key) return Promise.reject(new Error('That page has no address to follow it by.'));
    return this.serial(async () => {
      const next = followStory(await this.follows(), key, page, listed, new Date(this.now()));
      await this.storage.set({ [FOLLOWS_KEY]: next });
      // The oldest follow may have gone at the cap, with news the toolbar was marked for (helper-42).
      await this.mark(hasUnseen(next));
      return next[0];
    });
  }

  unfollow(key: string): Promise<boolean> {
    return this.serial(async () => {
      const list = await this.follows();
      const next = unfollowStory(list, key);
      await this.storage.set({ [FOLLOWS_KEY]: next });
      await this.mark(hasUnseen(next));
      return next.length < list.length;
    });
  }

  /**
   * Articles a feed poll just added: each followed story is matched once by the engine (the same
   * match the popup shows, with the person's corrections), and those of its results that are among
   * these articles and were not known are recorded as news; the toolbar is marked. Returns how many
   * stories were found. Cheap: nothing runs without followed stories and new articles.
   */
  async noticeNew(library: Pick<Library, 'index' | 'settings'>, fresh: readonly Added[]): Promise<number> {
    if (fresh.length === 0) return 0;
    const follows = await this.follows();
    if (follows.length === 0) return 0;
    // Held until the check has run: a check that fails (or a worker stopped in it) told nothing, and
    // the next poll held those articles already, so a development was never told (helper-42).
    const added = await this.serial(async () => {
      const pending = parsePending((await this.storage.get(PENDING_KEY))[PENDING_KEY]);
      const all = [...new Map([...pending, ...fresh.map(({ id, publishedAt }) => ({ id, publishedAt }))].map((a) => [a.id, a])).values()].slice(-MAX_PENDING);
      await this.storage.set({ [PENDING_KEY]: all });
      return all;
    });
    const found = await this.check(library, follows, added);
    // Checked: only these leave the list (another poll's, added meanwhile, wait for their own check).
    const checked = new Set(added.map((a) => a.id));
    await this.serial(async () => {
      const pending = parsePending((await this.storage.get(PENDING_KEY))[PENDING_KEY]);
      await this.storage.set({ [PENDING_KEY]: pending.filter((a) => !checked.has(a.id)) });
    });
    return found;
  }

  private async check(library: Pick<Library, 'index' | 'settings'>, follows: readonly FollowedStory[], added: readonly Added[]): Promise<number> {
    const ids = new Set(added.map((a) => a.id));
    const settings = await library.settings();
    const options = { ...matchOptions(settings), limit: FOLLOW_LIMIT, windowDays: Math.max(settings.windowDays, FOLLOW_WINDOW_DAYS) };
    // Matched at the page's own date (moved to a later one, the model read weeks-later events as
    // the same day's same story: review, helper-43), within FOLLOW_WINDOW_DAYS of it: a development
    // a few weeks later is still told (the related-stories window, a week, let the follow go silent
    // after it: helper-42), as "Related" where the gap says so.
    const queries = follows.map((s) => queryOf(s.page));
    const index = await library.index(queries, options);
    const hidden = await this.hidden();
    const matches = follows.map((s, i) => ({
      key: s.key,
      stories: matchWithFeedback(index, queries[i], options, { key: s.key, headline: s.page.headline }, hidden).filter((story) => ids.has(story.id)),
    }));
    if (!matches.some((m) => m.stories.length)) return 0;
    return this.serial(async () => {
      let list = await this.follows();
      let total = 0;
      for (const m of matches) {
        const result = addFound(list, m.key, m.stories, new Date(this.now()));
        list = result.list;
        total += result.added;
      }
      if (total) {
        await this.storage.set({ [FOLLOWS_KEY]: list });
        await this.mark(true);
      }
      return total;
    });
  }

  /**
   * What the popup adds for a tab: whether its page's story is followed, and every followed story's
   * news not shown yet or first shown within NEWS_KEPT_MS (the page's own first); what had not been
   * shown is then marked seen, and the toolbar updated.
   */
  forTab(page: PageInfo | null): Promise<TabReading> {
    return this.serial(async () => {
      const list = await this.follows();
      const key = page ? pageKeyOf(page) : null;
      const now = this.now();
      const hidden = await this.hidden();
      // Without what the person said is not the story (listed for a day now, a hidden one stayed: helper-43).
      const news = list
        .map((s) => ({
          key: s.key,
          headline: s.page.headline,
          current: s.key === key,
          stories: applyFeedback(recent(s, now), { key: s.key, headline: s.page.headline }, hidden),
        }))
        .filter((n) => n.stories.length)
        .sort((a, b) => Number(b.current) - Number(a.current));
      if (hasUnseen(list)) {
        const next = markSeen(
          list,
          news.map((n) => n.key),
          new Date(now),
        );
        await this.storage.set({ [FOLLOWS_KEY]: next });
        await this.mark(hasUnseen(next));
      }
      return {
        ...(key ? { follow: { key, following: list.some((s) => s.key === key) } } : {}),
        ...(news.length ? { news } : {}),
      };
    });
  }
}
