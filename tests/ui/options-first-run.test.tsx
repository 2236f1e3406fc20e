// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedView } from '../../src/messaging/feeds';
import { STARTER_FEEDS } from '../../src/corpus/feeds/starter';
import { DEFAULTS, type Settings } from '../../src/settings/schema';
import type { SourcesApi } from '../../src/ui/options/api';
import { Options } from '../../src/ui/options/Options';

const roots: Element[] = [];
const settle = (ms = 0) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

describe('first run: the options page leads with sources, and one click follows the recommended ones', () => {
  it('welcome and recommended sources come first; one permission request for all; progress, then a summary', async () => {
    const followed: FeedView[] = [];
    let release: () => void = () => undefined;
    const api = {
      listFeeds: vi.fn(async () => [...followed]),
      stats: async () => ({ total: 0, byKind: {}, lastPrune: null, storage: null, indexSavedAt: null, startup: null }),
      storageUsedBytes: async () => null,
      importStatus: async () => null,
      suggestedFeeds: async () => STARTER_FEEDS,
      requestHosts: vi.fn(async () => true),
      addFeed: vi.fn(async (url: string) => {
        // The first fetch waits, so the test can see the page while it is under way.
        if (followed.length === 0) await new Promise<void>((r) => (release = r));
        const feed = {
          id: `f${String(followed.length).padStart(13, '0')}`,
          url,
          title: `Feed ${followed.length}`,
          itemCount: 5,
          lastError: null,
        } as unknown as FeedView;
        followed.push(feed);
        return feed;
      }),
      confirm: () => true,
    } as unknown as SourcesApi;
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    await act(async () => {
      render(
        <Options api={api} load={async () => ({ ...DEFAULTS })} save={async (p: Partial<Settings>) => ({ ...DEFAULTS, ...p })} watch={() => () => undefined} />,
        root,
      );
    });
    // Settings load, then the feed list: wait for the page to settle.
    for (let i = 0; i < 50 && !root.querySelector('.welcome'); i++) await settle(10);

    // Sources lead: the first section, with the welcome before anything else in it.
    const first = root.querySelector('main > fieldset')!;
    expect(first.id).toBe('sources');
    const welcome = first.querySelector('.welcome')!;
    const button = [...first.querySelectorAll('button')].find((b) => b.textContent === `Follow these ${STARTER_FEEDS.length} recommended sources`)!;
    expect(button).toBeTruthy();
    const address = first.querySelector('#feed-url')!;
    expect(welcome.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    // The recommended sources come before the address field on a first run.
    expect(button.compareDocumentPosition(address) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    await act(async () => void button.click());
    await settle();
    // One prompt for every site, asked from the click itself.
    expect(api.requestHosts).toHaveBeenCalledTimes(1);
    expect(api.requestHosts).toHaveBeenCalledWith(STARTER_FEEDS.map((f) => f.url));
    expect(root.textContent).toContain(`Fetching 1 of ${STARTER_FEEDS.length}:`);
    expect(button.disabled).toBe(true);
    release();
    await settle(20);
    expect(api.addFeed).toHaveBeenCalledTimes(STARTER_FEEDS.length);
    expect(root.textContent).toContain(`Following ${STARTER_FEEDS.length} sources.`);
    // All followed: the suggestions are gone, the feeds are listed.
    expect(root.textContent).not.toContain('recommended sources');
  });
});

describe('an OPML import says how it went, never more than happened (attack review, helper-21)', () => {
  it('once some sources are ticked, "Follow the N selected" is the button that stands out, not "Follow these 12"', async () => {
    const requestHosts = vi.fn(async () => true);
    const api = {
      listFeeds: async () => [],
      stats: async () => ({ total: 0, byKind: {}, lastPrune: null, storage: null, indexSavedAt: null, startup: null }),
      storageUsedBytes: async () => null,
      importStatus: async () => null,
      suggestedFeeds: async () => STARTER_FEEDS,
      requestHosts,
      addFeed: vi.fn(async (url: string) => ({ id: 'f0000000000001', url, title: 'A', itemCount: 1, lastError: null })),
      confirm: () => true,
    } as unknown as SourcesApi;
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    await act(async () => {
      render(
        <Options api={api} load={async () => ({ ...DEFAULTS })} save={async (p: Partial<Settings>) => ({ ...DEFAULTS, ...p })} watch={() => () => undefined} />,
        root,
      );
    });
    for (let i = 0; i < 50 && !root.querySelector('.starter input[type="checkbox"]'); i++) await settle(10);
    const buttons = () => [...root.querySelectorAll<HTMLButtonElement>('.starter button')];
    const primary = () =>
      buttons()
        .filter((b) => b.classList.contains('primary'))
        .map((b) => b.textContent);
    expect(primary()).toEqual([`Follow these ${STARTER_FEEDS.length} recommended sources`]);
    const boxes = [...root.querySelectorAll<HTMLInputElement>('.starter input[type="checkbox"]')];
    await act(async () => boxes[0].click());
    await act(async () => boxes[2].click());
    expect(primary()).toEqual(['Follow the 2 selected sources']);
    await act(async () =>
      buttons()
        .find((b) => b.textContent === 'Follow the 2 selected sources')!
        .click(),
    );
    await settle(10);
    expect(requestHosts).toHaveBeenCalledWith([STARTER_FEEDS[0].url, STARTER_FEEDS[2].url]);
  });

  async function importOpml(over: Partial<Record<keyof SourcesApi, unknown>>) {
    const api = {
      listFeeds: async () => [],
      stats: async () => ({ total: 0, byKind: {}, lastPrune: null, storage: null, indexSavedAt: null, startup: null }),
      storageUsedBytes: async () => null,
      importStatus: async () => null,
      suggestedFeeds: async () => [],
      parseOpml: async () => [
        { url: 'https://a.example/feed.xml', title: 'A' },
        { url: 'https://b.example/feed.xml', title: 'B' },
      ],
      confirm: () => true,
      ...over,
    } as unknown as SourcesApi;
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    await act(async () => {
      render(
        <Options api={api} load={async () => ({ ...DEFAULTS })} save={async (p: Partial<Settings>) => ({ ...DEFAULTS, ...p })} watch={() => () => undefined} />,
        root,
      );
    });
    await settle(10);
    const input = [...root.querySelectorAll('label')].find((l) => /Import OPML/.test(l.textContent ?? ''))!.querySelector('input')!;
    Object.defineProperty(input, 'files', { value: [new File(['<opml/>'], 'feeds.opml')] });
    await act(async () => void input.dispatchEvent(new Event('change')));
    await settle(10);
    return root.querySelector('#sources [role="status"], #sources .status')?.textContent ?? root.textContent ?? '';
  }

  it('keeps the refusal in view when the browser refuses permission: the worker keeps the feeds, waiting for it', async () => {
    const text = await importOpml({
      requestHosts: async () => false,
      // What the worker answers without the permission: the feed, kept, not fetched.
      addFeed: async (url: string) => ({ id: url, url, title: null, itemCount: 0, lastError: null, needsPermission: true }),
    });
    expect(text).toContain('Storyline needs your permission to read feeds from a.example, b.example');
    expect(text).not.toMatch(/Imported|Following/);
  });

  it('says what failed when a feed is followed but its fetch fails, never "Following"', async () => {
    const text = await importOpml({
      requestHosts: async () => true,
      addFeed: async (url: string) => ({ id: url, url, title: null, itemCount: 0, lastError: { code: 'httpStatus', status: 404 }, needsPermission: false }),
    });
    expect(text).toContain('Could not follow that feed');
    expect(text).not.toMatch(/Imported|Following/);
  });

  it('says how many it follows when they all are', async () => {
    const text = await importOpml({
      requestHosts: async () => true,
      addFeed: async (url: string) => ({ id: url, url, title: url, itemCount: 3, lastError: null }),
    });
    expect(text).toContain('Following 2 sources.');
  });
});
