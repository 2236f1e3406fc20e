import { describe, expect, it } from 'vitest';
import { BadMessage, parseEnvelope, parsePageInfo } from '../../src/messaging/validate';
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
