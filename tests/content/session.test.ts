// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://front.example/" }
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { oneRelated } from '../fixtures/headline-match';
import { HEADLINES_PER_MINUTE, PageSession, type SessionDeps, type WorkerAsks } from '../../src/content/session';
import type { MessageType, Payload } from '../../src/messaging/protocol';
import { DEFAULTS, type Settings } from '../../src/settings/schema';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * The content script's session against a fake worker (its `send`), fake settings and fake timers,
 * in happy-dom: what it asks for, what it mounts, and what it leaves behind when it stops.
 */
const match = oneRelated;

let n = 0;
/** A listing item with a headline link the extractor takes for one. */
function headline(): HTMLLIElement {
  const item = document.createElement('li');
  const link = document.createElement('a');
  n++;
  link.href = `https://news.example/2026/11/25/story-number-${n}-about-something`;
  link.textContent = `Ministers agree on a new plan for story number ${n} after long talks`;
  item.append(link);
  return item;
}

function listing(count: number): HTMLOListElement {
  const list = document.createElement('ol');
  for (let i = 0; i < count; i++) list.append(headline());
  return list;
}

/** Sessions made by a test, stopped after it even when it fails half-way. */
const sessions: PageSession[] = [];
function track(session: PageSession): PageSession {
  sessions.push(session);
  return session;
}

let hidden = false;
/** Every visibilitychange listener the session added, with the options it gave. */
let visibilityListeners: { listener: EventListenerOrEventListenerObject; options?: boolean | AddEventListenerOptions }[] = [];

function fakeDeps(overrides: Partial<SessionDeps> = {}) {
  const calls: { type: MessageType; payload: unknown }[] = [];
  const unwatch = vi.fn();
  const send = (async <K extends MessageType>(type: K, payload: Payload<K>) => {
    calls.push({ type, payload });
    if (type === 'matchHeadlines') return { results: (payload as Payload<'matchHeadlines'>).headlines.map(() => match) };
    if (type === 'pageRead') return { total: 0, same: 0, stories: [] };
    return { count: (payload as Payload<'badgesShown'>).count };
  }) as SessionDeps['send'];
  const settings: Settings = { ...DEFAULTS };
  const deps: SessionDeps = {
    doc: document,
    send,
    loadSettings: async () => settings,
    watchSettings: () => unwatch,
    onWorker: () => undefined,
    alive: () => true,
    // A clock that never runs out: each pass in one go, as these tests step time themselves (slices: session-slices.test.ts).
    clock: { now: () => 0, yield: async () => undefined },
    strings: { label: (t) => `${t} related`, accessibleName: (l) => l, cardTitle: 'Related', sameStory: 'Same story', related: 'Related', timeAgo: () => '' },
    ...overrides,
  };
  const headlinesSent = () => calls.filter((c) => c.type === 'matchHeadlines').flatMap((c) => (c.payload as Payload<'matchHeadlines'>).headlines);
  return { deps, calls, unwatch, headlinesSent };
}

/**
 * A worker that takes 1.5 s over each headline batch (a 400-headline batch costs the real one about
 * a second), counting the most batches it held at once.
 */
function slowWorker(deps: SessionDeps): { most: number } {
  const answer = deps.send;
  const seen = { most: 0 };
  let inFlight = 0;
  deps.send = (async (type, payload) => {
    if (type !== 'matchHeadlines') return answer(type, payload);
    inFlight++;
    seen.most = Math.max(seen.most, inFlight);
    await new Promise((r) => setTimeout(r, 1500));
    inFlight--;
    return answer(type, payload);
  }) as SessionDeps['send'];
  return seen;
}

/** Lets the MutationObserver deliver and the session's promises settle. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
}

/** One burst of infinite scroll: new headlines appended, then the scan delay passes. */
async function burst(count = 3): Promise<void> {
  document.body.append(listing(count));
  await settle();
  await vi.advanceTimersByTimeAsync(250);
  await settle();
}

async function setVisibility(nowHidden: boolean): Promise<void> {
  hidden = nowHidden;
  document.dispatchEvent(new Event('visibilitychange'));
  await settle();
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  visibilityListeners = [];
  const add = Document.prototype.addEventListener;
  vi.spyOn(document, 'addEventListener').mockImplementation(function (
    this: Document,
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ) {
    if (type === 'visibilitychange') visibilityListeners.push({ listener, options });
    return add.call(this, type, listener, options);
  });
  document.body.replaceChildren(listing(3));
});

afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
  vi.restoreAllMocks();
  vi.useRealTimers();
  document.body.replaceChildren();
});

/** Visibility listeners still able to fire: not aborted through their signal. */
const liveVisibilityListeners = () => visibilityListeners.filter(({ options }) => !(typeof options === 'object' && options.signal?.aborted)).length;

describe('PageSession', () => {
  it('asks again for headlines whose batch the worker did not answer, a bounded number of times', async () => {
    // A worker stopped mid-request (or starting up): the message fails once, then works.
    let failures = 1;
    const { deps, headlinesSent } = fakeDeps();
    const answer = deps.send;
    deps.send = (async (type, payload) => {
      if (type === 'matchHeadlines' && failures-- > 0) throw new Error('The message port closed before a response was received.');
      return answer(type, payload);
    }) as SessionDeps['send'];
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(headlinesSent()).toHaveLength(3);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(3);

    // A worker that never answers is asked twice more, then left alone.
    failures = Number.POSITIVE_INFINITY;
    let asked = 0;
    deps.send = (async (type, payload) => {
      if (type === 'matchHeadlines') asked++;
      if (type === 'matchHeadlines') throw new Error('Could not establish connection.');
      return answer(type, payload);
    }) as SessionDeps['send'];
    await burst(2);
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(asked).toBe(3);
    session.stop();
  });

  it('badges the headlines on the page, asking the worker once for all of them', async () => {
    const { deps, calls, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    expect(calls.map((c) => c.type)).toEqual(['pageRead', 'matchHeadlines', 'badgesShown']);
    expect(headlinesSent()).toHaveLength(3);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(3);
    session.stop();
  });

  it('scans one burst of infinite scroll once, after the scan delay', async () => {
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    document.body.append(listing(2));
    document.body.append(listing(2));
    await settle();
    expect(headlinesSent()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(250);
    await settle();
    expect(headlinesSent()).toHaveLength(7);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(7);
    session.stop();
  });

  it('keeps one visibility listener however many bursts arrive while the tab is hidden (each burst added one)', async () => {
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await setVisibility(true);
    for (let i = 0; i < 5; i++) await burst(2);
    // Nothing is scanned while hidden.
    expect(headlinesSent()).toHaveLength(3);
    expect(liveVisibilityListeners()).toBe(1);
    await setVisibility(false);
    // Shown again: every headline that arrived meanwhile is scanned, in one request.
    expect(headlinesSent()).toHaveLength(13);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(13);
    // Hidden and shown again with nothing new: no more listeners, no more requests.
    await setVisibility(true);
    await burst(1);
    await setVisibility(false);
    expect(headlinesSent()).toHaveLength(14);
    expect(liveVisibilityListeners()).toBe(1);
    session.stop();
  });

  it('bounds its queue of added nodes while hidden, and still badges every headline when shown', async () => {
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps)) as unknown as { pending: Node[]; start(): Promise<void>; stop(): void };
    await session.start();
    await setVisibility(true);
    // 1,100 separate insertions (one headline each): a hidden tab on a page that keeps appending.
    for (let round = 0; round < 11; round++) {
      for (let i = 0; i < 100; i++) document.body.append(headline());
      await settle();
      await vi.advanceTimersByTimeAsync(250);
    }
    expect(session.pending.length).toBeLessThanOrEqual(1000);
    await setVisibility(false);
    expect(new Set(headlinesSent().map((h) => h.url)).size).toBe(1103);
    expect(session.pending).toHaveLength(0);
    session.stop();
  });

  it('a page adding links without end: one request in flight at a time, the rest sent when it is answered', async () => {
    const { deps, headlinesSent } = fakeDeps();
    const worker = slowWorker(deps);
    const session = track(new PageSession(deps));
    const started = session.start();
    await vi.advanceTimersByTimeAsync(2000);
    await started;
    for (let round = 0; round < 12; round++) {
      document.body.append(listing(40));
      await settle();
      await vi.advanceTimersByTimeAsync(250);
    }
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(worker.most).toBe(1);
    // Nothing is lost: every headline was asked about once.
    const urls = headlinesSent().map((h) => h.url);
    expect(new Set(urls).size).toBe(3 + 12 * 40);
    expect(urls.length).toBe(new Set(urls).size);
    session.stop();
  });

  it('a pass asked for while one is under way (the popup’s activation) waits for it: still one request in flight', async () => {
    let activate: () => Promise<boolean> = async () => false;
    const { deps, headlinesSent } = fakeDeps({ onWorker: (asks) => (activate = asks.activate) });
    const worker = slowWorker(deps);
    const session = track(new PageSession(deps));
    const started = session.start();
    await settle();
    // The first pass is waiting for the worker; the popup opens and asks the page to be read now.
    document.body.append(listing(5));
    const activated = activate();
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all([started, activated]);
    await vi.advanceTimersByTimeAsync(5_000);
    await settle();
    expect(worker.most).toBe(1);
    const urls = headlinesSent().map((h) => h.url);
    expect(new Set(urls).size).toBe(3 + 5);
    expect(urls.length).toBe(new Set(urls).size);
    session.stop();
  });

  it('sends at most HEADLINES_PER_MINUTE new headlines a minute; the rest wait for the next minute, none lost', async () => {
    // Wall time too: the budget counts real minutes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    // 3,000 more headlines within ten seconds.
    for (let round = 0; round < 10; round++) {
      document.body.append(listing(300));
      await settle();
      await vi.advanceTimersByTimeAsync(1000);
      await settle();
    }
    expect(headlinesSent().length).toBe(HEADLINES_PER_MINUTE);
    // Later in the first minute: still nothing more.
    await vi.advanceTimersByTimeAsync(40_000);
    await settle();
    expect(headlinesSent().length).toBe(HEADLINES_PER_MINUTE);
    // A minute after the first batch, the rest go.
    await vi.advanceTimersByTimeAsync(15_000);
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    const urls = headlinesSent().map((h) => h.url);
    expect(new Set(urls).size).toBe(3 + 3000);
    expect(urls.length).toBe(new Set(urls).size);
    session.stop();
  });

  it('stops everything on stop(): observer, timers, visibility listener and settings watch', async () => {
    const { deps, headlinesSent, unwatch } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await setVisibility(true);
    await burst(2);
    expect(liveVisibilityListeners()).toBe(1);
    session.stop();
    expect(unwatch).toHaveBeenCalledTimes(1);
    expect(liveVisibilityListeners()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    // Nothing the page does afterwards reaches the session.
    await setVisibility(false);
    await burst(2);
    expect(headlinesSent()).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
  });

  it('stops itself when the extension goes away under the page', async () => {
    let alive = true;
    const { deps, headlinesSent, unwatch } = fakeDeps({ alive: () => alive });
    const session = track(new PageSession(deps));
    await session.start();
    alive = false;
    await vi.advanceTimersByTimeAsync(5000);
    expect(unwatch).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
    await burst(2);
    expect(headlinesSent()).toHaveLength(3);
    session.stop();
  });
});

describe('PageSession: dates for undated headlines (issue 10, item 3)', () => {
  /** A listing item with its own <time datetime>. */
  function datedHeadline(iso: string): HTMLLIElement {
    const item = headline();
    const time = document.createElement('time');
    time.setAttribute('datetime', iso);
    item.append(time);
    return item;
  }

  afterEach(() => document.head.replaceChildren());

  it('sends undated headlines with the page’s own published date', async () => {
    const meta = document.createElement('meta');
    meta.setAttribute('property', 'article:published_time');
    meta.setAttribute('content', '2014-03-10T08:00:00Z');
    document.head.append(meta);
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    expect(headlinesSent().map((h) => h.publishedAt)).toEqual(Array(3).fill('2014-03-10T08:00:00.000Z'));
  });

  it('on an archive listing, lends undated headlines the median of the dated ones, in later passes too', async () => {
    const list = document.createElement('ol');
    list.append(datedHeadline('2014-03-09T10:00:00Z'), datedHeadline('2014-03-10T10:00:00Z'), datedHeadline('2014-03-11T10:00:00Z'), headline());
    document.body.replaceChildren(list);
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    expect(headlinesSent().map((h) => h.publishedAt)).toEqual([
      '2014-03-09T10:00:00.000Z',
      '2014-03-10T10:00:00.000Z',
      '2014-03-11T10:00:00.000Z',
      '2014-03-10T10:00:00.000Z',
    ]);
    // Infinite scroll brings undated headlines only: they take the median of what the page said before.
    await burst(2);
    expect(
      headlinesSent()
        .slice(4)
        .map((h) => h.publishedAt),
    ).toEqual(['2014-03-10T10:00:00.000Z', '2014-03-10T10:00:00.000Z']);
  });

  it('leaves headlines undated (now, for the worker) when nothing on the page is dated', async () => {
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    expect(headlinesSent().map((h) => h.publishedAt)).toEqual([null, null, null]);
  });
});

describe('PageSession: a link to the page itself', () => {
  afterEach(() => document.head.replaceChildren());

  it('sends no headline that is the article’s own headline under another address (a dated page once badged its own "Read also" link)', async () => {
    const own = 'Ministers agree on a new plan for the city after long talks';
    for (const [property, content] of [
      ['og:type', 'article'],
      ['og:title', own],
      ['article:published_time', '2025-06-02T08:00:00Z'],
    ]) {
      const meta = document.createElement('meta');
      meta.setAttribute('property', property);
      meta.setAttribute('content', content);
      document.head.append(meta);
    }
    const self = headline();
    self.querySelector('a')!.textContent = `  ${own.toUpperCase()} `;
    self.querySelector('a')!.href = 'https://front.example/lead?from=read-also';
    const list = document.createElement('ol');
    list.append(self, headline());
    document.body.replaceChildren(list);
    const { deps, headlinesSent } = fakeDeps();
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    expect(headlinesSent().map((h) => h.text)).toEqual([expect.stringMatching(/^Ministers agree on a new plan for story number \d+/)]);
  });
});

describe('PageSession: badges that do not fit are not counted (issue 10, item 2)', () => {
  const rect = (left: number, right: number) =>
    ({ left, right, top: 0, bottom: 20, width: right - left, height: 20, x: left, y: 0, toJSON: () => ({}) }) as DOMRect;

  /**
   * Layout as a browser would give it, which happy-dom has none of: every block is 100 px wide; a
   * badge is 40 px, and 110 px (past its block's right edge) where its block is marked narrow.
   */
  function fakeLayout(): void {
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      const root = this.getRootNode();
      if (!(root instanceof ShadowRoot)) return rect(0, 100);
      return root.host.parentElement?.hasAttribute('data-narrow') ? rect(60, 170) : rect(60, 100);
    });
  }

  /** The frame after a pass, when the session reads its badges' boxes (afterPaint). */
  async function afterPaint(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await settle();
  }

  afterEach(() => document.head.replaceChildren());

  it('tells the worker how many badges are on the page once a spilling one is taken away, and again when badges go off', async () => {
    fakeLayout();
    document.querySelector('li')!.setAttribute('data-narrow', '');
    const { deps, calls } = fakeDeps();
    let settingsChanged: (s: Settings) => void = () => undefined;
    deps.watchSettings = (callback) => {
      settingsChanged = callback;
      return () => undefined;
    };
    const session = track(new PageSession(deps));
    await session.start();
    await settle();
    await afterPaint();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    const reported = () => calls.filter((c) => c.type === 'badgesShown').map((c) => (c.payload as Payload<'badgesShown'>).count);
    expect(reported().at(-1)).toBe(2);
    settingsChanged({ ...DEFAULTS, inlineBadges: false });
    await settle();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    expect(reported().at(-1)).toBe(0);
  });

  /** An article page whose <h1> the worker found related stories for. */
  async function articleSession(narrow: boolean): Promise<{ heading: HTMLHeadingElement; mounted: () => number }> {
    fakeLayout();
    const meta = document.createElement('meta');
    meta.setAttribute('property', 'og:type');
    meta.setAttribute('content', 'article');
    document.head.append(meta);
    const heading = document.createElement('h1');
    heading.textContent = 'Ministers agree on a new plan for the city after long talks';
    if (narrow) heading.setAttribute('data-narrow', '');
    document.body.prepend(heading);
    let mounted = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const node of r.addedNodes) if ((node as Element).tagName?.toLowerCase() === BADGE_TAG) mounted++;
    }).observe(heading, { childList: true });
    const { deps } = fakeDeps();
    const send = deps.send;
    deps.send = (async (type, payload) => (type === 'pageRead' ? { ...match, total: 2 } : send(type, payload))) as SessionDeps['send'];
    await track(new PageSession(deps)).start();
    await settle();
    await afterPaint();
    return { heading, mounted: () => mounted };
  }

  it('keeps the article’s own <h1> badge where it fits its heading', async () => {
    const { heading, mounted } = await articleSession(false);
    expect(heading.querySelector(BADGE_TAG)).not.toBeNull();
    expect(mounted()).toBe(1);
  });

  it('takes away the article’s own <h1> badge when it spills out of the heading, and does not put it back', async () => {
    const { heading, mounted } = await articleSession(true);
    expect(mounted()).toBe(1);
    expect(heading.querySelector(BADGE_TAG)).toBeNull();
    // A later pass (infinite scroll) badges the new headlines, not the heading again.
    document.body.append(listing(1));
    await settle();
    await vi.advanceTimersByTimeAsync(250);
    await settle();
    await afterPaint();
    expect(heading.querySelector(BADGE_TAG)).toBeNull();
    expect(mounted()).toBe(1);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(4);
  });
});

describe('PageSession: the page the tab shows (helper-40)', () => {
  function article(text: string): void {
    document.head.replaceChildren();
    const type = document.createElement('meta');
    type.setAttribute('property', 'og:type');
    type.setAttribute('content', 'article');
    const title = document.createElement('title');
    title.textContent = text;
    document.head.append(type, title);
    const h1 = document.createElement('h1');
    h1.textContent = text;
    document.body.replaceChildren(h1, listing(2));
  }
  const pagesRead = (calls: { type: MessageType; payload: unknown }[]) =>
    calls
      .filter((c) => c.type === 'pageRead' || c.type === 'pageLeft')
      .map((c) => (c.type === 'pageLeft' ? 'left' : ((c.payload as Payload<'pageRead'>)?.headline ?? null)));

  afterEach(() => {
    history.replaceState(null, '', 'https://front.example/');
    document.head.replaceChildren();
  });
  /** What the worker hears when the site moves from the budget article to the storm one. */
  const MOVED_TO_STORM = ['Parliament approves the new budget after a long debate', 'left', 'Storm hits the coast as thousands lose power overnight'];
  /** A session started on the budget article, at /politics/budget. */
  async function readingBudget() {
    article('Parliament approves the new budget after a long debate');
    history.replaceState(null, '', '/politics/budget');
    const fake = fakeDeps();
    await track(new PageSession(fake.deps)).start();
    return fake;
  }

  it('reads the next article of a single-page site once its headline is on screen, and tells the worker the old one is gone', async () => {
    const { calls } = await readingBudget();
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate']);
    // A fragment or a tracking parameter is no move.
    history.replaceState(null, '', '/politics/budget?utm_source=x#comments');
    await vi.advanceTimersByTimeAsync(3000);
    expect(pagesRead(calls)).toHaveLength(1);
    // The site moves on: the address first, the new article a moment later (here two looks later).
    history.pushState(null, '', '/world/storm');
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate']);
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(pagesRead(calls)).toEqual(MOVED_TO_STORM);
    const storm = calls.filter((c) => c.type === 'pageRead').at(-1)!.payload as Payload<'pageRead'>;
    expect(storm?.url).toBe('https://front.example/world/storm');
  });

  it('an address rewritten with the same article on screen is no move: nothing is taken down or sent again (review, helper-41)', async () => {
    const { calls } = await readingBudget();
    const badgesBefore = document.querySelectorAll(BADGE_TAG).length;
    history.replaceState(null, '', '/politics/budget?page=2');
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate']);
    expect(calls.filter((c) => c.type === 'matchHeadlines')).toHaveLength(1);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(badgesBefore);
    // A real move after it is still followed.
    history.pushState(null, '', '/world/storm');
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(pagesRead(calls)).toEqual(MOVED_TO_STORM);
  });

  it('tells the worker this document still shows the page it sent (an address rewrite), until it leaves it', async () => {
    article('Parliament approves the new budget after a long debate');
    history.replaceState(null, '', '/politics/budget');
    let asks: WorkerAsks | null = null;
    const { deps, calls } = fakeDeps({ onWorker: (a) => (asks = a) });
    const session = track(new PageSession(deps));
    await session.start();
    expect(asks!.showing()).toBe(true);
    history.replaceState(null, '', '/politics/budget?page=2#comments');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(asks!.showing()).toBe(true);
    // A move to another article is the session's to follow (pageLeft, then the new page).
    history.pushState(null, '', '/world/storm');
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect(pagesRead(calls)).toEqual(MOVED_TO_STORM);
    expect(asks!.showing()).toBe(true);
    session.stop();
    expect(asks!.showing()).toBe(false);
  });

  it('follows a single-page site that routes by fragment (#/world/storm), not a plain fragment', async () => {
    article('Parliament approves the new budget after a long debate');
    history.replaceState(null, '', '/#/politics/budget');
    const { deps, calls } = fakeDeps();
    await track(new PageSession(deps)).start();
    history.replaceState(null, '', '/#/politics/budget#comments');
    await vi.advanceTimersByTimeAsync(3000);
    history.pushState(null, '', '/#/world/storm');
    await vi.advanceTimersByTimeAsync(1000);
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(3000);
    await settle();
    expect(pagesRead(calls)).toEqual(MOVED_TO_STORM);
  });

  it('reads a page whose title keeps changing again only a bounded number of times per move, and not for an unread count (attack, helper-45)', async () => {
    const { calls } = await readingBudget();
    // An unread count before the title ("(3) …") is no other page.
    const counted = setInterval(
      () => (document.querySelector('h1')!.textContent = `(${Math.floor(Date.now() / 1000) % 50}) Parliament approves the new budget after a long debate`),
      500,
    );
    history.replaceState(null, '', '/politics/budget?page=2');
    await vi.advanceTimersByTimeAsync(60_000);
    clearInterval(counted);
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate']);
    // A headline that changes every second (a ticker): followed for a while after the move, then left alone.
    let tick = 0;
    const ticker = setInterval(() => {
      document.title = `Live: markets move as trading enters hour ${++tick}`;
      document.querySelector('h1')!.textContent = document.title;
    }, 1000);
    history.replaceState(null, '', '/politics/budget?page=3');
    await vi.advanceTimersByTimeAsync(120_000);
    const reads = pagesRead(calls).length;
    await vi.advanceTimersByTimeAsync(120_000);
    clearInterval(ticker);
    expect(pagesRead(calls).length).toBe(reads);
    expect(reads).toBeGreaterThan(1);
    expect(reads).toBeLessThan(40);
  });

  it('looks slowly again after a second move made while a slow look was being followed (helper-46)', async () => {
    const { calls } = await readingBudget();
    history.pushState(null, '', '/world/storm');
    await vi.advanceTimersByTimeAsync(12_000);
    // A slow look finds the next article; while that change is followed, the site moves again.
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(3500);
    history.pushState(null, '', '/science/comet');
    // Its article comes long after (past the quick looks).
    await vi.advanceTimersByTimeAsync(12_000);
    article('Comet lights up the night sky over the northern hemisphere');
    await vi.advanceTimersByTimeAsync(10_000);
    await settle();
    expect(pagesRead(calls).at(-1)).toBe('Comet lights up the night sky over the northern hemisphere');
  });

  it('says nothing is on screen before a press in click-only mode', async () => {
    article('Parliament approves the new budget after a long debate');
    let asks: WorkerAsks | null = null;
    const { deps } = fakeDeps({ loadSettings: async () => ({ ...DEFAULTS, clickOnly: true }), onWorker: (a) => (asks = a) });
    await track(new PageSession(deps)).start();
    expect(asks!.showing()).toBe(false);
    await asks!.activate();
    expect(asks!.showing()).toBe(true);
  });

  it('follows a site that renders the next article long after its address changed (a slow network; review, helper-44)', async () => {
    const { calls } = await readingBudget();
    history.pushState(null, '', '/world/storm');
    // Past the quick looks (six, 0.8 s apart) with the old article still on screen.
    await vi.advanceTimersByTimeAsync(12_000);
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate']);
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(pagesRead(calls)).toEqual(MOVED_TO_STORM);
  });

  it("drops the old page's answer when it comes after the site moved on, and follows a second quick move (review, helper-41)", async () => {
    article('Parliament approves the new budget after a long debate');
    history.replaceState(null, '', '/politics/budget');
    const { deps, calls } = fakeDeps();
    const answer = deps.send;
    let releaseFirst: () => void = () => undefined;
    let first = true;
    deps.send = (async (type, payload) => {
      if (type === 'pageRead' && first) {
        first = false;
        calls.push({ type, payload });
        await new Promise<void>((resolve) => (releaseFirst = resolve));
        return { total: 7, same: 7, stories: [] };
      }
      return answer(type, payload);
    }) as SessionDeps['send'];
    const started = track(new PageSession(deps)).start();
    await settle();
    // The first answer is slow (a cold worker); meanwhile the site moves on, and the move is followed.
    history.pushState(null, '', '/world/storm');
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    releaseFirst();
    await started;
    await settle();
    // The old page's answer (7 stories) makes no badge on the new headline.
    expect(document.querySelector('h1')!.querySelector(BADGE_TAG)).toBeNull();
    // And a second move, quick after the first.
    history.pushState(null, '', '/science/comet');
    article('Comet lights up the night sky over the northern hemisphere');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    const reads = calls.filter((c) => c.type === 'pageRead').map((c) => c.payload as Payload<'pageRead'>);
    // Each headline sent with its own address, the last one the page on screen.
    expect(reads.map((p) => [p?.headline, p?.url])).toEqual([
      ['Parliament approves the new budget after a long debate', 'https://front.example/politics/budget'],
      ['Storm hits the coast as thousands lose power overnight', 'https://front.example/world/storm'],
      ['Comet lights up the night sky over the northern hemisphere', 'https://front.example/science/comet'],
    ]);
  });

  it('in click-only mode tells the worker the page is gone and reads nothing until a press', async () => {
    article('Parliament approves the new budget after a long debate');
    history.replaceState(null, '', '/politics/budget');
    let activate: () => Promise<boolean> = async () => false;
    const { deps, calls } = fakeDeps({ loadSettings: async () => ({ ...DEFAULTS, clickOnly: true }), onWorker: (asks) => (activate = asks.activate) });
    await track(new PageSession(deps)).start();
    await activate();
    history.pushState(null, '', '/world/storm');
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(5000);
    await settle();
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate', 'left']);
    await activate();
    // And a press sends the page even when it was read before: the worker asks only when it has nothing.
    await activate();
    expect(pagesRead(calls)).toEqual([
      'Parliament approves the new budget after a long debate',
      'left',
      'Storm hits the coast as thousands lose power overnight',
      'Storm hits the coast as thousands lose power overnight',
    ]);
  });

  it('a press while a move is being followed reads the page the move leads to (review, helper-41)', async () => {
    article('Parliament approves the new budget after a long debate');
    history.replaceState(null, '', '/politics/budget');
    let activate: () => Promise<boolean> = async () => false;
    const { deps, calls } = fakeDeps({ onWorker: (asks) => (activate = asks.activate) });
    await track(new PageSession(deps)).start();
    history.pushState(null, '', '/world/storm');
    await vi.advanceTimersByTimeAsync(1000);
    const pressed = activate();
    await vi.advanceTimersByTimeAsync(1000);
    article('Storm hits the coast as thousands lose power overnight');
    await vi.advanceTimersByTimeAsync(6000);
    await pressed;
    const headlines = calls.filter((c) => c.type === 'pageRead').map((c) => (c.payload as Payload<'pageRead'>)?.headline);
    expect(headlines[0]).toBe('Parliament approves the new budget after a long debate');
    expect(headlines.slice(1)).toEqual(expect.arrayContaining(['Storm hits the coast as thousands lose power overnight']));
    expect(headlines.slice(1)).not.toContain('Parliament approves the new budget after a long debate');
  });

  it('reads a prerendered page only once it is shown', async () => {
    article('Parliament approves the new budget after a long debate');
    let prerendering = true;
    Object.defineProperty(document, 'prerendering', { configurable: true, get: () => prerendering });
    try {
      const { deps, calls } = fakeDeps();
      const started = track(new PageSession(deps)).start();
      await vi.advanceTimersByTimeAsync(5000);
      await settle();
      expect(calls).toEqual([]);
      prerendering = false;
      document.dispatchEvent(new Event('prerenderingchange'));
      await started;
      expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate']);
    } finally {
      delete (document as { prerendering?: boolean }).prerendering;
    }
  });

  it('sends the page again when the back/forward cache restores it', async () => {
    article('Parliament approves the new budget after a long debate');
    const { deps, calls } = fakeDeps();
    await track(new PageSession(deps)).start();
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await settle();
    expect(pagesRead(calls)).toEqual(['Parliament approves the new budget after a long debate', 'Parliament approves the new budget after a long debate']);
    // Its badges stay: the same page, the same headlines (no new request for them).
    expect(calls.filter((c) => c.type === 'matchHeadlines')).toHaveLength(1);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
  });
});
