import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULTS, SETTINGS_VERSION } from '../../src/settings/schema';
import { loadSettings, saveSettings, watchSettings } from '../../src/settings/store';

describe('settings store', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps both of two quick writes (issue 9, finding 8: read-merge-write lost one)', async () => {
    await Promise.all([saveSettings({ history: false }), saveSettings({ maxResults: 20 }), saveSettings({ windowDays: 3 })]);
    expect(await loadSettings()).toEqual({ ...DEFAULTS, history: false, maxResults: 20, windowDays: 3 });
  });

  it('answers each write with the settings as they stood after it, in order', async () => {
    const [first, second] = await Promise.all([saveSettings({ toolbarBadge: false }), saveSettings({ seedArticles: false })]);
    expect(first).toMatchObject({ toolbarBadge: false, seedArticles: true });
    expect(second).toMatchObject({ toolbarBadge: false, seedArticles: false });
  });

  it('lets a failed write fail alone: the next write still runs', async () => {
    const set = fakeBrowser.storage.local.set.bind(fakeBrowser.storage.local);
    let calls = 0;
    fakeBrowser.storage.local.set = async (items) => {
      if (++calls === 1) throw new Error('QUOTA_BYTES quota exceeded');
      return set(items);
    };
    const results = await Promise.allSettled([saveSettings({ maxResults: 5 }), saveSettings({ windowDays: 2 })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await loadSettings()).toMatchObject({ maxResults: DEFAULTS.maxResults, windowDays: 2 });
    fakeBrowser.storage.local.set = set;
  });

  it('keeps settings out of storage.sync: a 500-site list over 8 KB is stored whole, locally (RELIABILITY row 11)', async () => {
    const sites = Array.from({ length: 500 }, (_, i) => `news-site-number-${i}.example`);
    const saved = await saveSettings({ badgeDeny: sites });
    expect(saved.badgeDeny).toEqual(sites);
    expect(JSON.stringify(await fakeBrowser.storage.local.get('settings')).length).toBeGreaterThan(8192);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect((await loadSettings()).badgeDeny).toEqual(sites);
  });

  it('reads a stored "false" history switch as off', async () => {
    await fakeBrowser.storage.local.set({ settings: { version: 2, history: 'false' } });
    expect((await loadSettings()).history).toBe(false);
  });

  it('reads nothing stored as the defaults, and a stored record merged over them', async () => {
    expect(await loadSettings()).toEqual(DEFAULTS);
    await fakeBrowser.storage.local.set({ settings: { version: SETTINGS_VERSION, maxResults: 12, unknownKey: 'dropped' } });
    expect(await loadSettings()).toEqual({ ...DEFAULTS, maxResults: 12 });
  });

  it('writes the whole settings with the schema version, migrating an old record on the way', async () => {
    // Version 1 called the seed switch useSeeds.
    await fakeBrowser.storage.local.set({ settings: { version: 1, useSeeds: false } });
    await saveSettings({ maxResults: 9 });
    const { settings } = await fakeBrowser.storage.local.get('settings');
    expect(settings).toEqual({ ...DEFAULTS, seedArticles: false, maxResults: 9, version: SETTINGS_VERSION });
  });

  it('tells a watcher each change as parsed settings, from storage.local’s settings key only, until unsubscribed', async () => {
    const seen = vi.fn();
    const unwatch = watchSettings(seen);
    await saveSettings({ maxResults: 4 });
    expect(seen).toHaveBeenCalledTimes(1);
    expect(seen).toHaveBeenLastCalledWith({ ...DEFAULTS, maxResults: 4 });
    // Another key, another area: not settings.
    await fakeBrowser.storage.local.set({ other: 1 });
    await fakeBrowser.storage.session.set({ settings: { maxResults: 30 } });
    expect(seen).toHaveBeenCalledTimes(1);
    // A broken write reaches the watcher parsed, with the privacy-safe value for an unreadable switch.
    await fakeBrowser.storage.local.set({ settings: { version: SETTINGS_VERSION, history: 'yes' } });
    expect(seen).toHaveBeenLastCalledWith({ ...DEFAULTS, history: false });
    unwatch();
    await saveSettings({ maxResults: 6 });
    expect(seen).toHaveBeenCalledTimes(2);
  });
});
