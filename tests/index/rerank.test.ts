import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { StoryIndex } from '../../src/index/engine';
import { storyFeatures } from '../../src/index/features';
import { labelFor, MODEL, probability, relatedFloor } from '../../src/index/model';
import { pairSignals, SIGNALS, type TermStats } from '../../src/index/pair';

const day = '2014-03-20T00:00:00Z';
const nextWeek = '2014-03-26T00:00:00Z';
let n = 0;
const article = (title: string, source = `Outlet ${++n}`, publishedAt = day): Article => ({
  id: `a${++n}`,
  title,
  source,
  publishedAt,
  url: `https://news${n}.example/story`,
  kind: 'import',
});

const filler = [
  'Apple unveils new iPhone with larger screen',
  'Federal Reserve keeps interest rates unchanged',
  'Oil prices climb on supply worries',
  'Champions League draw pits Barcelona against Atletico',
  'Scientists find water on distant exoplanet',
  'Toyota recalls 6 million cars over airbag fault',
  'Heatwave grips southern Europe',
  'Tesla opens new factory in Nevada',
].map((t) => article(t));

const stats: TermStats = { documentCount: 1000, documentFrequency: () => 10, averageTitleLength: 7 };
const signal = (name: (typeof SIGNALS)[number], a: string, b: string, opts: { da?: string; db?: string; sa?: string; sb?: string } = {}) =>
  pairSignals(
    storyFeatures({ title: a, publishedAt: opts.da ?? day, source: opts.sa ?? 'A' }),
    storyFeatures({ title: b, publishedAt: opts.db ?? day, source: opts.sb ?? 'B' }),
    stats,
  ).values[SIGNALS.indexOf(name)];

describe('re-ranker signals', () => {
  it('measures word overlap, entities, numbers and phrases', () => {
    expect(signal('cosine', 'Malaysia jet search expands', 'Malaysia jet search expands')).toBeCloseTo(1);
    expect(signal('cosine', 'Malaysia jet search expands', 'Oil prices climb')).toBe(0);
    expect(signal('entities', 'Obama meets Putin in Geneva', 'Talks in Geneva as Obama meets Putin')).toBeGreaterThan(0.5);
    expect(signal('numberConflict', 'Quake kills 12 in Chile', 'Quake kills 40 in Chile')).toBe(1);
    expect(signal('numberConflict', 'Quake kills 12 in Chile', 'Chile quake: 12 dead')).toBe(0);
    expect(signal('bigrams', 'drone strike hits base', 'base hit by drone strike')).toBeGreaterThan(0);
  });

  it('counts time only together with shared words', () => {
    expect(signal('sameDayOverlap', 'Malaysia jet search', 'Malaysia jet search')).toBeGreaterThan(0.9);
    expect(signal('sameDayOverlap', 'Malaysia jet search', 'Malaysia jet search', { db: nextWeek })).toBe(0);
    expect(signal('sameDayOverlap', 'Malaysia jet search', 'Oil prices climb')).toBe(0);
  });

  it('notices the same outlet', () => {
    expect(signal('sameSource', 'a b c', 'a b d', { sa: 'Reuters', sb: 'reuters' })).toBe(1);
    expect(signal('sameSource', 'a b c', 'a b d', { sa: 'Reuters', sb: 'AP' })).toBe(0);
  });

  it('matches a headline cut short by the aggregator', () => {
    const cut = storyFeatures({ title: 'Malaysia Airlines jet search widens to Indian Oce...' });
    const whole = storyFeatures({ title: 'Search for Malaysia Airlines jet widens to Indian Ocean' });
    expect(pairSignals(cut, whole, stats).matched).toContain('Ocean');
  });

  it('scores the same story above a loosely related one', () => {
    const a = { title: 'Malaysia Airlines flight MH370 search moves to Indian Ocean', publishedAt: day, source: 'A' };
    const same = { title: 'MH370: search for missing Malaysia Airlines jet shifts to Indian Ocean', publishedAt: day, source: 'B' };
    const loose = { title: 'Malaysia Airlines shares fall', publishedAt: nextWeek, source: 'C' };
    const index = new StoryIndex();
    index.addAll(filler);
    expect(index.scoreStories(a, same)).toBeGreaterThan(index.scoreStories(a, loose));
    expect(index.scoreStories(a, same)).toBeGreaterThan(MODEL.thresholds.sameStory);
  });
});

describe('labels and thresholds', () => {
  it('labels by the shipped thresholds and hides what is below them', () => {
    const { sameStory, related } = MODEL.thresholds;
    expect(labelFor(sameStory, 0, 3)).toBe('same-story');
    expect(labelFor((sameStory + related) / 2, 0, 3)).toBe('related');
    expect(labelFor(related / 2, 0, 3)).toBeNull();
    expect(labelFor(related / 2, 0, 1)).toBe('related');
    expect(labelFor((sameStory + related) / 2, 0, 5)).toBeNull();
  });

  it('orders relevance levels from looser to closer', () => {
    const floors = [1, 2, 3, 4, 5].map((l) => relatedFloor(l as 1 | 2 | 3 | 4 | 5));
    expect([...floors].sort((a, b) => a - b)).toEqual(floors);
  });

  it('keeps probabilities in [0, 1] and rising with overlap', () => {
    const low = probability(SIGNALS.map(() => 0));
    const high = probability(SIGNALS.map((s) => (s === 'numberConflict' || s === 'dayGapOverlap' ? 0 : 1)));
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThanOrEqual(1);
    expect(high).toBeGreaterThan(low);
  });
});

describe('matching with the engine', () => {
  const story = [
    article('Malaysia Airlines MH370 search shifts to southern Indian Ocean', 'Reuters'),
    article('MH370: Search for missing Malaysia Airlines jet moves to Indian Ocean', 'BBC News'),
    article('Missing Malaysia Airlines jet: search moves to the southern Indian Ocean', 'The Guardian'),
  ];
  const wire = [
    article('Australia leads search for Malaysia Airlines jet in Indian Ocean', 'Associated Press'),
    article('Australia leads search for Malaysia Airlines jet in Indian Ocean', 'Yahoo News'),
    article('Australia leads search for Malaysia Airlines jet in Indian Ocean', 'ABC News'),
  ];
  const index = new StoryIndex();
  index.addAll([...filler, ...story, ...wire]);
  const query = { title: 'Search for Malaysia Airlines flight MH370 moves to Indian Ocean', source: 'CNN', publishedAt: day };

  it('ranks reports of the same story first, labelled "same story", with the matched words', () => {
    const results = index.match(query);
    expect(results.slice(0, 3).map((r) => r.source).sort()).toEqual(['BBC News', 'Reuters', 'The Guardian']);
    expect(results[0].label).toBe('same-story');
    expect(results[0].matchedWords).toEqual(expect.arrayContaining(['Malaysia', 'Airlines', 'MH370']));
    expect(results.map((r) => r.title)).not.toContain('Oil prices climb on supply worries');
  });

  it('collapses syndicated copies into one result with "also in" outlets', () => {
    const copies = index.match(query).filter((r) => r.title.startsWith('Australia leads search'));
    expect(copies).toHaveLength(1);
    expect(copies[0].alsoIn).toHaveLength(2);
  });

  it('keeps stories outside the time window out', () => {
    expect(index.match({ ...query, publishedAt: '2014-04-20T00:00:00Z' })).toEqual([]);
    expect(index.match({ ...query, publishedAt: '2014-04-20T00:00:00Z' }, { windowDays: 60 }).length).toBeGreaterThan(0);
  });

  it('survives serialisation and rejects an index of another version', () => {
    const all = [...filler, ...story, ...wire];
    const revived = StoryIndex.fromJSON(JSON.parse(JSON.stringify(index.toJSON())), all);
    expect(revived.match(query)).toEqual(index.match(query));
    expect(() => StoryIndex.fromJSON({ ...index.toJSON(), version: -1 }, all)).toThrow(/version/);
    expect(() => StoryIndex.fromJSON({ ...index.toJSON(), fingerprint: 'other' }, all)).toThrow(/other index options/);
    expect(() => StoryIndex.fromJSON(index.toJSON(), all.slice(1))).toThrow(/does not match/);
    // Within the allowed drift, articles added or deleted since the snapshot are replayed.
    const extra = article('Search for Malaysia Airlines MH370 jet moves to the Indian Ocean floor', 'Extra News');
    const repaired = StoryIndex.fromJSON(index.toJSON(), [...all.slice(1), extra], undefined, { maxDrift: 0.5 });
    expect(repaired.documentCount).toBe(all.length);
    expect(repaired.has(all[0].id)).toBe(false);
    expect(repaired.match(query).map((r) => r.id)).toContain(extra.id);
  });
});
