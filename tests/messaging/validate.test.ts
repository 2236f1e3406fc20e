import { describe, expect, it } from 'vitest';
import { BadMessage, parseEnvelope } from '../../src/messaging/validate';

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
