import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedError } from '../../src/corpus/feeds/parse';
import { readFeedFile } from '../../tools/feed-file';

const dir = mkdtempSync(join(tmpdir(), 'storyline-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('npm run feed: what Storyline reads from a saved feed', () => {
  it('prints the title and each item’s title, link and date, through the worker’s decoder', () => {
    const latin1 = Uint8Array.from(
      '\n<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Caf\u00e9 Wire</title>' +
        '<item><title>\u00c9lections</title><link>/a</link><pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate><description>long text</description></item>' +
        '<item><title>Second</title><link>javascript:alert(1)</link></item></channel></rss>',
      (c) => c.charCodeAt(0),
    );
    const path = file('good.xml', latin1);
    expect(readFeedFile(path, 'https://wire.example/rss')).toEqual({
      title: 'Café Wire',
      items: [
        { title: 'Élections', url: 'https://wire.example/a', publishedAt: '2025-06-02T09:00:00.000Z' },
        { title: 'Second', url: null, publishedAt: null },
      ],
    });
    // Without --url, relative links have nothing to resolve against and are dropped.
    expect(readFeedFile(path).items[0].url).toBeNull();
  });

  it('refuses a bad file with a FeedError a person can read', () => {
    const expectError = (fn: () => unknown, message: RegExp) => {
      expect(fn).toThrow(FeedError);
      expect(fn).toThrow(message);
    };
    expectError(() => readFeedFile(file('page.html', '<!doctype html><html><body>Not found</body></html>')), /^not a feed: got an HTML page$/);
    expectError(() => readFeedFile(file('bomb.xml', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss/>')), /declares XML entities/);
    expectError(() => readFeedFile(file('big.xml', `<rss>${' '.repeat(6 * 1024 * 1024)}</rss>`)), /^too large: 6.0 MB over the 5 MB limit$/);
    expectError(() => readFeedFile(join(dir, 'missing.xml')), /^cannot read .*missing\.xml: ENOENT$/);
  });
});
