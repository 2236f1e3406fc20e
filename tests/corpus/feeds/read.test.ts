import { describe, expect, it } from 'vitest';
import { FeedError, MAX_FEED_BYTES } from '../../../src/corpus/feeds/parse';
import { decodeFeed, readFeed } from '../../../src/corpus/feeds/read';

const BASE = 'https://news.example/feed.xml';
const feedXml = (encoding: string, title: string) => `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;

function utf16(text: string, endian: 'le' | 'be', bom = true): Uint8Array {
  const units = `${bom ? '\ufeff' : ''}${text}`;
  const bytes = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    const code = units.charCodeAt(i);
    bytes[endian === 'le' ? 2 * i : 2 * i + 1] = code & 0xff;
    bytes[endian === 'le' ? 2 * i + 1 : 2 * i] = code >> 8;
  }
  return bytes;
}

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('feed charset decoding, the real decoder (RELIABILITY row 24, issue 9 finding 9)', () => {
  it('reads UTF-16 with a BOM, little and big endian, whatever the header says', () => {
    const xml = feedXml('UTF-16', 'Café 日本');
    expect(readFeed(utf16(xml, 'le'), 'application/rss+xml; charset=utf-8', BASE).items[0].title).toBe('Café 日本');
    expect(readFeed(utf16(xml, 'be'), '', BASE).items[0].title).toBe('Café 日本');
    // Without a BOM, "<" as two bytes still tells UTF-16.
    expect(readFeed(utf16(xml, 'le', false), '', BASE).title).toBe('Café 日本');
  });

  it('takes the XML declaration over a wrong Content-Type charset', () => {
    const bytes = latin1(feedXml('ISO-8859-1', 'Caf\u00e9 \u00e9t\u00e9'));
    expect(readFeed(bytes, 'text/xml; charset=utf-8', BASE).items[0].title).toBe('Café été');
    // A newline before the declaration (issue 9) does not hide it.
    expect(decodeFeed(latin1(`\n${feedXml('ISO-8859-1', 'na\u00efve')}`), 'text/xml; charset=utf-8')).toContain('naïve');
  });

  it('uses the header when the document declares nothing, and UTF-8 when nobody says', () => {
    expect(decodeFeed(latin1('<rss><channel><title>\u00e9</title></channel></rss>'), 'application/rss+xml; charset="ISO-8859-1"')).toContain('é');
    expect(decodeFeed(new TextEncoder().encode('{"title":"é"}'), 'application/json')).toBe('{"title":"é"}');
  });

  it('prefers a UTF-8 BOM to any declaration, and ignores a UTF-16 declaration in a single-byte document', () => {
    const utf8 = new TextEncoder().encode(`\ufeff${feedXml('ISO-8859-1', 'Café')}`);
    expect(readFeed(utf8, 'text/xml; charset=iso-8859-1', BASE).items[0].title).toBe('Café');
    expect(readFeed(new TextEncoder().encode(feedXml('UTF-16', 'Café')), '', BASE).items[0].title).toBe('Café');
    // An unknown label falls through to the next source instead of failing.
    expect(readFeed(new TextEncoder().encode(feedXml('x-made-up', 'Café')), 'text/xml; charset=nonsense', BASE).items[0].title).toBe('Café');
  });

  it('refuses a body over the 5 MB limit before decoding it, with a FeedError', () => {
    expect(() => readFeed(new Uint8Array(MAX_FEED_BYTES + 1), '', BASE)).toThrow(FeedError);
    expect(() => readFeed(new Uint8Array(MAX_FEED_BYTES + 1), '', BASE)).toThrow(/^too large: 5.0 MB over the 5 MB limit$/);
  });
});
