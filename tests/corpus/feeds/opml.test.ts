import { describe, expect, it } from 'vitest';
import { MAX_OPML_FEEDS, parseOpml } from '../../../src/corpus/feeds/opml';

const opml = (outlines: string) => `<?xml version="1.0"?><opml version="2.0"><head/><body>${outlines}</body></opml>`;

describe('OPML import limits (issue 9, finding 9)', () => {
  it('reads at most 500 feeds from a 10,000-outline file, in file order', () => {
    const feeds = parseOpml(opml(Array.from({ length: 10_000 }, (_, i) => `<outline text="Feed ${i}" xmlUrl="https://f${i}.example/rss"/>`).join('')));
    expect(MAX_OPML_FEEDS).toBe(500);
    expect(feeds).toHaveLength(500);
    expect(feeds[0]).toEqual({ url: 'https://f0.example/rss', title: 'Feed 0' });
    expect(feeds[499].url).toBe('https://f499.example/rss');
  });

  it('keeps the first of duplicate feeds, counting only distinct ones towards the cap', () => {
    const outlines = Array.from({ length: 3_000 }, (_, i) => `<outline title="T${i}" xmlUrl="https://f${i % 600}.example/rss"/>`).join('');
    const feeds = parseOpml(opml(`<outline text="group">${outlines}</outline>`));
    expect(feeds).toHaveLength(500);
    expect(new Set(feeds.map((f) => f.url)).size).toBe(500);
    expect(feeds[1]).toEqual({ url: 'https://f1.example/rss', title: 'T1' });
  });

  it('skips outlines that are not elements with attributes', () => {
    expect(parseOpml(opml('<outline>text</outline><outline xmlUrl="https://ok.example/rss"/>'))).toEqual([{ url: 'https://ok.example/rss', title: null }]);
  });
});
