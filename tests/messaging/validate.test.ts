import { describe, expect, it } from 'vitest';
import { BadMessage, cleanText, parseEnvelope, parsePageInfo } from '../../src/messaging/validate';
import { MAX_URL } from '../../src/core/links';

const addFeed = (payload: unknown) => parseEnvelope('addFeed', { channel: 'storyline', type: 'addFeed', payload }).payload;

describe('addFeed payload (RELIABILITY row 29)', () => {
  it('carries the person’s confirmation of a private address only as a real true', () => {
    expect(addFeed({ url: 'http://127.0.0.1/rss', confirmedPrivate: true })).toEqual({ url: 'http://127.0.0.1/rss', confirmedPrivate: true });
    for (const bad of ['true', 1, {}, false, null]) {
      expect(addFeed({ url: 'http://127.0.0.1/rss', confirmedPrivate: bad })).toEqual({ url: 'http://127.0.0.1/rss' });
    }
    expect(addFeed({ url: 'https://news.example/rss', extra: 'ignored' })).toEqual({ url: 'https://news.example/rss' });
  });

  it('refuses a payload without a usable url', () => {
    for (const bad of [null, undefined, 'x', {}, { url: 5 }, { url: 'x'.repeat(2049) }]) {
      expect(() => addFeed(bad)).toThrow(BadMessage);
    }
  });
});

describe('a page’s own address past MAX_URL (review, helper-34)', () => {
  const page = (url: string) => parsePageInfo({ url, headline: 'Harbour council approves ferry route' });

  it('loses its fragment, then its query, and the page is still answered', () => {
    const article = 'https://news.example/harbour-council-approves-ferry-route';
    expect(page(`${article}?id=5#${'s'.repeat(MAX_URL)}`)?.url).toBe(`${article}?id=5`);
    expect(page(`${article}?q=${'t'.repeat(MAX_URL)}#top`)?.url).toBe(article);
    expect(page(`${article}#top`)?.url).toBe(`${article}#top`);
  });

  it('a path longer than the cap is still no address', () => {
    expect(() => page(`https://news.example/${'p'.repeat(MAX_URL)}`)).toThrow('page.url must be an http(s) URL');
  });
});

describe('text from pages, feeds and files shows as it reads (attack review, helper-35)', () => {
  it('drops invisible bidi marks and format characters that reorder or hide what a line says', () => {
    // An Arabic letter mark before each word laid "Ukraine attacks Russia" out as "Russia attacks Ukraine".
    expect(cleanText('\u061cUkraine \u061cattacks \u061cRussia', 100)).toBe('Ukraine attacks Russia');
    expect(cleanText('\u200fHello\u200e world\u2060\u2062\u180e\ufff9', 100)).toBe('Hello world');
    expect(cleanText('Wire\u009bService\u0085', 100)).toBe('Wire Service');
    // Tag characters (U+E0000 block) go too, outside a flag.
    expect(cleanText('Vote\u{E0041}\u{E0042} count', 100)).toBe('Vote count');
  });

  it('keeps what text needs: joiners in emoji and Persian words; cuts on characters, never half an emoji', () => {
    expect(cleanText('👨‍👩‍👧 family', 100)).toBe('👨‍👩‍👧 family');
    expect(cleanText('می‌خواهم', 100)).toBe('می‌خواهم');
    expect(cleanText(`${'x'.repeat(99)}😀`, 100)).toBe(`${'x'.repeat(99)}😀`);
    expect(cleanText(`${'x'.repeat(100)}😀`, 100)).toBe('x'.repeat(100));
  });

  it('cuts stacks of combining marks to eight on a letter (a letter with 299 painted over the lines around it)', () => {
    expect(cleanText(`Z${'\u0301'.repeat(299)}urich`, 300)).toBe(`Z${'\u0301'.repeat(8)}urich`);
    expect(cleanText('Tiếng Việt', 100)).toBe('Tiếng Việt');
    // Hebrew with a dagesh, a shin dot, a vowel and a cantillation mark keeps all four (review, helper-36).
    expect(cleanText('\u05e9\u05bc\u05c1\u05b8\u05a3', 100)).toBe('\u05e9\u05bc\u05c1\u05b8\u05a3');
  });

  it('keeps subdivision flags, and never keeps half an emoji at the first cut (review, helper-36)', () => {
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    expect(cleanText(`Scotland ${scotland} wins`, 100)).toBe(`Scotland ${scotland} wins`);
    expect(cleanText(`${' '.repeat(399)}😀`, 100)).toBeNull();
  });
});
