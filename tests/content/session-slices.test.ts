// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://front.example/" }
import { afterEach, describe, expect, it } from 'vitest';
import { oneRelated } from '../fixtures/headline-match';
import { PageSession, type SessionDeps } from '../../src/content/session';
import { eachInSlices, inSlices, MOUNT_GROUP, SLICE_MS, type Clock } from '../../src/content/slices';
import type { MessageType, Payload } from '../../src/messaging/protocol';
import { MAX_HEADLINES } from '../../src/messaging/validate';
import { DEFAULTS } from '../../src/settings/schema';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * The content script's first pass over a huge front page runs in slices (issue 9, leftovers item
 * 4; RELIABILITY row 14). Counted with a fake clock, not timed: each time the work looks at the
 * clock, one "millisecond" has passed; the test counts the page's turns (yields) and the most work
 * done between two of them.
 */
function fakeClock(): Clock & { yields: number; longest: number; taskEnds(): void } {
  let time = 0;
  let sliceStart = 0;
  const clock = {
    yields: 0,
    longest: 0,
    now: () => ++time,
    /** The task ends without a yield: the script waits for the worker's reply, which comes in a task of its own. */
    taskEnds: () => {
      clock.longest = Math.max(clock.longest, time - sliceStart);
      sliceStart = time;
    },
    yield: async () => {
      clock.taskEnds();
      clock.yields++;
    },
  };
  return clock;
}

describe('inSlices', () => {
  it(`gives the page its turn every ${SLICE_MS} ms of work, and stops between slices when told`, async () => {
    const clock = fakeClock();
    const done: number[] = [];
    const items = Array.from({ length: 2000 }, (_, i) => i);
    const { slices } = await eachInSlices(items, (i) => done.push(i), clock);
    expect(done).toEqual(items);
    // One clock reading (one "ms") per item: 2,000 items are 250 slices of 8, 249 turns between them.
    expect(slices).toBe(2000 / SLICE_MS);
    expect(clock.yields).toBe(slices - 1);
    expect(clock.longest).toBeLessThanOrEqual(SLICE_MS + 1);

    let stop = false;
    let steps = 0;
    const stopping = fakeClock();
    stopping.yield = async () => {
      stop = true;
    };
    await inSlices(
      () => ++steps < 1000,
      stopping,
      () => stop,
    );
    expect(steps).toBe(SLICE_MS);
  });
});

const match = oneRelated;

/** A front page of `count` headline links, each of which the fake worker has related stories for. */
function frontPage(count: number): void {
  const list = document.createElement('ol');
  for (let n = 0; n < count; n++) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `https://news.example/2026/11/25/story-number-${n}-about-something`;
    link.textContent = `Ministers agree on a new plan for story number ${n} after long talks`;
    item.append(link);
    list.append(item);
  }
  document.body.replaceChildren(list);
}

const sessions: PageSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.stop();
  document.body.replaceChildren();
});

function startSession(clock: Clock & { taskEnds?: () => void }) {
  const asked: number[] = [];
  const send = (async <K extends MessageType>(type: K, payload: Payload<K>) => {
    clock.taskEnds?.();
    if (type === 'matchHeadlines') {
      const { headlines } = payload as Payload<'matchHeadlines'>;
      asked.push(headlines.length);
      return { results: headlines.map(() => match) };
    }
    if (type === 'pageRead') return { total: 0, same: 0, stories: [] };
    return { count: (payload as Payload<'badgesShown'>).count };
  }) as SessionDeps['send'];
  const s = new PageSession({
    doc: document,
    send,
    loadSettings: async () => ({ ...DEFAULTS }),
    watchSettings: () => () => undefined,
    onWorker: () => undefined,
    alive: () => true,
    clock,
    strings: { label: (t) => `${t} related`, accessibleName: (l) => l, cardTitle: 'Related', sameStory: 'Same story', related: 'Related', timeAgo: () => '' },
  });
  sessions.push(s);
  return { session: s, asked };
}

describe('the first pass over a 2,000-headline front page', () => {
  it('reads the links and mounts the badges in slices, and still badges every headline once', async () => {
    frontPage(2000);
    const clock = fakeClock();
    const { session: s, asked } = startSession(clock);
    await s.start();
    expect(asked).toEqual([MAX_HEADLINES, MAX_HEADLINES, MAX_HEADLINES, MAX_HEADLINES, MAX_HEADLINES]);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2000);
    // Reading: one step a link, 2,000 links in slices of 8. Mounting: groups of 25 badges, each
    // group one step, a slice of 8 groups; 16 groups per request of 400, 2 slices a request.
    const reading = 2000 / SLICE_MS - 1;
    const mounting = 5 * (Math.ceil(MAX_HEADLINES / MOUNT_GROUP / SLICE_MS) - 1);
    expect(clock.yields).toBeGreaterThanOrEqual(reading + mounting);
    expect(clock.longest).toBeLessThanOrEqual(SLICE_MS + 1);
  });

  it('stops between slices when the extension goes away, mounting nothing more', async () => {
    frontPage(2000);
    const clock = fakeClock();
    const { session: s, asked } = startSession(clock);
    const yieldOnce = clock.yield;
    clock.yield = async () => {
      await yieldOnce();
      if (clock.yields === 10) s.stop();
    };
    await s.start();
    expect(asked).toEqual([]);
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
  });
});
