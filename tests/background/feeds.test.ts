import 'fake-indexeddb/auto';
import { feedRecord } from '../fixtures/feed-record';
import { describe, expect, it, vi } from 'vitest';
import { Feeds, type FeedDeps } from '../../src/background/feeds';
import type { Library } from '../../src/background/library';
import type { FetchOutcome } from '../../src/corpus/feeds/fetch';
import { openLibrary } from '../../src/corpus/library-db';

const RSS = (title: string) =>
  new TextEncoder().encode(
    `<rss><channel><title>${title}</title><item><title>Story of ${title}</title><link>https://x.example/${title}</link></item></channel></rss>`,
  );
const ok = (bytes: Uint8Array, finalUrl: string, contentType = 'application/rss+xml'): FetchOutcome => ({
  kind: 'ok',
  bytes,
  contentType,
  etag: null,
  lastModified: null,
  maxAgeSeconds: null,
  finalUrl,
});

let dbCount = 0;
/** Feeds over a fresh library database, a fake network and a clock; `added` counts stored articles. */
function setup(fetchFeed: NonNullable<FeedDeps['fetchFeed']>, now = () => Date.parse('2025-06-02T12:00:00Z')) {
  const db = openLibrary(`feeds-test-${++dbCount}`);
  const added: unknown[] = [];
  const library = {
    db: () => db,
    add: async (articles: unknown[]) => void added.push(...articles),
    removeFeedArticles: async () => undefined,
  } as unknown as Library;
  const fetch = vi.fn(fetchFeed);
  const deps = { library, hasPermission: async () => true, fetchFeed: fetch, now };
  return { feeds: new Feeds(deps), deps, fetch, db, added };
}

const record = feedRecord;

describe('the worker checks private addresses itself (issue 9, finding 5; RELIABILITY row 29)', () => {
  it('refuses to follow an unconfirmed private address: nothing fetched, nothing stored', async () => {
    const { feeds, fetch } = setup(async (url) => ok(RSS('x'), url));
    for (const url of ['http://127.0.0.1:8080/rss', 'http://[::ffff:127.0.0.1]/rss', 'http://localhost./rss', 'http://printer.local/rss']) {
      await expect(feeds.add(url)).rejects.toMatchObject({ info: { code: 'feedPrivateUnconfirmed', host: new URL(url).hostname } });
    }
    expect(fetch).not.toHaveBeenCalled();
    expect(await feeds.list()).toEqual([]);
  });

  it('follows a confirmed private feed, remembering which address was confirmed, and polls it later', async () => {
    const { feeds, fetch } = setup(async (url) => ok(RSS('Local'), url));
    const feed = await feeds.add('http://192.168.1.5:8080/rss', { confirmedPrivate: true });
    expect(feed).toMatchObject({ privateHost: '192.168.1.5:8080', title: 'Local', lastError: null });
    await feeds.refresh(feed.id);
    expect(fetch.mock.calls.map(([url, f]) => [url, f.privateHost])).toEqual([
      ['http://192.168.1.5:8080/rss', '192.168.1.5:8080'], // add's first look
      ['http://192.168.1.5:8080/rss', '192.168.1.5:8080'], // add's refresh
      ['http://192.168.1.5:8080/rss', '192.168.1.5:8080'], // a later poll
    ]);
  });

  it('a confirmation is not a licence for a public address: privateHost stays empty', async () => {
    const { feeds } = setup(async (url) => ok(RSS('Public'), url));
    expect(await feeds.add('https://news.example/rss', { confirmedPrivate: true })).toMatchObject({ privateHost: null });
  });

  it('refuses a private feed that a public web page advertises, without fetching it', async () => {
    const page = new TextEncoder().encode('<html><head><link rel="alternate" type="application/rss+xml" href="http://10.0.0.2/rss"></head></html>');
    const { feeds, fetch } = setup(async (url) => ok(page, url, 'text/html'));
    await expect(feeds.add('https://site.example/')).rejects.toMatchObject({ info: { code: 'feedPageFeedPrivate', host: '10.0.0.2' } });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['https://site.example/']);
    expect(await feeds.list()).toEqual([]);
  });

  it('takes the first advertised feed it may fetch', async () => {
    const page = new TextEncoder().encode(
      '<link rel="alternate" type="application/rss+xml" href="http://localhost/rss"><link rel="alternate" type="application/atom+xml" href="https://site.example/atom">',
    );
    const { feeds } = setup(async (url) => (url.endsWith('/atom') ? ok(RSS('Atom'), url) : ok(page, url, 'text/html')));
    expect(await feeds.add('https://site.example/')).toMatchObject({ url: 'https://site.example/atom', title: 'Atom' });
  });

  it('refuses a stored private feed with no confirmation on every refresh, the grant path included', async () => {
    const { feeds, fetch, db } = setup(async (url) => ok(RSS('x'), url));
    await (await db).put('feeds', record({ url: 'http://127.0.0.1:3000/rss' }));
    // The options page's "grant" button asks for the host, then refreshes the feed.
    const after = await feeds.refresh('f0000000000001');
    expect(after).toMatchObject({ lastError: { code: 'feedPrivateRefused', host: '127.0.0.1' }, failures: 1 });
    expect(Date.parse(after.nextPollAt)).toBeGreaterThan(Date.parse('2025-06-02T12:59:00Z'));
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('feed polling survives a stopped worker and a failing feed (issue 9, finding 1)', () => {
  it('writes the next poll before fetching and parsing: a worker stopped mid-way does not retry every minute', async () => {
    let clock = Date.parse('2025-06-02T12:00:00Z');
    // The fetch never finishes: the worker is stopped while it runs.
    const { feeds, db, deps } = setup(
      () => new Promise<FetchOutcome>(() => undefined),
      () => clock,
    );
    await (await db).put('feeds', record({}));
    void feeds.pollDue();
    await vi.waitFor(async () => expect((await (await db).get('feeds', 'f0000000000001'))?.lastFetchAt).not.toBeNull());
    const stored = (await (await db).get('feeds', 'f0000000000001'))!;
    expect(stored).toMatchObject({ failures: 1, lastFetchAt: '2025-06-02T12:00:00.000Z' });
    expect(Date.parse(stored.nextPollAt) - clock).toBe(60 * 60_000);
    // The next worker, a minute later: nothing is due.
    clock += 60_000;
    const restarted = new Feeds({ ...deps, fetchFeed: vi.fn(async (url: string) => ok(RSS('x'), url)) });
    expect(await restarted.pollDue()).toBe(0);
  });

  it('a finished fetch replaces the pending state with the real outcome', async () => {
    const { feeds, db } = setup(async (url) => ok(RSS('Fine'), url));
    await (await db).put('feeds', record({}));
    expect(await feeds.refresh('f0000000000001')).toMatchObject({ failures: 0, lastError: null, nextPollAt: '2025-06-02T12:30:00.000Z', itemCount: 1 });
  });

  it('one feed that throws never stops the others; it records its error and backs off', async () => {
    const { feeds, db, fetch, added } = setup(async (url) => {
      if (url.includes('broken')) throw new TypeError('network stack exploded');
      return ok(RSS(new URL(url).hostname), url);
    });
    const store = await db;
    await store.put('feeds', record({ id: 'f000000000000a', url: 'https://broken.example/rss', addedAt: '2025-06-01T00:00:01Z' }));
    await store.put('feeds', record({ id: 'f000000000000b', url: 'https://b.example/rss', addedAt: '2025-06-01T00:00:02Z' }));
    await store.put('feeds', record({ id: 'f000000000000c', url: 'https://c.example/rss', addedAt: '2025-06-01T00:00:03Z' }));
    expect(await feeds.pollDue()).toBe(3);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(added).toHaveLength(2);
    const broken = (await store.get('feeds', 'f000000000000a'))!;
    expect(broken).toMatchObject({ lastError: { code: 'feedRefreshFailed', detail: 'network stack exploded' }, failures: 1 });
    expect(Date.parse(broken.nextPollAt)).toBe(Date.parse('2025-06-02T13:00:00Z'));
    expect(await store.get('feeds', 'f000000000000c')).toMatchObject({ title: 'c.example', lastError: null });
  });

  it('a feed removed while the poll runs (its refresh throws) does not stop the feeds after it', async () => {
    let removeB = async () => undefined as unknown;
    const { feeds, db, fetch } = setup(async (url) => {
      // The person removes feed b in Options while feed a is being fetched.
      if (url.includes('a.example')) await removeB();
      return ok(RSS(new URL(url).hostname), url);
    });
    const store = await db;
    removeB = () => store.delete('feeds', 'f000000000000b');
    await store.put('feeds', record({ id: 'f000000000000a', url: 'https://a.example/rss', addedAt: '2025-06-01T00:00:01Z' }));
    await store.put('feeds', record({ id: 'f000000000000b', url: 'https://b.example/rss', addedAt: '2025-06-01T00:00:02Z' }));
    await store.put('feeds', record({ id: 'f000000000000c', url: 'https://c.example/rss', addedAt: '2025-06-01T00:00:03Z' }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await feeds.pollDue()).toBe(3);
    warn.mockRestore();
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['https://a.example/rss', 'https://c.example/rss']);
    expect(await store.get('feeds', 'f000000000000b')).toBeUndefined();
    expect(await store.get('feeds', 'f000000000000c')).toMatchObject({ title: 'c.example', lastError: null });
  });

  it('parses what it fetched with the real charset decoder (RELIABILITY row 24)', async () => {
    const latin1 = Uint8Array.from(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Caf\u00e9</title><item><title>\u00c9t\u00e9</title></item></channel></rss>',
      (c) => c.charCodeAt(0),
    );
    const { feeds, db, added } = setup(async (url) => ok(latin1, url, 'application/rss+xml; charset=utf-8'));
    await (await db).put('feeds', record({}));
    expect(await feeds.refresh('f0000000000001')).toMatchObject({ title: 'Café', itemCount: 1 });
    expect(added).toMatchObject([{ title: 'Été' }]);
  });
});
