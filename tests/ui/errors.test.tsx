// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { CodedError, parseAppError } from '../../src/messaging/errors';
import type { FeedView } from '../../src/messaging/feeds';
import type { ImportStatus } from '../../src/messaging/library-io';
import { errorText } from '../../src/ui/errors';
import type { SourcesApi } from '../../src/ui/options/api';
import { FeedList } from '../../src/ui/options/FeedList';
import { importResultText } from '../../src/ui/options/ImportProgress';
import { Sources } from '../../src/ui/options/Sources';

const roots: Element[] = [];
const settle = () => act(async () => void (await new Promise((r) => setTimeout(r, 0))));

function mount(node: preact.ComponentChild): Element {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  render(node, root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

const feed = (over: Partial<FeedView>): FeedView => ({
  id: 'f0000000000001',
  url: 'https://news.example/rss',
  title: 'News',
  addedAt: '2025-06-01T00:00:00.000Z',
  lastFetchAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  lastSuccessAt: null,
  itemCount: 0,
  lastError: null,
  needsPermission: false,
  ...over,
});

describe('errors are codes, put in words by the screens (issue 11)', () => {
  it('shows a feed’s error code as its sentence, with its parameters', () => {
    const root = mount(
      <FeedList feeds={[feed({ lastError: { code: 'httpStatus', status: 404 } })]} busy={null} onRefresh={vi.fn()} onRemove={vi.fn()} onGrant={vi.fn()} />,
    );
    const status = root.querySelector('.feed-status')!;
    expect(status.textContent).toMatch(/^Last attempt .* failed: HTTP 404$/);
    expect(status.className).toContain('error');
  });

  it('shows an error stored as a sentence by an earlier version as it was, marked as such', () => {
    // What the feed store hands over for an old record's sentence: checked into 'earlier'.
    const root = mount(
      <FeedList feeds={[feed({ lastError: parseAppError('timed out after 20 s') })]} busy={null} onRefresh={vi.fn()} onRemove={vi.fn()} onGrant={vi.fn()} />,
    );
    expect(root.querySelector('.feed-status')!.textContent).toMatch(/failed: timed out after 20 s \(as recorded by an earlier version of Storyline\)$/);
  });

  it('uses the browser’s catalogue for the UI language, with the parameters as substitutions', () => {
    const getMessage = vi
      .spyOn(browser.i18n, 'getMessage')
      .mockImplementation(((key: string, subs?: string[]) => (key === 'error_fetchTimeout' ? `Zeitüberschreitung nach ${subs?.[0]} s` : '')) as never);
    expect(errorText(new CodedError({ code: 'fetchTimeout', seconds: 20 }))).toBe('Zeitüberschreitung nach 20 s');
    expect(getMessage).toHaveBeenCalledWith('error_fetchTimeout', ['20']);
  });

  it('says what any other failure was, and something sensible for an unreadable one', () => {
    expect(errorText(new Error('disk on fire'))).toBe('something went wrong in Storyline (disk on fire)');
    expect(errorText({ code: 'fromTheFuture' })).toBe('something went wrong in Storyline');
    expect(errorText(new CodedError({ code: 'workerSilent' }))).toBe('Storyline’s background worker did not answer.');
  });

  it('tells a failed import by its code, and a refused follow by the worker’s code', async () => {
    const failed = { state: 'failed', error: { code: 'storageFull', count: 5 }, bad: [], skipped: 0 } as unknown as ImportStatus;
    expect(importResultText(failed)).toEqual({
      kind: 'error',
      text: 'The import stopped: storage full: the browser has no room for more articles (5 could not be stored) The articles imported before the error are kept.',
    });

    const api = {
      listFeeds: async () => [],
      suggestedFeeds: async () => [],
      requestHosts: async () => true,
      confirm: () => true,
      addFeed: async () => {
        throw new CodedError({ code: 'feedPageHasNoFeed' });
      },
    } as unknown as SourcesApi;
    const root = mount(<Sources api={api} />);
    await settle();
    const input = root.querySelector<HTMLInputElement>('#feed-url')!;
    await act(async () => {
      input.value = 'site.example';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await act(async () => void root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
    expect(root.querySelector('[role="alert"]')!.textContent).toBe(
      'Could not follow that feed: That page is a web page that advertises no feed. Paste the feed’s own address.',
    );
  });
});

describe('a feed’s status counts its stories in words', () => {
  it('says "1 story" and "2 stories"', () => {
    const root = mount(
      <FeedList
        feeds={[
          feed({ lastSuccessAt: new Date().toISOString(), itemCount: 1 }),
          feed({ id: 'f0000000000002', lastSuccessAt: new Date().toISOString(), itemCount: 2 }),
        ]}
        busy={null}
        onRefresh={vi.fn()}
        onRemove={vi.fn()}
        onGrant={vi.fn()}
      />,
    );
    const statuses = [...root.querySelectorAll('.feed-status')].map((s) => s.textContent);
    expect(statuses[0]).toMatch(/^Fetched .* · 1 story$/);
    expect(statuses[1]).toMatch(/^Fetched .* · 2 stories$/);
  });
});
