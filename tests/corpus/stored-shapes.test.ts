import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { Feeds } from '../../src/background/feeds';
import { ImportJobs, JOB_KEY } from '../../src/background/import-job';
import { exportPage } from '../../src/background/library-export';
import { Library } from '../../src/background/library';
import { fromPage } from '../../src/corpus/records';
import { DEFAULTS } from '../../src/settings/schema';
import { feedRecord } from '../fixtures/feed-record';

/**
 * Storage is a boundary (attack review, helper-32): records written by an older version, another
 * tool or a damaged disk are read as untrusted. A damaged record is passed over; everything else
 * in the library keeps working, and nothing already stored is lost.
 */
const settings = async () => ({ ...DEFAULTS });
const page = (i: number) =>
  fromPage(
    {
      url: `https://x.example/${i}`,
      headline: `Headline number ${i} about the council budget`,
      description: null,
      siteName: 'X',
      canonicalUrl: null,
      publishedAt: '2025-01-02T00:00:00Z',
      lang: 'en',
    },
    new Date('2025-06-02T12:00:00Z'),
  );
let n = 0;
const freshName = () => `stored-shapes-${++n}`;

describe('stored data of an unexpected shape', () => {
  beforeEach(() => fakeBrowser.reset());

  it('an article record without a title: the library still opens (rebuilt or revived), without it', async () => {
    const name = freshName();
    const first = new Library(settings, [], name);
    await first.add([page(1), page(2)]);
    const db = await first.db();
    await db.put('articles', { id: 'zz-broken', kind: 'import', sortAt: '2025-01-01T00:00:00Z' } as never);
    // No saved index: the next start rebuilds from every record.
    await db.delete('meta', 'index');
    db.close();
    const rebuilt = new Library(settings, [], name);
    const index = await rebuilt.index();
    expect(index.has(page(1).id) && index.has(page(2).id)).toBe(true);
    expect(index.has('zz-broken')).toBe(false);
    // Nothing can read it, so it is gone: the next start's count agrees with the index.
    expect(await (await rebuilt.db()).count('articles')).toBe(2);
    // The export passes over it too.
    const exported = await exportPage(await rebuilt.db(), undefined);
    expect(exported.text).toBe('');
    // A record replaced by a damaged one after a save: the revived library answers without it.
    await rebuilt.saveNow();
    const db2 = await rebuilt.db();
    await db2.put('articles', { id: page(1).id, kind: 'history', title: 42 } as never);
    db2.close();
    const revived = new Library(settings, [], name);
    expect((await revived.index()).has(page(2).id)).toBe(true);
  });

  it('a feed record missing its fields: the other feeds are listed and polled', async () => {
    const library = new Library(settings, [], freshName());
    const db = await library.db();
    const good = feedRecord({
      url: 'https://a.example/rss',
      title: 'A',
      addedAt: '2025-01-01T00:00:00.000Z',
      nextPollAt: '2025-01-01T00:00:00.000Z',
      privateHost: null,
    });
    await db.put('feeds', good);
    await db.put('feeds', { id: 'f0000000000002', url: 'https://b.example/rss' } as never);
    const fetched: string[] = [];
    const feeds = new Feeds({
      library,
      hasPermission: async () => true,
      fetchFeed: async (url: string) => {
        fetched.push(url);
        return { kind: 'error', error: { code: 'httpStatus', status: 500 } } as never;
      },
    } as never);
    expect((await feeds.list()).map((f) => f.url)).toEqual(['https://a.example/rss']);
    await feeds.pollDue();
    expect(fetched).toEqual(['https://a.example/rss']);
  });

  it('an import job record with a damaged bad-line entry or counts: status reads, and a new import starts', async () => {
    const library = new Library(settings, [], freshName());
    const db = await library.db();
    const job = {
      jobId: 'iabc',
      state: 'done',
      total: 2,
      done: 2,
      added: 1,
      skipped: 1,
      bad: [null, { line: 2, error: { code: 'importBadLine' } }],
      error: null,
      startedAt: '2025-01-01T00:00:00Z',
      finishedAt: '2025-01-01T00:00:00Z',
      chunks: 1,
      received: 1,
      next: { seq: 1, line: 0 },
      updatedAt: '2025-01-01T00:00:00Z',
    };
    await db.put('meta', job, JOB_KEY);
    const jobs = new ImportJobs({ library });
    expect((await jobs.status())?.bad.map((b) => b.line)).toEqual([2]);
    await db.put('meta', { ...job, done: 'two', next: null }, JOB_KEY);
    expect(await jobs.status()).toBeNull();
    expect((await jobs.begin(10, 1)).state).toBe('receiving');
  });
});
