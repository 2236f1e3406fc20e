import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULTS } from '../../src/settings/schema';
import { loadSettings, saveSettings } from '../../src/settings/store';

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
});
