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

export function feedStore(open: () => Promise<LibraryDb>): FeedStore {
  return {
    async list() {
      return (await (await open()).getAll('feeds')).map(checked).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
    },
    async get(id) {
      const record = await (await open()).get('feeds', id);
      return record && checked(record);
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
