import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULTS, type Settings } from '../../src/settings/schema';

/**
 * Settings written from two pages at once (issue 9, leftovers item 5): the options page and the
 * popup, or two options tabs, each with its own copy of src/settings/store.ts and its own queue of
 * writes, over one storage.local. Each copy here is a fresh import of the module (two contexts);
 * storage reads take a few milliseconds, so both contexts read before either writes.
 */
type Store = typeof import('../../src/settings/store');

async function context(): Promise<Store> {
  vi.resetModules();
  return import('../../src/settings/store');
}

/** Web Locks as the browser gives them to one origin: exclusive, granted in request order. */
function lockManager() {
  const tails = new Map<string, Promise<unknown>>();
  const held = { now: 0, most: 0, names: new Set<string>() };
  return {
    held,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      held.names.add(name);
      const granted = (tails.get(name) ?? Promise.resolve()).then(async () => {
        held.most = Math.max(held.most, ++held.now);
        try {
          return await callback();
        } finally {
          held.now--;
        }
      });
      tails.set(
        name,
        granted.catch(() => undefined),
      );
      return granted;
    },
  };
}

describe('settings written from two contexts at once', () => {
  const get = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
  beforeEach(() => {
    fakeBrowser.reset();
    // A slow read, as storage.local's are across processes: both writers read the old record first.
    fakeBrowser.storage.local.get = (async (keys: never) => {
      const items = await get(keys);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items;
    }) as typeof fakeBrowser.storage.local.get;
  });
  afterEach(() => {
    fakeBrowser.storage.local.get = get;
    vi.unstubAllGlobals();
  });

  async function writeFromBoth(): Promise<Settings> {
    const options = await context();
    const popup = await context();
    expect(options.saveSettings).not.toBe(popup.saveSettings);
    await Promise.all([options.saveSettings({ history: false }), popup.saveSettings({ maxResults: 20 }), options.saveSettings({ windowDays: 3 })]);
    return (await context()).loadSettings();
  }

  it('keeps both pages’ changes: each write holds the origin’s settings lock', async () => {
    const locks = lockManager();
    vi.stubGlobal('navigator', { locks });
    expect(await writeFromBoth()).toEqual({ ...DEFAULTS, history: false, maxResults: 20, windowDays: 3 });
    expect(locks.held.most).toBe(1);
    expect([...locks.held.names]).toEqual(['storyline-settings']);
  });

  it('a failed write in one page releases the lock: the other page’s write still lands', async () => {
    vi.stubGlobal('navigator', { locks: lockManager() });
    const options = await context();
    const popup = await context();
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    let calls = 0;
    fakeBrowser.storage.local.set = async (items) => {
      if (++calls === 1) throw new Error('QUOTA_BYTES quota exceeded');
      return set(items);
    };
    try {
      const results = await Promise.allSettled([options.saveSettings({ maxResults: 5 }), popup.saveSettings({ windowDays: 2 })]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    } finally {
      fakeBrowser.storage.local.set = set;
    }
    expect(await options.loadSettings()).toMatchObject({ maxResults: DEFAULTS.maxResults, windowDays: 2 });
  });

  it('loses a page’s change without the lock (what the lock is for: this simulation does race)', async () => {
    vi.stubGlobal('navigator', undefined);
    const stored = await writeFromBoth();
    const kept = [stored.history === false, stored.maxResults === 20, stored.windowDays === 3].filter(Boolean).length;
    expect(kept).toBeLessThan(3);
  });
});
