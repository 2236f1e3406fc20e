import { describe, expect, it } from 'vitest';
import type { RelatedStory } from '../../src/core/article';
import { gapParts } from '../../src/core/time';
import { gapToPage, storyDate, storyWhen } from '../../src/ui/format';
import { GROUP_FROM, timeline } from '../../src/ui/popup/timeline';

let n = 0;
const story = (label: RelatedStory['label'], publishedAt: string | null): RelatedStory => ({
  id: `s${++n}`,
  title: `Story ${n}`,
  source: 'Outlet',
  url: null,
  publishedAt,
  label,
  score: 0.5,
  matchedWords: [],
  alsoIn: [],
});

describe('the popup timeline', () => {
  it('puts same-story coverage first, newest first, then developments in date order, undated last', () => {
    const stories = [
      story('related', '2025-06-03T10:00:00Z'),
      story('same-story', '2025-06-02T08:00:00Z'),
      story('related', null),
      story('same-story', '2025-06-02T12:00:00Z'),
      story('related', '2025-05-30T10:00:00Z'),
    ];
    const { coverage, developments } = timeline(stories);
    expect(coverage.map((s) => s.publishedAt)).toEqual(['2025-06-02T12:00:00Z', '2025-06-02T08:00:00Z']);
    expect(developments).toHaveLength(1);
    expect(developments[0].day).toBeNull();
    expect(developments[0].stories.map((s) => s.publishedAt)).toEqual(['2025-05-30T10:00:00Z', '2025-06-03T10:00:00Z', null]);
  });

  it('groups developments by day when there are many', () => {
    const days = [
      '2025-06-01T09:00:00Z',
      '2025-06-01T18:00:00Z',
      '2025-06-02T07:00:00Z',
      '2025-05-28T10:00:00Z',
      '2025-06-02T23:00:00Z',
      '2025-06-04T01:00:00Z',
    ];
    expect(days.length).toBeGreaterThanOrEqual(GROUP_FROM);
    const { developments } = timeline(days.map((d) => story('related', d)));
    expect(developments.map((g) => [g.day, g.stories.length])).toEqual([
      ['2025-05-28', 1],
      ['2025-06-01', 2],
      ['2025-06-02', 2],
      ['2025-06-04', 1],
    ]);
  });

  it('says how far a story is from the page, and its date', () => {
    expect(gapParts('2025-06-02T05:00:00Z', '2025-06-02T09:00:00Z')).toEqual({ value: 4, unit: 'hour', direction: 'earlier' });
    expect(gapParts('2025-06-04T09:00:00Z', '2025-06-02T09:00:00Z')).toEqual({ value: 2, unit: 'day', direction: 'later' });
    // To the nearest, not cut down: Sat 09:00 to Mon 05:00 is 44 hours, shown beside a date two days on.
    expect(gapParts('2025-06-02T05:00:00Z', '2025-05-31T09:00:00Z')).toEqual({ value: 2, unit: 'day', direction: 'later' });
    expect(gapParts('2025-06-02T20:00:00Z', '2025-06-02T09:20:00Z')).toEqual({ value: 11, unit: 'hour', direction: 'later' });
    // Days by calendar day, as the dates beside them: Sat 01:00 to Sun 13:00 is one day.
    expect(gapParts('2025-06-01T13:00:00Z', '2025-05-31T01:00:00Z')).toEqual({ value: 1, unit: 'day', direction: 'later' });
    // Rounded up to a whole next unit, said in that unit (review, helper-22).
    expect(gapParts('2025-06-02T09:59:36Z', '2025-06-02T09:00:00Z')).toEqual({ value: 1, unit: 'hour', direction: 'later' });
    expect(gapParts('2025-06-02T09:00:00Z', '2025-06-01T09:24:00Z')).toEqual({ value: 1, unit: 'day', direction: 'later' });
    expect(gapParts('2025-06-08T23:00:00Z', '2025-06-02T01:00:00Z')).toEqual({ value: 6, unit: 'day', direction: 'later' });
    expect(gapParts('2025-06-09T23:00:00Z', '2025-06-02T01:00:00Z')).toEqual({ value: 1, unit: 'week', direction: 'later' });
    expect(gapParts('2026-05-17T00:00:00Z', '2025-06-02T00:00:00Z')).toEqual({ value: 1, unit: 'year', direction: 'later' });
    expect(gapParts('2025-06-02T09:00:20Z', '2025-06-02T09:00:00Z')?.direction).toBe('same');
    expect(gapParts(null, '2025-06-02T09:00:00Z')).toBeNull();
    expect(gapToPage('2025-06-02T05:00:00Z', '2025-06-02T09:00:00Z')).toBe('4 hours earlier');
    expect(gapToPage('2025-06-03T09:00:00Z', '2025-06-02T09:00:00Z')).toBe('1 day later');
    expect(gapToPage('2025-06-03T09:00:00Z', null)).toBe('');
    expect(storyDate('2025-06-02T23:30:00Z')).toMatch(/Mon.*Jun.*2.*2025/);
    expect(storyDate('not a date')).toBe('');
  });
});

describe("a badge card's story time", () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it('is relative within a week, a date after that, empty when unknown', () => {
    expect(storyWhen('2026-11-28T09:00:00Z', now)).toBe('3 hours ago');
    expect(storyWhen('2026-11-27T09:00:00Z', now)).toBe('yesterday');
    expect(storyWhen('2025-06-02T05:00:00Z', now)).toBe('Mon, Jun 2, 2025');
    expect(storyWhen(null, now)).toBe('');
    expect(storyWhen('not a date', now)).toBe('');
  });
});
