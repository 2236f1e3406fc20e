import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeedError, MAX_FEED_BYTES, tooLarge } from '../src/corpus/feeds/parse';
import { readFeed } from '../src/corpus/feeds/read';

/** What `npm run feed` prints: what Storyline would take from the feed. */
export interface FeedSummary {
  title: string | null;
  items: { title: string; url: string | null; publishedAt: string | null }[];
}

/**
 * Reads a saved feed through the worker's own path (readFeed: size cap, charset decoding,
 * parseFeed). `url` is where the feed was fetched from, for its relative links; without it they
 * resolve against the file and are dropped, as a non-web link is. Throws FeedError only, for a file
 * that cannot be read too.
 */
export function readFeedFile(path: string, url?: string, contentType = ''): FeedSummary {
  let bytes: Uint8Array;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > MAX_FEED_BYTES) throw tooLarge(size, 1);
      bytes = new Uint8Array(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, bytes, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      bytes = bytes.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    const detail = `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    throw new FeedError({ code: 'feedUnreadable', detail }, detail);
  }
  const feed = readFeed(bytes, contentType, url ?? pathToFileURL(resolve(path)).href);
  return { title: feed.title, items: feed.items.map((i) => ({ title: i.title, url: i.url, publishedAt: i.publishedAt })) };
}
