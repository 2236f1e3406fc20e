import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { allTabPages, forgetTab, getTabBadges, getTabPage, replacesAnother, setTabBadges, setTabPage, tabNavigated } from '../../src/background/tab-state';
import type { PageInfo } from '../../src/core/article';

const page = (headline: string): PageInfo => ({
  url: 'https://news.example/2026/11/25/talks',
  headline,
  description: null,
  siteName: 'News Example',
  canonicalUrl: null,
  publishedAt: '2026-11-25T08:00:00.000Z',
  lang: 'en',
});

/**
 * storage.session as browsers keep it. The fake browser deletes a key set to null; Chrome and
 * Firefox store the null (MDN, StorageArea.set), and tab-state relies on that: null is "read, not
 * an article", a missing key is "never read".
 */
function sessionAreaKeepingNull(): void {
  const data = new Map<string, unknown>();
  const area = fakeBrowser.storage.session;
  area.get = (async (keys?: string | string[] | null) => {
    const wanted = keys == null ? [...data.keys()] : typeof keys === 'string' ? [keys] : keys;
    return Object.fromEntries(wanted.filter((key) => data.has(key)).map((key) => [key, structuredClone(data.get(key))]));
  }) as typeof area.get;
  area.set = async (items: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(items)) if (value !== undefined) data.set(key, structuredClone(value));
  };
  area.remove = async (keys: string | string[]) => {
    for (const key of typeof keys === 'string' ? [keys] : keys) data.delete(key);
  };
}

describe('tab state in storage.session', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    sessionAreaKeepingNull();
  });

  it('tells "never read" (undefined) from "read, not an article" (null) and a page', async () => {
    expect(await getTabPage(7)).toBeUndefined();
    await setTabPage(7, null);
    expect(await getTabPage(7)).toBeNull();
    await setTabPage(7, page('Talks resume'));
    expect(await getTabPage(7)).toEqual(page('Talks resume'));
    // Kept in session storage only: gone with the browser, never written to disk.
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });

  it('keeps each tab apart, and forgets a tab’s page and badge count together', async () => {
    await setTabPage(1, page('One'));
    await setTabPage(2, page('Two'));
    await setTabBadges(1, 4);
    await setTabBadges(2, 9);
    await forgetTab(1);
    expect(await getTabPage(1)).toBeUndefined();
    expect(await getTabBadges(1)).toBe(0);
    expect(await getTabPage(2)).toEqual(page('Two'));
    expect(await getTabBadges(2)).toBe(9);
  });

  it('reads stored values as untrusted: a malformed page counts as never read, a bad count as 0', async () => {
    await fakeBrowser.storage.session.set({ 'tab:3': { headline: '', url: 'javascript:alert(1)' }, 'tab:4': 'nonsense' });
    expect(await getTabPage(3)).toBeUndefined();
    expect(await getTabPage(4)).toBeUndefined();
    for (const bad of [-1, 2.5, '3', null]) {
      await fakeBrowser.storage.session.set({ 'badges:5': bad });
      expect(await getTabBadges(5)).toBe(0);
    }
  });

  it('lists every tab’s page by tab id, skipping badge counts, other keys and malformed pages', async () => {
    await setTabPage(10, page('Ten'));
    await setTabPage(11, null);
    await setTabBadges(10, 2);
    await fakeBrowser.storage.session.set({ 'tab:12': { headline: 42 }, 'import:13': page('Not a tab') });
    expect(await allTabPages()).toEqual(
      new Map<number, PageInfo | null>([
        [10, page('Ten')],
        [11, null],
      ]),
    );
  });

  it('keeps a tab whose script still shows the page it sent (an address rewrite), forgets one whose page is gone', async () => {
    let answer: unknown = { showing: true };
    const asked: unknown[] = [];
    (browser.tabs as { sendMessage: unknown }).sendMessage = async (tabId: number, message: unknown) => {
      asked.push([tabId, message]);
      if (answer instanceof Error) throw answer;
      return answer;
    };
    await setTabPage(3, page('Talks resume'), 'https://news.example/2026/11/25/talks');
    await setTabBadges(3, 2);
    await tabNavigated(3);
    expect(asked).toEqual([[3, { channel: 'storyline', type: 'showing', payload: {} }]]);
    expect(await getTabPage(3)).toEqual(page('Talks resume'));
    expect(await getTabBadges(3)).toBe(2);
    // Another page took the tab and its script has not read it yet.
    answer = { showing: false };
    await tabNavigated(3);
    expect(await getTabPage(3)).toBeUndefined();
    // A page without our script (a PDF, a browser page): no one answers.
    await setTabPage(3, page('Talks resume'));
    answer = new Error('Could not establish connection. Receiving end does not exist.');
    await tabNavigated(3);
    expect(await getTabPage(3)).toBeUndefined();
    // Nothing held for the tab: nothing to ask about.
    asked.length = 0;
    await tabNavigated(3);
    expect(asked).toEqual([]);
  });

  it('keeps the page a new document read while its script was being asked, at the same address too (a reload)', async () => {
    const address = 'https://news.example/2026/11/25/talks';
    await setTabPage(4, page('Talks resume'), address);
    (browser.tabs as { sendMessage: unknown }).sendMessage = async () => {
      // The reloaded page's pageRead lands before the answer, asked of it before it had read, is read.
      await setTabPage(4, page('Talks resume, updated'), address);
      return { showing: false };
    };
    await tabNavigated(4);
    expect(await getTabPage(4)).toEqual(page('Talks resume, updated'));
  });

  it('tells whether the page read replaces another (a side panel leaves its query for another page, not for the same one sent again)', async () => {
    const read = async (p: PageInfo | null, url: string) => replacesAnother(await setTabPage(8, p, url), p, url);
    // Nothing held (a tab new to the worker, or forgotten): nothing replaced.
    expect(await read(page('Talks resume'), 'https://news.example/a')).toBe(false);
    // The same article again (a press, a page back from the cache), even at a rewritten address.
    expect(await read(page('Talks resume'), 'https://news.example/a?page=2')).toBe(false);
    expect(await read(page('Storm hits the coast'), 'https://news.example/b')).toBe(true);
    // A front page, then another one: told apart by their addresses.
    expect(await read(null, 'https://news.example/')).toBe(true);
    expect(await read(null, 'https://news.example/')).toBe(false);
    expect(await read(null, 'https://news.example/world')).toBe(true);
    await forgetTab(8);
    expect(await read(page('Talks resume'), 'https://news.example/a')).toBe(false);
  });
});
