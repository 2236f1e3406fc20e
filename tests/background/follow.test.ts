import { describe, expect, it } from 'vitest';
import type { PageInfo, RelatedStory } from '../../src/core/article';
import {
  addFound,
  followStory,
  hasUnseen,
  markSeen,
  MAX_FOLLOWED,
  NEWS_KEPT_MS,
  parseFollows,
  recent,
  toFollowedView,
  unfollowStory,
} from '../../src/background/follow';

const page: PageInfo = {
  url: 'https://news.example/nk-troops',
  headline: 'North Korea has deployed thousands of troops to help Russia',
  description: null,
  siteName: 'News',
  canonicalUrl: null,
  publishedAt: '2025-05-31T09:00:00.000Z',
  lang: 'en',
};
const story = (id: string): RelatedStory => ({
  id,
  title: `Story ${id}`,
  source: 'Wire',
  url: `https://wire.example/${id}`,
  publishedAt: '2025-06-01T09:00:00.000Z',
  label: 'related',
  score: 0.7,
  matchedWords: ['North Korea'],
  alsoIn: [],
});
const now = new Date('2025-06-01T10:00:00Z');
const KEY = 'news.example/nk-troops';

describe('the follow store (issue 12, item 4)', () => {
  it('follows a story with the stories listed then as known, and following again keeps what was found', () => {
    let list = followStory([], KEY, page, ['a1', 'a2', 'a1'], now);
    expect(list).toMatchObject([{ key: KEY, followedAt: now.toISOString(), known: ['a1', 'a2'], found: [] }]);
    list = addFound(list, KEY, [story('a3')], now).list;
    list = followStory(list, KEY, { ...page, headline: 'Updated headline' }, [], new Date('2025-06-02T00:00:00Z'));
    expect(list[0]).toMatchObject({ followedAt: now.toISOString(), page: { headline: 'Updated headline' } });
    expect(list[0].found).toHaveLength(1);
    expect(unfollowStory(list, KEY)).toEqual([]);
  });

  it('records only stories it did not know, once, newest first', () => {
    let list = followStory([], KEY, page, ['a1'], now);
    const first = addFound(list, KEY, [story('a1'), story('a2')], now);
    expect(first.added).toBe(1);
    const second = addFound(first.list, KEY, [story('a2'), story('a3')], new Date('2025-06-01T11:00:00Z'));
    expect(second.added).toBe(1);
    list = second.list;
    expect(list[0].found.map((f) => f.story.id)).toEqual(['a3', 'a2']);
    expect(addFound(list, 'other.example/x', [story('a9')], now)).toEqual({ list, added: 0 });
  });

  it('the mark is on while any found story is unseen; showing them clears it', () => {
    let list = followStory([], KEY, page, [], now);
    list = followStory(list, 'other.example/x', { ...page, url: 'https://other.example/x' }, [], now);
    expect(hasUnseen(list)).toBe(false);
    list = addFound(list, KEY, [story('a1')], now).list;
    expect(hasUnseen(list)).toBe(true);
    expect(
      recent(
        list.find((s) => s.key === KEY)!,
        now.getTime(),
      ).map((s) => s.id),
    ).toEqual(['a1']);
    expect(toFollowedView(list.find((s) => s.key === KEY)!)).toMatchObject({ found: 1, unseen: 1, headline: page.headline, stories: [{ id: 'a1' }] });
    expect(hasUnseen(markSeen(list, ['other.example/x'], now))).toBe(true);
    list = markSeen(list, [KEY], now);
    expect(hasUnseen(list)).toBe(false);
    expect(toFollowedView(list.find((s) => s.key === KEY)!)).toMatchObject({ found: 1, unseen: 0, stories: [{ id: 'a1' }] });
    // Shown, it stays listed for a day (an answer replaced a moment later lost it: helper-42), then goes.
    const shown = list.find((s) => s.key === KEY)!;
    expect(recent(shown, now.getTime() + NEWS_KEPT_MS - 1).map((s) => s.id)).toEqual(['a1']);
    expect(recent(shown, now.getTime() + NEWS_KEPT_MS)).toEqual([]);
    // A record stored before seenAt was kept (seen, no time) is not listed again.
    expect(
      recent(parseFollows([{ ...shown, found: [{ story: shown.found[0].story, foundAt: shown.found[0].foundAt, seen: true }] }])[0], now.getTime()),
    ).toEqual([]);
  });

  it('keeps at most MAX_FOLLOWED stories, the newest', () => {
    let list = followStory([], KEY, page, [], now);
    for (let i = 0; i < MAX_FOLLOWED; i++) list = followStory(list, `k${i}`, page, [], now);
    expect(list).toHaveLength(MAX_FOLLOWED);
    expect(list.some((s) => s.key === KEY)).toBe(false);
  });

  it('reads stored records at the boundary: bad pages and entries dropped, unsafe links removed', () => {
    let list = followStory([], KEY, page, ['a1'], now);
    list = addFound(list, KEY, [{ ...story('a2'), url: 'javascript:alert(1)' }], now).list;
    const stored = JSON.parse(JSON.stringify(list));
    const parsed = parseFollows([...stored, { ...stored[0], key: 7 }, { ...stored[0], page: { headline: 'x', url: 'file:///etc' } }, null]);
    expect(parsed).toHaveLength(1);
    expect(parsed[0].found[0].story).toMatchObject({ id: 'a2', url: null });
    expect(parseFollows([{ ...stored[0], found: [{ story: { id: 'a3' }, foundAt: now.toISOString() }, 'x'] }])[0].found).toEqual([]);
    expect(parseFollows('nope')).toEqual([]);
  });
});
