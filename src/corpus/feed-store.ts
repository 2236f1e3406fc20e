import { parseOptionalError } from '../messaging/errors';
import type { FeedRecord } from './feed-record';
import type { LibraryDb } from './library-db';

/**
 * The followed feeds' records in the library's `feeds` store: the only code that reads or writes
 * them (issue 11: feed records have their own store functions; Feeds does not reach into IndexedDB).
 */
export interface FeedStore {
  /** Every followed feed, oldest first. */
  list(): Promise<FeedRecord[]>;
  get(id: string): Promise<FeedRecord | undefined>;
  put(record: FeedRecord): Promise<void>;
  delete(id: string): Promise<void>;
  /** Writes the record only while the feed is still followed (read and write in one transaction). */
  putIfFollowed(record: FeedRecord): Promise<boolean>;
  /**
   * Every followed feed fetched again in full from `at` (its validators dropped, so no 304), in one
   * transaction: a feed removed meanwhile is not brought back. A feed in backoff keeps its time.
   */
  refetchAll(at: string): Promise<void>;
}

/**
 * A record as read, its error checked (issue 11): an earlier version stored the error as an English
 * sentence, which is kept and shown as it was ('earlier') until the next fetch replaces it.
 */
function checked(record: FeedRecord): FeedRecord {
  return { ...record, lastError: parseOptionalError(record.lastError) };
}

/**
 * Whether a stored value is a feed record the worker can poll and the options page can list: a
 * damaged one (a field missing or of another kind) is passed over rather than a TypeError that
 * stopped every feed's polling and the options page's list (attack review, helper-32).
 */
function isFeedRecord(raw: unknown): raw is FeedRecord {
  if (typeof raw !== 'object' || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    typeof r.url === 'string' &&
    typeof r.addedAt === 'string' &&
    typeof r.nextPollAt === 'string' &&
    typeof r.failures === 'number' &&
    typeof r.intervalMinutes === 'number' &&
    (r.title === null || typeof r.title === 'string')
  );
}

export function feedStore(open: () => Promise<LibraryDb>): FeedStore {
  return {
    async list() {
      const records: unknown[] = await (await open()).getAll('feeds');
      return records
        .filter(isFeedRecord)
        .map(checked)
        .sort((a, b) => a.addedAt.localeCompare(b.addedAt));
    },
    async get(id) {
      const record: unknown = await (await open()).get('feeds', id);
      return isFeedRecord(record) ? checked(record) : undefined;
    },
    async put(record) {
      await (await open()).put('feeds', record);
    },
    async delete(id) {
      await (await open()).delete('feeds', id);
    },
    async refetchAll(at) {
      const tx = (await open()).transaction('feeds', 'readwrite');
      for (const feed of await tx.store.getAll()) {
        tx.store.put({ ...feed, etag: null, lastModified: null, nextPollAt: feed.failures > 0 ? feed.nextPollAt : at }).catch(() => undefined);
      }
      await tx.done;
    },
    async putIfFollowed(record) {
      const tx = (await open()).transaction('feeds', 'readwrite');
      const followed = (await tx.store.getKey(record.id)) !== undefined;
      if (followed) await tx.store.put(record);
      await tx.done;
      return followed;
    },
  };
}
