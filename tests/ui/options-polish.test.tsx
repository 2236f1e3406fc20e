// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type Settings } from '../../src/settings/schema';
import type { SourcesApi } from '../../src/ui/options/api';
import { Options } from '../../src/ui/options/Options';
import { withScheme } from '../../src/ui/options/Sources';
import { plural, t } from '../../src/ui/i18n';

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
    expect(t('importDone', 54019)).toBe('Imported 54,019 articles.');
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
