import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Library } from '../../src/background/library';
import type { PageInfo } from '../../src/core/article';
import { DAY_MS } from '../../src/core/time';
import { fromFeedItem, fromPage, pruneList, toStored } from '../../src/corpus/records';
import { DEFAULTS } from '../../src/settings/schema';

/**
 * Issue 9, finding 4 ("pages can poison the library"): a web page chooses its own canonical URL,
 * headline and date; reading it must never rewrite what a feed or an import stored.
 */
const settings = async () => ({ ...DEFAULTS });
let dbCount = 0;
const freshName = () => `poison-test-${++dbCount}`;

const feed = { id: 'f0000000000001', title: 'Real Wire', url: 'https://wire.example/rss' };
const feedItem = (now: Date) =>
  fromFeedItem(
    {
      title: 'Council approves the new city budget',
      url: 'https://wire.example/budget',
      guid: 'budget',
      publishedAt: '2025-06-01T08:00:00.000Z',
      description: 'The council voted 7-2.',
    },
    feed,
    now,
  );
/**
 * A hostile page that claims the feed item's URL as its canonical URL: on the same site (a page
 * of user content there, say); one on another site has its canonical dropped (see the last test).
 */
const attack: PageInfo = {
  url: 'https://wire.example/landing',
  headline: 'Click here to claim your prize',
  description: 'Totally legitimate.',
  siteName: 'Evil',
  canonicalUrl: 'https://wire.example/budget',
  publishedAt: '2025-06-01T09:00:00.000Z',
  lang: 'en',
};

describe('a page cannot overwrite a feed or import record (issue 9, finding 4)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps the feed item when a page claims its URL as canonical', async () => {
    const library = new Library(settings, [], freshName());
    const item = feedItem(new Date());
    await library.add([item]);
    const poison = fromPage(attack, new Date());
    // The attack works only because the two records share a key, hence an id: check the premise.
    expect(poison.id).toBe(item.id);
    await library.add([poison]);

    const stored = await (await library.db()).get('articles', item.id);
    expect(stored).toMatchObject({ kind: 'feed', title: item.title, url: 'https://wire.example/budget', feedId: feed.id, source: 'Real Wire' });
    const indexed = (await library.index()).get(item.id);
    expect(indexed).toMatchObject({ kind: 'feed', title: item.title, url: 'https://wire.example/budget' });
    expect((await library.stats()).byKind).toEqual({ feed: 1 });
  });

  it('keeps an imported record too, in the same add as other history', async () => {
    const library = new Library(settings, [], freshName());
    const imported = toStored(
      { kind: 'import', title: 'Archive: the budget vote', source: 'My archive', url: 'https://wire.example/budget', publishedAt: '2024-01-01T00:00:00.000Z' },
      new Date(),
    );
    await library.add([imported]);
    const harmless = fromPage({ ...attack, url: 'https://news.example/other', canonicalUrl: null, headline: 'An ordinary page somebody read' }, new Date());
    await library.add([fromPage(attack, new Date()), harmless]);
    const db = await library.db();
    expect(await db.get('articles', imported.id)).toMatchObject({ kind: 'import', title: 'Archive: the budget vote', source: 'My archive' });
    // The other history entry in the same batch is still recorded.
    expect(await db.get('articles', harmless.id)).toMatchObject({ kind: 'history', title: 'An ordinary page somebody read' });
  });

  it('stores a page on another site under its own address, whatever canonical it claims (privacy review, helper-23)', async () => {
    const library = new Library(settings, [], freshName());
    const item = feedItem(new Date());
    await library.add([item]);
    const elsewhere = fromPage({ ...attack, url: 'https://evil.example/landing' }, new Date());
    expect(elsewhere.id).not.toBe(item.id);
    await library.add([elsewhere]);
    const db = await library.db();
    expect(await db.get('articles', item.id)).toMatchObject({ kind: 'feed', title: item.title });
    expect(await db.get('articles', elsewhere.id)).toMatchObject({ kind: 'history', url: 'https://evil.example/landing', canonicalUrl: null });
  });

  it('still lets a second visit refresh a history entry', async () => {
    const library = new Library(settings, [], freshName());
    const now = new Date();
    await library.add([fromPage({ ...attack, headline: 'First headline' }, now)]);
    await library.add([fromPage({ ...attack, headline: 'Edited headline' }, now)]);
    const db = await library.db();
    expect(await db.get('articles', fromPage(attack, now).id)).toMatchObject({ kind: 'history', title: 'Edited headline' });
  });
});

describe('a feed or an import cannot take over what the person read (attack reviews, helpers 29 and 30)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('keeps a history entry and an import when a feed lists their URLs, and unfollowing the feed removes neither', async () => {
    const library = new Library(settings, [], freshName());
    const now = new Date();
    const read = fromPage({ ...attack, canonicalUrl: null, url: 'https://wire.example/budget', headline: 'Council approves the new city budget' }, now);
    const imported = toStored(
      { kind: 'import', title: 'My archived tram article', source: 'My archive', url: 'https://wire.example/tram', publishedAt: '2024-01-01T00:00:00.000Z' },
      now,
    );
    await library.add([read, imported]);
    const hostile = { id: 'f0000000000009', title: 'Hostile', url: 'https://hostile.example/rss' };
    const spoof = (url: string, title: string) => fromFeedItem({ title, url, guid: null, publishedAt: null, description: null }, hostile, now);
    const fresh = spoof('https://hostile.example/own', 'A story of its own');
    // Same keys, so the same ids: the premise of the attack.
    expect(spoof('https://wire.example/budget', 'x').id).toBe(read.id);
    expect(spoof('https://wire.example/tram?utm_source=x', 'x').id).toBe(imported.id);
    const result = await library.add([
      spoof('https://wire.example/budget', 'Spoofed headline'),
      spoof('https://wire.example/tram?utm_source=x', 'Spoofed 2'),
      fresh,
    ]);
    expect(result.added).toBe(1);

    const db = await library.db();
    expect(await db.get('articles', read.id)).toMatchObject({ kind: 'history', title: 'Council approves the new city budget' });
    expect(await db.get('articles', imported.id)).toMatchObject({ kind: 'import', title: 'My archived tram article' });
    expect((await db.get('articles', read.id))?.feedId).toBeUndefined();
    expect((await library.index()).get(read.id)).toMatchObject({ kind: 'history', title: 'Council approves the new city budget' });

    expect(await library.removeFeedArticles(hostile.id)).toBe(1);
    expect((await library.stats()).byKind).toEqual({ history: 1, import: 1 });
  });

  it('lets a feed item replace the history entry of the page it is, headline for headline, so badges can show it (review, helper-31)', async () => {
    const library = new Library(settings, [], freshName());
    const now = new Date();
    const read = fromPage({ ...attack, canonicalUrl: null, url: 'https://wire.example/budget', headline: 'Council approves the new city budget!' }, now);
    await library.add([read]);
    await library.add([feedItem(now)]);
    const db = await library.db();
    expect(await db.get('articles', read.id)).toMatchObject({ kind: 'feed', title: 'Council approves the new city budget', feedId: feed.id });
  });

  it('keeps a history entry when an imported line names its address, and removing the import keeps it (helper-30)', async () => {
    const library = new Library(settings, [], freshName());
    const now = new Date();
    const read = fromPage({ ...attack, canonicalUrl: null, url: 'https://news.example/2026/11/clinic-visit-story', headline: 'What I read' }, now);
    await library.add([read]);
    const line = toStored(
      {
        kind: 'import',
        title: 'Totally different headline from a file',
        source: 'File',
        url: 'https://www.news.example/2026/11/clinic-visit-story/',
        publishedAt: null,
      },
      now,
    );
    expect(line.id).toBe(read.id);
    const result = await library.add([line]);
    expect(result).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
    const db = await library.db();
    expect(await db.get('articles', read.id)).toMatchObject({ kind: 'history', title: 'What I read' });
    // Reading the page again still refreshes it; removing imports leaves it.
    await library.add([
      fromPage({ ...attack, canonicalUrl: null, url: 'https://news.example/2026/11/clinic-visit-story', headline: 'What I read, edited' }, now),
    ]);
    expect(await db.get('articles', read.id)).toMatchObject({ kind: 'history', title: 'What I read, edited' });
    await library.removeKind('import');
    expect((await library.stats()).byKind).toEqual({ history: 1 });
  });

  it("still lets a feed item replace its own earlier copy, or another feed's", async () => {
    const library = new Library(settings, [], freshName());
    const now = new Date();
    await library.add([feedItem(now)]);
    const other = { id: 'f0000000000002', title: 'Other Wire', url: 'https://other.example/rss' };
    const copy = fromFeedItem(
      { title: 'Council passes the budget', url: 'https://wire.example/budget', guid: null, publishedAt: null, description: null },
      other,
      now,
    );
    await library.add([copy]);
    expect(await (await library.db()).get('articles', copy.id)).toMatchObject({ kind: 'feed', feedId: other.id, title: 'Council passes the budget' });
  });
});

describe('stored dates are clamped to at most a day ahead (issue 9, finding 4)', () => {
  const now = new Date('2025-06-02T12:00:00.000Z');
  const limit = new Date(now.getTime() + DAY_MS).toISOString();

  it('clamps a page, a feed item and an import dated 9999', () => {
    const page = fromPage({ ...attack, canonicalUrl: null, publishedAt: '9999-12-31T00:00:00.000Z' }, now);
    const item = fromFeedItem(
      { title: 'From the future', url: 'https://wire.example/f', guid: 'f', publishedAt: '9999-12-31T00:00:00.000Z', description: null },
      feed,
      now,
    );
    const imported = toStored({ kind: 'import', title: 'Imported from the future', source: 'A', url: null, publishedAt: '9999-12-31T00:00:00.000Z' }, now);
    for (const record of [page, item, imported]) expect(record.publishedAt).toBe(limit);
    expect(page.sortAt).toBe(limit);
    expect(item.sortAt).toBe(limit);
    expect(imported.sortAt).toBe(now.toISOString()); // imports age from when they were imported
  });

  it('leaves past dates and dates within the next day alone, and drops a date that is not one', () => {
    const soon = new Date(now.getTime() + DAY_MS / 2).toISOString();
    expect(fromPage({ ...attack, publishedAt: soon }, now).publishedAt).toBe(soon);
    expect(fromPage({ ...attack, publishedAt: '2020-02-02T00:00:00.000Z' }, now).publishedAt).toBe('2020-02-02T00:00:00.000Z');
    const bad = fromPage({ ...attack, publishedAt: 'not a date' }, now);
    expect(bad.publishedAt).toBeNull();
    expect(bad.sortAt).toBe(now.toISOString());
  });

  it('so a page dated 9999 is pruned like any other once it is old', () => {
    const page = fromPage({ ...attack, canonicalUrl: null, publishedAt: '9999-12-31T00:00:00.000Z' }, now);
    const later = now.getTime() + 40 * DAY_MS;
    expect(pruneList([{ id: page.id, sortAt: page.sortAt, kind: page.kind }], { retentionDays: 30, maxArticles: 1000, now: later })).toEqual([page.id]);
  });
});
