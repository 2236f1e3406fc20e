import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERVAL_MINUTES } from '../../src/corpus/feed-record';
import { feedRecord } from '../fixtures/feed-record';
import { feedStore } from '../../src/corpus/feed-store';
import { openLibrary } from '../../src/corpus/library-db';

const record = (id: string, addedAt: string) =>
  feedRecord({ id, url: `https://${id}.example/rss`, addedAt, nextPollAt: addedAt, intervalMinutes: DEFAULT_INTERVAL_MINUTES, privateHost: null });

describe('the followed feeds store (issue 11)', () => {
  it('lists feeds oldest first, and writes a refresh only while the feed is still followed', async () => {
    const db = openLibrary('feed-store-test');
    const store = feedStore(() => db);
    await store.put(record('b', '2025-06-02T00:00:00.000Z'));
    await store.put(record('a', '2025-06-01T00:00:00.000Z'));
    expect((await store.list()).map((f) => f.id)).toEqual(['a', 'b']);

    // A refresh that ends after the feed was unfollowed must not bring it back.
    await store.delete('b');
    expect(await store.putIfFollowed({ ...record('b', '2025-06-02T00:00:00.000Z'), itemCount: 5 })).toBe(false);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.putIfFollowed({ ...record('a', '2025-06-01T00:00:00.000Z'), itemCount: 3 })).toBe(true);
    expect((await store.get('a'))?.itemCount).toBe(3);
  });

  it('reads an error an earlier version stored as a sentence as `earlier`, the sentence kept; a code as it is', async () => {
    const db = openLibrary('feed-store-errors-test');
    const store = feedStore(() => db);
    // Written as the options page's records were before error codes (issue 11).
    await (await db).put('feeds', { ...record('old', '2025-06-01T00:00:00.000Z'), lastError: 'HTTP 404' as never });
    await store.put({ ...record('new', '2025-06-02T00:00:00.000Z'), lastError: { code: 'httpStatus', status: 503 } });
    await (await db).put('feeds', { ...record('odd', '2025-06-03T00:00:00.000Z'), lastError: { code: 'httpStatus', status: 'x' } as never });
    expect(await store.get('old')).toMatchObject({ lastError: { code: 'earlier', detail: 'HTTP 404' } });
    expect((await store.list()).map((f) => f.lastError)).toEqual([
      { code: 'earlier', detail: 'HTTP 404' },
      { code: 'httpStatus', status: 503 },
      { code: 'unknown' },
    ]);
  });
});
