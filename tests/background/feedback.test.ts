import { describe, expect, it } from 'vitest';
import type { RelatedStory } from '../../src/core/article';
import { applyFeedback, hidePair, MAX_HIDDEN, pageKeyOf, pairsFor, parseHidden, showPair, type HiddenPair } from '../../src/background/feedback';

const story = (id: string, title: string, label: RelatedStory['label'] = 'same-story', score = 0.9): RelatedStory => ({
  id,
  title,
  source: 'Wire',
  url: null,
  publishedAt: null,
  label,
  score,
  matchedWords: [],
  alsoIn: [],
});
const pair = (over: Partial<HiddenPair> = {}): HiddenPair => ({
  pageKey: 'news.example/nk-troops',
  pageHeadline: 'North Korea has deployed thousands of troops to help Russia',
  articleId: 'a-wrong',
  articleTitle: 'North Korea test-fires ballistic missile into the sea',
  articleSource: 'Wire',
  hiddenAt: '2025-06-02T10:00:00.000Z',
  ...over,
});
const page = { key: 'news.example/nk-troops', headline: 'North Korea has deployed thousands of troops to help Russia' };
const stories = [
  story('a-right', 'North Korean troops sent to Russia number in thousands'),
  story('a-wrong', 'North Korea test-fires ballistic missile into the sea'),
  story('a-copy', 'North Korea test-fires a ballistic missile into sea, Seoul says'),
  story('a-later', 'Russia thanks North Korea for troops', 'related', 0.6),
];

describe('the feedback store (issue 12, item 5)', () => {
  it('keys a page by its canonical address, else its address, without tracking parameters', () => {
    expect(pageKeyOf({ url: 'https://www.news.example/a?utm_source=x#top', canonicalUrl: null })).toBe('news.example/a');
    expect(pageKeyOf({ url: 'https://m.news.example/a', canonicalUrl: 'https://news.example/story/a' })).toBe('news.example/story/a');
    // Another site's article named as canonical does not take its follow or hidden results (helper-42).
    expect(pageKeyOf({ url: 'https://evil.example/a', canonicalUrl: 'https://www.bbc.co.uk/news/world-1' })).toBe('evil.example/a');
  });

  it('keeps one record per pair, newest first, and forgets the oldest beyond the cap', () => {
    let list = hidePair([], pair());
    list = hidePair(list, pair({ articleId: 'a-other' }));
    list = hidePair(list, pair({ hiddenAt: '2025-06-03T10:00:00.000Z' }));
    expect(list.map((p) => [p.articleId, p.hiddenAt])).toEqual([
      ['a-wrong', '2025-06-03T10:00:00.000Z'],
      ['a-other', '2025-06-02T10:00:00.000Z'],
    ]);
    expect(showPair(list, page.key, 'a-wrong').map((p) => p.articleId)).toEqual(['a-other']);
    expect(showPair(list, 'elsewhere.example/x', 'a-wrong')).toHaveLength(2);
    for (let i = 0; i < MAX_HIDDEN + 5; i++) list = hidePair(list, pair({ articleId: `a${i}` }));
    expect(list).toHaveLength(MAX_HIDDEN);
    expect(list[0].articleId).toBe(`a${MAX_HIDDEN + 4}`);
  });

  it('reads stored records at the boundary: malformed ones dropped, text cleaned', () => {
    const parsed = parseHidden([
      pair({ articleTitle: 'Missile\u202e test\u0000 ' }),
      { ...pair(), pageKey: 42 },
      { ...pair(), hiddenAt: 'yesterday' },
      { ...pair(), articleId: 'x'.repeat(301) },
      null,
      'text',
    ]);
    expect(parsed).toEqual([pair({ articleTitle: 'Missile test' })]);
    expect(parseHidden({ length: 1 })).toEqual([]);
  });

  it('hides the pair, demotes copies of the hidden result, keeps the rest in order', () => {
    const out = applyFeedback(stories, page, [pair()]);
    expect(out.map((s) => [s.id, s.label])).toEqual([
      ['a-right', 'same-story'],
      ['a-later', 'related'],
      ['a-copy', 'related'],
    ]);
    expect(out.find((s) => s.id === 'a-copy')!.score).toBeCloseTo(0.45);
  });

  it('applies to a page with a near-identical headline at another address, not to another story', () => {
    const mirror = { key: 'other.example/nk', headline: 'North Korea has deployed thousands of troops to help Russia, report finds' };
    expect(pairsFor(mirror, [pair()])).toHaveLength(1);
    expect(applyFeedback(stories, mirror, [pair()]).map((s) => s.id)).not.toContain('a-wrong');
    const other = { key: 'other.example/talks', headline: 'Ukraine will send delegation to Istanbul for talks with Russia' };
    expect(pairsFor(other, [pair()])).toEqual([]);
    expect(applyFeedback(stories, other, [pair()])).toEqual(stories);
  });
});
