// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type Settings } from '../../src/settings/schema';
import type { SourcesApi } from '../../src/ui/options/api';
import { Options } from '../../src/ui/options/Options';
import { withScheme } from '../../src/ui/options/Sources';
import { plural } from '../../src/ui/i18n';

const roots: Element[] = [];
const settle = (ms = 0) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));

async function openOptions(api: Partial<SourcesApi> = {}) {
  const full = {
    listFeeds: async () => [],
    stats: async () => ({ total: 0, byKind: {}, lastPrune: null, storage: null, indexSavedAt: null, startup: null }),
    storageUsedBytes: async () => null,
    importStatus: async () => null,
    suggestedFeeds: async () => [],
    requestHosts: vi.fn(async () => true),
    addFeed: vi.fn(async (url: string) => ({ id: 'f0000000000001', url, title: 'BBC', itemCount: 3, lastError: null })),
    confirm: () => true,
    ...api,
  } as unknown as SourcesApi;
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  await act(async () => {
    render(
      <Options api={full} load={async () => ({ ...DEFAULTS })} save={async (p: Partial<Settings>) => ({ ...DEFAULTS, ...p })} watch={() => () => undefined} />,
      root,
    );
  });
  await settle();
  return { root, api: full };
}

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

describe('options: words, numbers and fields', () => {
  it('writes counts with digit grouping', () => {
    expect(plural('importDone', 54019)).toBe('Imported 54,019 articles.');
    // One is one: never "1 articles".
    expect(plural('importDone', 1)).toBe('Imported 1 article.');
    expect(plural('importProgress', 1, 0)).toBe('Importing… 0 of 1 article');
    expect(plural('importProgress', 2500, 1000)).toBe('Importing… 1,000 of 2,500 articles');
    expect(plural('librarySize', 1, 0, 1, 0, 0)).toBe('1 article: 0 from feeds, 1 from your reading, 0 imported, 0 samples.');
    expect(plural('libraryPruned', 1, '2 minutes ago')).toBe('1 oldest article was removed 2 minutes ago to make room.');
    expect(plural('libraryExpired', 3, 'today')).toBe('3 articles past the retention window were removed today.');

    expect(plural('storyCount', 1200)).toMatch(/^1,200 /);
  });

  it('puts each number field’s label before its input', async () => {
    const { root } = await openOptions();
    const label = [...root.querySelectorAll('label')].find((l) => /Keep at most/.test(l.textContent ?? ''))!;
    const input = label.querySelector('input[type="number"]')!;
    const text = [...label.childNodes].findIndex((n) => n.nodeType === 3 && /Keep at most/.test(n.textContent ?? ''));
    expect(text).toBeGreaterThanOrEqual(0);
    expect([...label.childNodes].indexOf(input)).toBeGreaterThan(text);
  });

  it('takes a bare domain in "Feed or website address" and follows it over https', async () => {
    const { root, api } = await openOptions();
    const input = root.querySelector<HTMLInputElement>('#feed-url')!;
    // A text field the browser does not refuse for lacking a scheme; the keyboard is still the URL one.
    expect(input.type).toBe('text');
    expect(input.getAttribute('inputmode')).toBe('url');
    input.value = 'bbc.com';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    expect(input.checkValidity()).toBe(true);
    await act(async () => void input.form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle(10);
    expect(api.requestHosts).toHaveBeenCalledWith(['https://bbc.com']);
    expect(api.addFeed).toHaveBeenCalledWith('https://bbc.com', false);
  });

  it('says the feeds and the library are loading while a waking worker has not answered, then shows them', async () => {
    let feedsAnswer: (feeds: []) => void = () => undefined;
    const { root } = await openOptions({ listFeeds: () => new Promise((r) => (feedsAnswer = r)), stats: () => new Promise(() => undefined) });
    const statuses = () => [...root.querySelectorAll('[role="status"]')].map((s) => s.textContent);
    expect(statuses()).toEqual(expect.arrayContaining(['Loading your feeds…', 'Loading library…']));
    await act(async () => feedsAnswer([]));
    expect(statuses()).not.toContain('Loading your feeds…');
    expect(root.textContent).toContain('You follow no feeds yet.');
  });

  it('adds https:// only where no scheme was typed', () => {
    expect(withScheme('bbc.com')).toBe('https://bbc.com');
    expect(withScheme('  www.bbc.co.uk/news/rss.xml ')).toBe('https://www.bbc.co.uk/news/rss.xml');
    expect(withScheme('http://127.0.0.1:8080/feed')).toBe('http://127.0.0.1:8080/feed');
    expect(withScheme('HTTPS://Example.com')).toBe('HTTPS://Example.com');
    expect(withScheme('//cdn.example/feed')).toBe('https://cdn.example/feed');
  });
});

describe('options: what one click could lose is asked first, and a failure is said', () => {
  const feed = {
    id: 'f0000000000001',
    url: 'https://feeds.bbci.co.uk/news/rss.xml',
    title: 'BBC News',
    addedAt: '2025-06-01T00:00:00Z',
    lastFetchAt: null,
    lastSuccessAt: null,
    itemCount: 3,
    lastError: null,
    needsPermission: false,
  };
  const button = (root: Element, name: string) =>
    [...root.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name) as HTMLButtonElement;

  it('removing a feed: asked with its name; kept when declined; removed and said when confirmed; an error shown', async () => {
    const asked: string[] = [];
    let answer = false;
    const removeFeed = vi.fn(async () => ({ removed: true as const }));
    const { root } = await openOptions({ listFeeds: async () => [feed], confirm: (m: string) => (asked.push(m), answer), removeFeed } as never);
    await act(async () => button(root, 'Remove BBC News').click());
    expect(asked).toEqual(['Stop following BBC News? Its articles leave your library too.']);
    expect(removeFeed).not.toHaveBeenCalled();
    answer = true;
    await act(async () => button(root, 'Remove BBC News').click());
    await settle();
    expect(removeFeed).toHaveBeenCalledWith('f0000000000001');
    expect(root.textContent).toContain('Stopped following BBC News.');
    // The pressed button went with its row: focus is on the sentence that says what happened.
    expect(document.activeElement?.textContent).toBe('Stopped following BBC News.');
    removeFeed.mockRejectedValueOnce(new Error('The library could not be opened'));
    await act(async () => button(root, 'Remove BBC News').click());
    await settle();
    expect(root.textContent).toContain('The library could not be opened');
  });

  it('clearing reading history: asked with the count when there is some; nothing cleared when declined; an error shown', async () => {
    const asked: string[] = [];
    let answer = false;
    const clearHistory = vi.fn(async () => 7);
    const stats = async () => ({ total: 11, byKind: { history: 7, seed: 4 }, lastPrune: null, storage: null, indexSavedAt: null, startup: null });
    const { root } = await openOptions({ stats, confirm: (m: string) => (asked.push(m), answer), clearHistory } as never);
    await act(async () => button(root, 'Clear reading history').click());
    expect(asked).toEqual([
      'Clear your reading history (7 articles)? Pages you read stop matching as related stories. Feeds, imports and samples stay, and so do your followed stories and hidden results (remove them under “Followed stories and hidden results”).',
    ]);
    expect(clearHistory).not.toHaveBeenCalled();
    answer = true;
    await act(async () => button(root, 'Clear reading history').click());
    await settle();
    expect(clearHistory).toHaveBeenCalledTimes(1);
    expect(root.textContent).toContain('Removed 7 articles from your reading history.');
    clearHistory.mockRejectedValueOnce(new Error('The disk is full'));
    await act(async () => button(root, 'Clear reading history').click());
    await settle();
    expect(root.textContent).toContain('The disk is full');
  });
});

describe('a feed’s address is shown whole (attack review, helper-35)', () => {
  it('wraps instead of cutting with an ellipsis, which hid the host after a long lookalike prefix', async () => {
    const { readFileSync } = await import('node:fs');
    const css = readFileSync('src/ui/options/options.css', 'utf8');
    const rule = /\.feed-main \.hint \{([^}]*)\}/.exec(css)?.[1] ?? '';
    expect(rule).toContain('overflow-wrap: anywhere');
    expect(rule).not.toMatch(/ellipsis|nowrap/);
  });
});

describe('options: refreshing feeds is said once', () => {
  const feed = (id: string, title: string, lastError: { code: string } | null = null) => ({
    id,
    url: `https://${id}.example/rss`,
    title,
    addedAt: '2026-11-29T00:00:00.000Z',
    lastFetchAt: '2026-11-29T00:00:00.000Z',
    lastSuccessAt: lastError ? null : '2026-11-29T00:00:00.000Z',
    itemCount: 3,
    lastError,
    needsPermission: false,
  });
  const feeds = [feed('a', 'Alpha Wire'), feed('b', 'Beta Post'), feed('c', 'Gamma Times', { code: 'fetchTimeout', seconds: 20 } as never)];

  it('"Refresh all feeds" announces one sentence, not one per feed; a feed\u2019s own refresh names it', async () => {
    const refreshFeeds = vi.fn(async (id?: string) => (id ? feeds.filter((f) => f.id === id) : feeds));
    const { root } = await openOptions({ listFeeds: async () => feeds, refreshFeeds } as never);
    const list = root.querySelector('ul.feeds')!;
    // The feed lines are no live regions: ten feeds refreshed were ten announcements.
    expect(list.querySelectorAll('[role="status"], [role="alert"], [aria-live]')).toHaveLength(0);
    const button = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Refresh all feeds')!;
    await act(async () => void button.click());
    await settle(10);
    const live = [...root.querySelectorAll('[role="status"]')].map((s) => s.textContent);
    expect(live).toContain('Refreshed 3 feeds. 1 failed: its line says why.');
    const one = root.querySelector<HTMLButtonElement>('button[aria-label="Refresh Beta Post"]')!;
    await act(async () => void one.click());
    await settle(10);
    expect([...root.querySelectorAll('[role="status"]')].map((s) => s.textContent)).toContainEqual(
      expect.stringMatching(/^Beta Post: Fetched .* · 3 stories$/),
    );
  });
});
