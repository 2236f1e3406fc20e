import type { HeadlineMatch, PageInfo } from '../core/article';
import { anchorsUnder, headlineReader, type HeadlineLink } from '../extract/listing';
import { lendDates, MAX_KNOWN_DATES } from '../extract/headline-dates';
import { pageInfoOf, readPageMeta } from '../extract/page';
import { articleKey } from '../core/links';
import { badgeSpot, fitsItsBlock, type BadgeSpot, type Layout } from './placement';
import { browserClock, eachInSlices, inSlices, MOUNT_GROUP, type Clock } from './slices';
import type { HeadlineQuery, MessageType, Payload, Result } from '../messaging/protocol';
import { MAX_HEADLINES } from '../messaging/validate';
import type { Settings } from '../settings/schema';
import { badgesAllowedOn } from '../settings/site-rules';
import { BADGE_TAG, badgeBox, mountBadge, unmountAll, type BadgeStrings } from '../ui/badge/badge';

export interface SessionDeps {
  doc: Document;
  send: <K extends MessageType>(type: K, payload: Payload<K>) => Promise<Result<K>>;
  loadSettings: () => Promise<Settings>;
  watchSettings: (callback: (settings: Settings) => void) => () => void;
  /** Registers the answers to the worker's messages to this tab (tabs.sendMessage; protocol.ts). */
  onWorker: (answers: WorkerAsks) => void;
  /** False once the extension is reloaded or removed under this page (RELIABILITY row 7). */
  alive: () => boolean;
  strings: BadgeStrings;
  /** Time and turns for slicing a pass (slices.ts); the browser's unless a test gives its own. */
  clock?: Clock;
}

/** What the worker asks a tab's script: `activate` (read the page now) and `showing` (see protocol.ts). */
export interface WorkerAsks {
  activate: () => Promise<boolean>;
  showing: () => boolean;
}

/** How long the page waits for the worker's answer to one message (a cold worker rebuilding a big index takes seconds). */
export const WORKER_ANSWER_MS = 20_000;

/** New nodes are scanned at most this often: one pass per burst of infinite-scroll inserts. */
const SCAN_DELAY_MS = 200;
/**
 * Headlines whose batch the worker could not answer (stopped mid-request, or starting up) are
 * asked again after this long, at most MAX_RETRIES times each: not left without a badge for good.
 */
const RETRY_DELAY_MS = 1000;
const MAX_RETRIES = 2;
/** A page that keeps removing our badge (re-rendering) gets it back this many times, then not. */
const MAX_REMOUNTS = 3;
/**
 * How often the page's address is compared with the one read: a single-page site moves to another
 * article with history.pushState, which no event announces to a content script (helper-40).
 */
const LOCATION_CHECK_MS = 1000;
/**
 * After the address changes, the page is looked at this often, this many times: a site renders the
 * next article a moment after its address (or a second move follows), and an address rewritten
 * with the same article on screen (?page=2, a click parameter) is no move at all.
 */
const SETTLE_MS = 800;
const SETTLE_LOOKS = 6;
/**
 * Then more slowly, for about half a minute in all: a site that fetches the next article before
 * it renders it (a slow network) changes the page after the quick looks (review, helper-44).
 */
const LATE_LOOK_MS = 3000;
const LATE_LOOKS = 8;
/**
 * How often a page with badges checks that the extension is still there (reloaded or removed
 * extensions leave their old scripts running): a property read every few seconds.
 */
const ALIVE_CHECK_MS = 5000;
/**
 * Added nodes held for the next pass at most. A hidden tab scans nothing, and a page that keeps
 * appending (a live ticker, infinite scroll left running) would otherwise grow the queue without
 * end; past this many the next pass scans the whole body instead, which finds the same headlines.
 */
export const MAX_PENDING_NODES = 1000;
/**
 * New headlines one page sends the worker in a minute at most; more wait for the next minute. A
 * page adding links without end (a hostile one, or a runaway ticker) would otherwise keep the
 * worker, which every tab shares, busy matching, and test any headline it likes against the
 * library as fast as it can add them. A 600-link front page and a long infinite scroll stay well
 * under it.
 */
export const HEADLINES_PER_MINUTE = 2000;
const MINUTE_MS = 60_000;

/**
 * An address as the session compares them: a fragment or a tracking parameter is no move, except
 * a fragment that is a single-page site's route ("#/world/storm", "#!/story/2").
 */
function keyOf(url: string): string {
  const route = /#!?\/.*$/.exec(url)?.[0] ?? '';
  return (articleKey(url) ?? url.replace(/#.*$/, '')) + route;
}

/** Text as compared for sameness: case, spaces and the page's typographic quotes aside. */
function sameText(text: string): string {
  return text
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .trim()
    .toLowerCase();
}

interface Badged {
  match: HeadlineMatch;
  host: HTMLElement | null;
  mounts: number;
}

/**
 * One page's Storyline: reads the page once, shows badges beside headlines that have related
 * stories, follows infinite scroll, and obeys settings changes without a reload.
 */
export class PageSession {
  private settings: Settings | null = null;
  private observer: MutationObserver | null = null;
  private pending: Node[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly seen = new Set<string>();
  /** Times each headline's batch went unanswered (see RETRY_DELAY_MS). */
  private readonly retries = new Map<string, number>();
  private readonly badged = new Map<string, Badged>();
  /** Every badge this session mounted and has not taken away. */
  private readonly hosts = new Set<HTMLElement>();
  private pageMatch: HeadlineMatch | null = null;
  /** The article's own <h1> badge did not fit once: not put back, it would not fit there again. */
  private headingMisfit = false;
  /** The date the page states of itself, lent to its undated headlines (extract/headline-dates.ts). */
  private pageDate: string | null = null;
  /**
   * The article's own headline, compared case- and space-blind: a link that says it is the page
   * itself under another address ("Read also" boxes, `?from=` parameters). Its badge would list the
   * page's own related stories beside a link to the page; the <h1> has that badge already.
   */
  private ownHeadline: string | null = null;
  /** Dates of the dated headlines found so far, for the median lent to undated ones. */
  private datedHeadlines: string[] = [];
  /** The badge count last told to the background (for the popup on a front page). */
  private reported = 0;
  private read = false;
  /** The address the page was read at, as articleKey writes it (no fragment, no tracking). */
  private readKey: string | null = null;
  private locationTimer: ReturnType<typeof setInterval> | null = null;
  /** What the page said it was when read (article or not, headline, canonical address): a new one is a move. */
  private readIdentity: string | null = null;
  /** A change of address is being followed (see follow()): the checks meanwhile, and a press, wait for it. */
  private following: Promise<void> | null = null;
  /** The next of the slow looks after a move (LATE_LOOK_MS). */
  private lateLook: ReturnType<typeof setTimeout> | null = null;
  /** Bumped when the page is left: answers to requests made for the page before are dropped. */
  private generation = 0;
  private stopped = false;
  private unwatch: (() => void) | null = null;
  private aliveTimer: ReturnType<typeof setInterval> | null = null;
  /** Aborted by stop(): every listener the session adds to the page goes with it. */
  private readonly teardown = new AbortController();
  /** A pass is under way: the next waits for it (one request in flight per page, never a pile of them). */
  private scanning = false;
  private flushAfterScan = false;
  /** New headlines sent in the last minute, and when (see HEADLINES_PER_MINUTE). */
  private sent: { at: number; count: number }[] = [];
  private blockedUntil = 0;
  /** The one visibilitychange listener, added the first time a pass waits for the tab to be shown. */
  private waitingForVisible = false;
  private visibilityListening = false;
  /** Main-thread time spent per pass, for the badge benchmark. */
  readonly passes: { ms: number; headlines: number }[] = [];

  constructor(private readonly deps: SessionDeps) {}

  async start(): Promise<void> {
    // Listening before anything is awaited: a worker that has just injected this script into a tab
    // opened before install asks it at once (background/tab-activation.ts).
    const ready = this.deps.loadSettings();
    this.deps.onWorker({
      activate: async () => {
        await ready;
        // A change of address being followed settles first: the press is about the page it leads to.
        await this.following;
        // The worker asks only when it holds nothing for this tab (a press in click-only mode, or a
        // tab it forgot): the page is sent again even if it was read before.
        await this.readAndBadge(true);
        return true;
      },
      showing: () => this.showing(),
    });
    // A page the browser loads ahead of a click (prerendering) is read when it is shown, if it ever
    // is: read before, it would enter reading history unopened and take the tab's popup (helper-40).
    await this.shown();
    this.settings = await ready;
    this.unwatch = this.deps.watchSettings((next) => this.applySettings(next));
    this.watchLocation();
    if (!this.settings.clickOnly) await this.readAndBadge();
  }

  private shown(): Promise<void> {
    const doc = this.deps.doc as Document & { prerendering?: boolean };
    if (!doc.prerendering) return Promise.resolve();
    return new Promise((resolve) => doc.addEventListener('prerenderingchange', () => resolve(), { once: true, signal: this.teardown.signal }));
  }

  /**
   * Follows the page to another address without a load: a single-page site's move (pushState,
   * back and forward within it) and a page restored from the back/forward cache, whose tab the
   * worker may have given to the page shown meanwhile.
   */
  private watchLocation(): void {
    const win = this.deps.doc.defaultView;
    if (!win) return;
    const signal = this.teardown.signal;
    const check = () => this.followLocation();
    win.addEventListener('popstate', check, { signal });
    (win as Window & { navigation?: EventTarget }).navigation?.addEventListener('navigatesuccess', check, { signal });
    // The same page and its badges, back from the cache: the worker, which gave the tab to the page
    // shown meanwhile, is told it again.
    win.addEventListener('pageshow', (event) => (event as PageTransitionEvent).persisted && this.read && void this.readAndBadge(true), { signal });
    this.locationTimer = setInterval(check, LOCATION_CHECK_MS);
  }

  private followLocation(): void {
    if (this.stopped || !this.read || this.readKey === null || this.following) return;
    if (keyOf(this.deps.doc.location.href) === this.readKey) return;
    this.startFollowing(true);
  }

  /** `moved`: the address changed, so the page is looked at slowly for a while after (lookLater). */
  private startFollowing(moved: boolean): void {
    this.following = this.follow(moved).finally(() => (this.following = null));
  }

  /** Looks at the page `left` more times, slowly: once it is another page, the change is followed. */
  private lookLater(left: number): void {
    this.lateLook = setTimeout(() => {
      this.lateLook = null;
      if (this.stopped || this.following || !this.read) return;
      if (this.identity() !== this.readIdentity) return this.startFollowing(false);
      if (left > 1) this.lookLater(left - 1);
    }, LATE_LOOK_MS);
  }

  private stopLateLooks(): void {
    if (this.lateLook !== null) clearTimeout(this.lateLook);
    this.lateLook = null;
  }

  /**
   * This document sent the worker the page it holds and has not left it: the address may have
   * changed (?page=2, #comments, a pushState), and a move to another article is this session's to
   * follow, which tells the worker (pageLeft). Not compared with the page on screen here: a page
   * whose title keeps changing (an unread count) would be forgotten and read again at every
   * change of address, and one changing back and forth forgotten for good (attack, helper-45).
   */
  private showing(): boolean {
    return !this.stopped && this.read;
  }

  /**
   * What the page says it is now, as readIdentity keeps it. A page that is no article has no
   * headline to tell (a web app's title counting unread messages), and a count before a title,
   * "(3) ", is no other page.
   */
  private identity(): string {
    const meta = readPageMeta(this.deps.doc, this.deps.doc.location.href);
    const headline = meta.isArticle && meta.headline ? sameText(meta.headline).replace(/^\(\d+\+?\)\s*/, '') : null;
    return JSON.stringify([meta.isArticle, headline, meta.canonicalUrl && keyOf(meta.canonicalUrl)]);
  }

  /**
   * The address changed without a load (or a slow look saw another page at the same one). In click-only mode the page is left at once (read again on
   * the next press): kept while it is looked at, whatever the site renders meanwhile would be
   * matched and badged without a press, and a section of a site without a canonical address reads
   * as the same page (review, helper-47). Otherwise the page is looked at a few times: once it says
   * it is another page (another headline, canonical address, or kind), what was read and badged is
   * the old page's, so it is left and the new one read, and looked at again (it may still be
   * rendering, or move on); an address that changed with the same page on screen is only noted
   * (review, helper-41).
   */
  private async follow(moved: boolean): Promise<void> {
    this.stopLateLooks();
    if (this.settings?.clickOnly) return this.leave();
    const from = this.readKey;
    for (let look = 0; look < SETTLE_LOOKS && !this.stopped; look++) {
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      if (this.stopped || !this.check()) return;
      if (this.identity() === this.readIdentity) continue;
      await this.leave();
      await this.readAndBadge();
    }
    if (!this.stopped && this.read) {
      this.readKey = keyOf(this.deps.doc.location.href);
      // Once per change of address (one made while this follow looked counts): a page that keeps
      // changing is not followed for ever.
      if (moved || this.readKey !== from) this.lookLater(LATE_LOOKS);
    }
  }

  /** The tab no longer shows the page read: its state and badges go, and the worker forgets the tab. */
  private async leave(): Promise<void> {
    this.generation++;
    this.removeBadges();
    this.read = false;
    this.readKey = null;
    this.readIdentity = null;
    this.pageMatch = null;
    this.ownHeadline = null;
    this.pageDate = null;
    this.datedHeadlines = [];
    this.headingMisfit = false;
    this.seen.clear();
    this.retries.clear();
    this.badged.clear();
    try {
      await this.deps.send('pageLeft', {});
    } catch {
      // A worker that cannot be told holds the old page until the next read replaces it.
    }
  }

  private get badgesOn(): boolean {
    const s = this.settings;
    return Boolean(s && s.inlineBadges && badgesAllowedOn(this.deps.doc.location.hostname, { allow: s.badgeAllow, deny: s.badgeDeny }));
  }

  private applySettings(next: Settings): void {
    const wasOn = this.badgesOn;
    this.settings = next;
    if (!this.read) {
      if (!next.clickOnly) void this.readAndBadge();
      return;
    }
    if (wasOn && !this.badgesOn) this.removeBadges();
    if (!wasOn && this.badgesOn) void this.badgeAll();
  }

  /** Reads the page once (`again`: once more) and sends it; then badges the page's headlines. */
  async readAndBadge(again = false): Promise<void> {
    if (this.stopped || !this.check()) return;
    const generation = this.generation;
    if (!this.read || again) {
      this.read = true;
      const url = this.deps.doc.location.href;
      this.readKey = keyOf(url);
      this.readIdentity = this.identity();
      const meta = readPageMeta(this.deps.doc, url);
      // A front page is no article, but the date it states still dates its headlines.
      this.pageDate = meta.publishedAt;
      const page: PageInfo | null = pageInfoOf(meta, url);
      this.ownHeadline = page ? sameText(page.headline) : null;
      let match: HeadlineMatch | null = null;
      try {
        match = await this.deps.send('pageRead', page);
      } catch {
        match = null;
      }
      // The page was left meanwhile (a single-page site moved on): the answer is the old page's.
      if (generation !== this.generation) return;
      this.pageMatch = match;
    }
    if (this.badgesOn) await this.badgeAll();
  }

  private async badgeAll(): Promise<void> {
    const doc = this.deps.doc;
    // The article's own headline gets the page's result, already computed.
    const h1 = doc.querySelector('h1');
    if (h1 && this.pageMatch && this.pageMatch.total > 0 && !this.ownBadgeIn(h1) && !this.headingMisfit) {
      const host = this.mount(h1, this.pageMatch, 'inside-end');
      // The same fit check as every headline's badge: a fixed-height or too narrow <h1> loses it.
      this.afterPaint(() => {
        if (!this.fits(host)) {
          host.remove();
          this.headingMisfit = true;
        }
      });
    }
    await this.runScan([doc.body ?? doc.documentElement]);
    // Badges switched off (or the page left) while the pass ran: removeBadges took the observer away.
    if (this.badgesOn && !this.stopped && this.read) this.observe();
  }

  private observe(): void {
    if (this.aliveTimer === null) this.aliveTimer = setInterval(() => this.check(), ALIVE_CHECK_MS);
    if (this.observer || !this.deps.doc.body) return;
    this.observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          // Text-only changes (a ticking <time>) and our own badges are not new headlines.
          if (node.nodeType !== 1 || (node as Element).tagName.toLowerCase() === BADGE_TAG) continue;
          this.enqueue(node);
        }
      }
      if (this.pending.length && this.timer === null) this.timer = setTimeout(() => this.flush(), SCAN_DELAY_MS);
    });
    this.observer.observe(this.deps.doc.body, { childList: true, subtree: true });
  }

  private enqueue(node: Node): void {
    const body = this.deps.doc.body;
    if (body && this.pending.length === 1 && this.pending[0] === body) return;
    if (this.pending.length >= MAX_PENDING_NODES && body) {
      this.pending = [body];
      return;
    }
    this.pending.push(node);
  }

  private flush(): void {
    this.timer = null;
    const doc = this.deps.doc;
    // One pass at a time; what was added meanwhile waits for the pass under way to finish.
    if (this.scanning) {
      this.flushAfterScan = true;
      return;
    }
    // Over the minute's budget: the added nodes wait for the next minute.
    const wait = this.blockedUntil - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => this.flush(), wait);
      return;
    }
    if (doc.hidden) {
      // Nothing runs while the tab is hidden; catch up when it is shown again. One listener for
      // the session's life: a `once` listener per hidden burst stacked up one for every burst.
      this.waitingForVisible = true;
      if (!this.visibilityListening) {
        this.visibilityListening = true;
        doc.addEventListener(
          'visibilitychange',
          () => {
            if (!doc.hidden && this.waitingForVisible) this.flush();
          },
          { signal: this.teardown.signal },
        );
      }
      return;
    }
    this.waitingForVisible = false;
    const roots = this.pending.filter((n) => n.isConnected);
    this.pending = [];
    if (roots.length && this.badgesOn) void this.runScan(roots as ParentNode[]);
  }

  private async runScan(roots: ParentNode[]): Promise<void> {
    // A pass asked for while one is under way (a settings change, the popup's activation) waits for it.
    if (this.scanning) {
      for (const root of roots) this.enqueue(root as Node);
      this.flushAfterScan = true;
      return;
    }
    this.scanning = true;
    try {
      await this.scan(roots);
    } finally {
      this.scanning = false;
      if (this.flushAfterScan) {
        this.flushAfterScan = false;
        if (this.pending.length && this.timer === null) this.timer = setTimeout(() => this.flush(), SCAN_DELAY_MS);
      }
    }
  }

  /** Of these new headlines, those the minute's budget lets through now; the rest wait for the next minute. */
  private withinBudget<T extends HeadlineLink>(links: T[], now: number): T[] {
    this.sent = this.sent.filter((s) => now - s.at < MINUTE_MS);
    const allowed = Math.max(0, HEADLINES_PER_MINUTE - this.sent.reduce((n, s) => n + s.count, 0));
    if (links.length > allowed) {
      for (const link of links.slice(allowed)) {
        this.seen.delete(link.url);
        if (link.anchor.isConnected) this.enqueue(link.anchor);
      }
      this.blockedUntil = (this.sent[0]?.at ?? now) + MINUTE_MS;
      if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.blockedUntil - now);
    }
    const sendNow = links.slice(0, allowed);
    if (sendNow.length) this.sent.push({ at: now, count: sendNow.length });
    return sendNow;
  }

  /**
   * One pass: find headlines under the roots, match them in one batched request, badge them.
   * Reading the links and mounting the badges run in slices with the page's turn between them
   * (slices.ts): a 2,000-link front page is many short tasks, not one long one.
   */
  async scan(roots: ParentNode[]): Promise<void> {
    if (!this.check()) return;
    const clock = this.deps.clock ?? browserClock();
    // Stopped, or the page left while this pass ran: its answers are the old page's (helper-41).
    const generation = this.generation;
    const stopped = () => this.stopped || generation !== this.generation;
    // Links resolve as the browser follows them: against the document's base (<base href>).
    const read = headlineReader(this.deps.doc.location.href, this.deps.doc.baseURI || this.deps.doc.location.href);
    const anchors = roots.flatMap((root) => anchorsUnder(root));
    const fresh: HeadlineLink[] = [];
    const thisPass = new Set<string>();
    const reading = await eachInSlices(
      anchors,
      (anchor) => {
        if (!anchor.isConnected) return;
        const link = read(anchor);
        if (!link || thisPass.has(link.url)) return;
        thisPass.add(link.url);
        const known = this.badged.get(link.url);
        if (known) {
          this.remount(link, known);
          return;
        }
        if (this.seen.has(link.url)) return;
        this.seen.add(link.url);
        if (this.ownHeadline !== null && sameText(link.text) === this.ownHeadline) return;
        fresh.push(link);
      },
      clock,
      stopped,
    );
    if (stopped()) return;
    const sending = this.withinBudget(fresh, Date.now());
    for (const link of sending) if (link.publishedAt) this.datedHeadlines.push(link.publishedAt);
    if (this.datedHeadlines.length > MAX_KNOWN_DATES) this.datedHeadlines = this.datedHeadlines.slice(-MAX_KNOWN_DATES);
    const dated = lendDates(sending, this.pageDate, this.datedHeadlines);
    // Main-thread time of the pass, for the badge benchmark: the slices' (dating the headlines is a few array passes).
    let ms = reading.ms;
    for (let i = 0; i < dated.length; i += MAX_HEADLINES) {
      const batch = dated.slice(i, i + MAX_HEADLINES);
      const queries: HeadlineQuery[] = batch.map((l) => ({ text: l.text, url: l.url, publishedAt: l.publishedAt }));
      let results: HeadlineMatch[];
      try {
        results = (await this.deps.send('matchHeadlines', { headlines: queries })).results;
      } catch {
        if (!this.check() || stopped()) return;
        this.retryLater(batch);
        continue;
      }
      if (stopped()) return;
      const matched = batch.flatMap((link, k) => (results[k]?.total ? [{ link, match: results[k] }] : []));
      const mounted: Badged[] = [];
      let next = 0;
      const mounting = await inSlices(
        () => {
          const group = matched.slice(next, next + MOUNT_GROUP);
          next += group.length;
          // Every spot of the group read before any of its badges goes in: one style pass per group.
          const spots = group.map(({ link }) => (link.anchor.isConnected ? badgeSpot(link.anchor, link.text) : null));
          group.forEach(({ link, match }, k) => {
            const entry: Badged = { match, host: null, mounts: 0 };
            this.badged.set(link.url, entry);
            this.remount(link, entry, spots[k]);
            if (entry.host) mounted.push(entry);
          });
          return next < matched.length;
        },
        clock,
        stopped,
      );
      if (stopped()) return;
      this.afterPaint(() => this.removeMisfits(mounted));
      ms += mounting.ms;
    }
    this.passes.push({ ms, headlines: dated.length });
    await this.reportBadges();
  }

  /** A batch the worker did not answer: its headlines are read again on a pass after RETRY_DELAY_MS. */
  private retryLater(batch: readonly HeadlineLink[]): void {
    for (const link of batch) {
      const tries = this.retries.get(link.url) ?? 0;
      if (tries >= MAX_RETRIES || !link.anchor.isConnected) continue;
      this.retries.set(link.url, tries + 1);
      this.seen.delete(link.url);
      this.enqueue(link.anchor);
    }
    if (this.pending.length && this.timer === null) this.timer = setTimeout(() => this.flush(), RETRY_DELAY_MS);
  }

  /**
   * Tells the background how many headlines show a badge, when that changed: a front page's popup
   * and toolbar say so. Counted are the badges on the page now, so a badge taken away because it did
   * not fit (removeMisfits), or all of them when badges are switched off, no longer counts.
   */
  private async reportBadges(): Promise<void> {
    let count = 0;
    for (const entry of this.badged.values()) if (entry.host?.isConnected) count++;
    if (count === this.reported) return;
    this.reported = count;
    try {
      await this.deps.send('badgesShown', { count });
    } catch {
      // Only the popup's sentence depends on it.
    }
  }

  /**
   * Runs `task` once the browser has laid out and painted what this pass mounted, so reading the
   * badges' boxes costs no layout of its own: read at once, a forced layout of the 600-link page
   * with 200 new badges took 28 ms of the pass's 83 ms task (tests/e2e/responsiveness.test.ts).
   */
  private afterPaint(task: () => void): void {
    const view = this.deps.doc.defaultView;
    const later = () => setTimeout(() => this.stopped || task(), 0);
    if (view?.requestAnimationFrame) view.requestAnimationFrame(later);
    else later();
  }

  /**
   * Takes away the badges that spill out of their headline's block (too narrow, or of a fixed
   * height): over a neighbour's text or past the page's edge, a badge does more harm than good.
   * All boxes are read after the batch's badges were laid out (afterPaint); one that spilled
   * was on screen for a frame.
   */
  private removeMisfits(mounted: Badged[]): void {
    const view = this.deps.doc.defaultView;
    if (!view || !mounted.length) return;
    const misfits = mounted.filter((entry) => entry.host && !this.fits(entry.host));
    for (const entry of misfits) {
      entry.host?.remove();
      entry.host = null;
      // Not put back when the page re-renders: it would not fit there either.
      entry.mounts = MAX_REMOUNTS;
    }
    if (misfits.length) void this.reportBadges();
  }

  /** Whether a mounted badge lies inside the block that holds its line (placement.ts fitsItsBlock). */
  private fits(host: HTMLElement): boolean {
    const view = this.deps.doc.defaultView;
    if (!view || !host.isConnected) return true;
    const layout: Layout = { display: (element) => view.getComputedStyle(element).display, box: (element) => element.getBoundingClientRect() };
    return fitsItsBlock(host, badgeBox(host), layout);
  }

  /** Puts the badge (back) in; `spot` where the caller already read it, else read now. */
  private remount(link: HeadlineLink, entry: Badged, known?: BadgeSpot | null): void {
    if (!this.badgesOn || (entry.host && entry.host.isConnected) || entry.mounts >= MAX_REMOUNTS) return;
    const spot = known === undefined ? badgeSpot(link.anchor, link.text) : known;
    if (!spot) return;
    entry.mounts++;
    entry.host = this.mount(spot.element, entry.match, spot.where);
  }

  /** Mounts a badge and remembers it as this session's: stop() takes away its own badges only. */
  private mount(element: Element, match: HeadlineMatch, where: BadgeSpot['where']): HTMLElement {
    const host = mountBadge(element, match, this.deps.strings, this.deps.doc, where);
    this.hosts.add(host);
    return host;
  }

  private ownBadgeIn(element: Element): boolean {
    for (const host of this.hosts) if (host.isConnected && element.contains(host)) return true;
    return false;
  }

  private removeBadges(): void {
    this.observer?.disconnect();
    this.observer = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.waitingForVisible = false;
    // Only this session's: a script injected after a reload shares the page (RELIABILITY row 7).
    unmountAll(this.deps.doc, this.hosts);
    this.hosts.clear();
    for (const entry of this.badged.values()) {
      entry.host = null;
      entry.mounts = 0;
    }
    if (!this.stopped) void this.reportBadges();
  }

  /** The extension went away (reloaded, updated, removed): take everything down quietly. */
  private check(): boolean {
    if (this.deps.alive()) return true;
    this.stop();
    return false;
  }

  stop(): void {
    this.stopped = true;
    this.teardown.abort();
    this.removeBadges();
    if (this.aliveTimer !== null) clearInterval(this.aliveTimer);
    this.aliveTimer = null;
    if (this.locationTimer !== null) clearInterval(this.locationTimer);
    this.locationTimer = null;
    this.stopLateLooks();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.unwatch?.();
    } catch {
      // The extension context is already gone; its listeners went with it.
    }
  }
}
