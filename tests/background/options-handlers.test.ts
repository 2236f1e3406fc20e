import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Feeds } from '../../src/background/feeds';
import { createHandlers } from '../../src/background/handlers';
import type { Library } from '../../src/background/library';
import type { FeedRecord } from '../../src/corpus/feed-record';
import { STARTER_FEEDS } from '../../src/corpus/feeds/starter';

const sender = { tabId: null, incognito: false, url: 'chrome-extension://storyline/options.html' };
const record: FeedRecord = {
  id: 'f0000000000001',
  url: 'http://192.168.1.5:8080/feed.xml',
  title: 'Home wire',
  addedAt: '2026-11-27T10:00:00.000Z',
  lastFetchAt: '2026-11-27T10:00:00.000Z',
  lastSuccessAt: '2026-11-27T10:00:00.000Z',
  itemCount: 4,
  lastError: null,
  needsPermission: false,
  etag: '"abc"',
  lastModified: 'Thu, 27 Nov 2026 10:00:00 GMT',
  failures: 0,
  nextPollAt: '2026-11-27T10:30:00.000Z',
  intervalMinutes: 30,
  privateHost: '192.168.1.5:8080',
};

describe('the options page messages the worker answers (issue 11: the protocol is the only contract)', () => {
  const feeds = { list: async () => [record], refreshAll: async () => [record], add: async () => record } as unknown as Feeds;
  const handlers = createHandlers({} as Library, feeds);

  it('gives the page each feed as the protocol view: its status, not the worker’s fetch bookkeeping', async () => {
    const [view] = await handlers.listFeeds({}, sender);
    expect(view).toEqual({
      id: record.id,
      url: record.url,
      title: 'Home wire',
      addedAt: record.addedAt,
      lastFetchAt: record.lastFetchAt,
      lastSuccessAt: record.lastSuccessAt,
      itemCount: 4,
      lastError: null,
      needsPermission: false,
    });
    expect(await handlers.refreshFeeds({}, sender)).toEqual([view]);
    expect(await handlers.addFeed({ url: record.url, confirmedPrivate: true }, sender)).toEqual(view);
  });

  it('parses OPML, exports the followed feeds as OPML and offers the starter list, all in the worker', async () => {
    const opml = '<opml version="2.0"><body><outline text="A &amp; B" xmlUrl="https://a.example/rss"/></body></opml>';
    expect(await handlers.parseOpml({ text: opml }, sender)).toEqual({ feeds: [{ url: 'https://a.example/rss', title: 'A & B' }] });
    await expect(async () => handlers.parseOpml({ text: '<html></html>' }, sender)).rejects.toThrow(/not OPML/);
    const { text } = await handlers.exportOpml({}, sender);
    expect(text).toContain('xmlUrl="http://192.168.1.5:8080/feed.xml"');
    expect(await handlers.suggestedFeeds({}, sender)).toEqual(STARTER_FEEDS.map(({ url, title }) => ({ url, title })));
  });
});
