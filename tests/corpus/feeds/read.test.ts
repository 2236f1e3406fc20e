import { describe, expect, it } from 'vitest';
import { FeedError, MAX_FEED_BYTES } from '../../../src/corpus/feeds/parse';
import { fetchFeed } from '../../../src/corpus/feeds/fetch';
import { decodeFeed, readFeed } from '../../../src/corpus/feeds/read';

const BASE = 'https://news.example/feed.xml';
const feedXml = (encoding: string, title: string) =>
  `<?xml version="1.0" encoding="${encoding}"?><rss><channel><title>${title}</title><item><title>${title}</title></item></channel></rss>`;

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

/**
 * Bytes as a legacy encoder wrote them (Python's shift_jis, cp1252 and latin-1 codecs), never
 * produced by the decoder under test: markup in ASCII, text as byte arrays.
 */
const TOKYO_SJIS = [
  0x93, 0x8c, 0x8b, 0x9e, 0x82, 0xc5, 0x90, 0x6b, 0x93, 0x78, 0x35, 0x82, 0xcc, 0x92, 0x6e, 0x90, 0x6b, 0x81, 0x41, 0x90, 0x56, 0x8a, 0xb2, 0x90, 0xfc, 0x82,
  0xaa, 0x89, 0x5e, 0x93, 0x5d, 0x8c, 0xa9, 0x8d, 0x87, 0x82, 0xed, 0x82, 0xb9,
];
const TOKYO = '東京で震度5の地震、新幹線が運転見合わせ';
const NIHON_SJIS = [0x93, 0xfa, 0x96, 0x7b];
const SMART_CP1252 = [
  0x93, 0x53, 0x6d, 0x61, 0x72, 0x74, 0x94, 0x20, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x73, 0x20, 0x96, 0x20, 0x80, 0x35, 0x20, 0x85, 0x20, 0x69, 0x74, 0x92, 0x73,
];
const SMART = '“Smart” quotes – €5 … it’s';
const OIL_LATIN1 = [
  0xd6, 0x6c, 0x70, 0x72, 0x65, 0x69, 0x73, 0x20, 0x73, 0x74, 0x65, 0x69, 0x67, 0x74, 0x3a, 0x20, 0x42, 0xf6, 0x72, 0x73, 0x65, 0x20, 0x73, 0x63, 0x68, 0x6c,
  0x69, 0x65, 0xdf, 0x74, 0x20, 0x68, 0xf6, 0x68, 0x65, 0x72,
];
const OIL = 'Ölpreis steigt: Börse schließt höher';

/** A feed's bytes: strings are ASCII markup, arrays are text in the feed's own encoding. */
function feedBytes(...parts: (string | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
}
const rssWith = (declaration: string, channel: number[], item: number[]) =>
  feedBytes(
    declaration,
    '<rss version="2.0"><channel><title>',
    channel,
    '</title><item><title>',
    item,
    '</title><link>https://news.example/1</link></item></channel></rss>',
  );

describe('legacy charsets, real bytes through the worker’s own path (RELIABILITY row 24)', () => {
  it('reads Shift_JIS named by the XML declaration, over a wrong UTF-8 header', () => {
    const feed = readFeed(rssWith('<?xml version="1.0" encoding="Shift_JIS"?>', NIHON_SJIS, TOKYO_SJIS), 'application/rss+xml; charset=utf-8', BASE);
    expect(feed.title).toBe('日本');
    expect(feed.items[0].title).toBe(TOKYO);
  });

  it('reads Shift_JIS named only by the Content-Type header', () => {
    const feed = readFeed(rssWith('', NIHON_SJIS, TOKYO_SJIS), 'text/xml; charset=shift_jis', BASE);
    expect(feed.items[0].title).toBe(TOKYO);
  });

  it('reads windows-1252 quotes, dashes and the euro sign, and ISO-8859-1 as browsers do (as windows-1252)', () => {
    expect(readFeed(rssWith('<?xml version="1.0" encoding="windows-1252"?>', OIL_LATIN1, SMART_CP1252), '', BASE).items[0].title).toBe(SMART);
    // Feeds that say ISO-8859-1 but hold 0x80-0x9F bytes are windows-1252 in practice (WHATWG Encoding).
    const feed = readFeed(rssWith('<?xml version="1.0" encoding="ISO-8859-1"?>', OIL_LATIN1, SMART_CP1252), 'application/rss+xml', BASE);
    expect(feed.title).toBe(OIL);
    expect(feed.items[0].title).toBe(SMART);
    expect(readFeed(rssWith('', OIL_LATIN1, OIL_LATIN1), 'application/xml; charset=ISO-8859-1', BASE).items[0].title).toBe(OIL);
  });

  it('decodes what fetchFeed hands over: the bytes and header of a real HTTP response', async () => {
    const body = rssWith('<?xml version="1.0" encoding="Shift_JIS"?>', NIHON_SJIS, TOKYO_SJIS);
    const outcome = await fetchFeed(BASE, {
      fetch: async () => new Response(body.slice().buffer, { status: 200, headers: { 'content-type': 'application/rss+xml; charset=UTF-8' } }),
    });
    if (outcome.kind !== 'ok') throw new Error(outcome.kind);
    expect(outcome.bytes).toEqual(body);
    expect(readFeed(outcome.bytes, outcome.contentType, outcome.finalUrl).items[0].title).toBe(TOKYO);
  });

  it('a wrong charset garbles the text but never throws anything but a FeedError', () => {
    // Shift_JIS bytes with nothing saying so: read as UTF-8, with replacement characters.
    const garbled = readFeed(rssWith('', NIHON_SJIS, TOKYO_SJIS), 'application/rss+xml', BASE);
    expect(garbled.items[0].title).toContain('\ufffd');
    for (const label of ['utf-16', 'x-unknown', 'shift_jis', 'windows-1252', 'euc-kr']) {
      try {
        readFeed(feedBytes('<rss><channel><title>', [0xff, 0xfe, 0x00, 0x81, 0x9f], '</title></channel></rss>'), `text/xml; charset=${label}`, BASE);
      } catch (error) {
        expect(error).toBeInstanceOf(FeedError);
      }
    }
  });
});
