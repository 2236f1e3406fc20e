/**
 * Main-thread work in slices (RELIABILITY row 14; issue 9, leftovers item 4). A pass over a big
 * front page (2,000 links, hundreds of badges) done in one go is one long task: the page cannot
 * answer a click or paint until it ends. Cut into slices of a few milliseconds with a yield between
 * them, no task of the content script comes near the 50 ms long-task line, whatever the page's size.
 */

/** Work done before giving the page its turn: the budget table's aim per scan or inject batch. */
export const SLICE_MS = 8;

/** Badges whose spots are read in one style pass, then mounted, before the clock is looked at again. */
export const MOUNT_GROUP = 25;

/** Time and turns: the browser's, or a test's fake one. */
export interface Clock {
  now(): number;
  /** Resolves once the browser has had its turn (input, rendering, the page's own tasks). */
  yield(): Promise<void>;
}

/**
 * The browser's clock. Yields with `scheduler.yield()` where there is one (Chrome 129 on), else a
 * message on a private MessageChannel: a task of its own, not a timer (hidden tabs slow timers to
 * one a second), and not a window message, which the page would see.
 */
export function browserClock(): Clock {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return {
    now: () => performance.now(),
    yield: () => {
      if (typeof scheduler?.yield === 'function') return scheduler.yield();
      return new Promise<void>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(null);
      });
    },
  };
}

/**
 * Runs work in slices: `step` is called until it returns false (nothing left), and the page gets
 * its turn whenever a slice has run `budgetMs` or longer (each slice does at least one step).
 * Stops early, between slices, when `stopped()` says so. Returns the main-thread time the steps
 * took, yields left out, and how many slices there were.
 */
export async function inSlices(
  step: () => boolean,
  clock: Clock,
  stopped: () => boolean = () => false,
  budgetMs = SLICE_MS,
): Promise<{ ms: number; slices: number }> {
  let ms = 0;
  let slices = 1;
  let start = clock.now();
  while (step()) {
    const now = clock.now();
    if (now - start < budgetMs) continue;
    ms += now - start;
    await clock.yield();
    if (stopped()) return { ms, slices };
    slices++;
    start = clock.now();
  }
  ms += clock.now() - start;
  return { ms, slices };
}

/** `work` over each item in order, in slices (see inSlices). */
export function eachInSlices<T>(items: readonly T[], work: (item: T) => void, clock: Clock, stopped?: () => boolean, budgetMs = SLICE_MS) {
  let i = 0;
  return inSlices(
    () => {
      if (i >= items.length) return false;
      work(items[i++]);
      return i < items.length;
    },
    clock,
    stopped,
    budgetMs,
  );
}
