import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { StoryIndex } from '../../src/index/engine';
import { storyFeatures, type StoryFeatures, type StoryText } from '../../src/index/features';
import { buildSegment, mergeSegment, SegmentWriter, termsOf, TITLE, type Segment, type SegmentDoc } from '../../src/index/segment';

/** A small deterministic generator, so a failure names the same documents every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const VOCABULARY = ['storm', 'coast', 'flood', 'mh370', 'search', 'ocean', 'fed', 'rate', 'oil', 'price', 'vote', 'senat', 'apple', 'ipad', 'kiev', 'crimea'];

function docs(count: number, seed: number, prefix = 'd'): SegmentDoc[] {
  const next = random(seed);
  const pick = (n: number) => [...new Set(Array.from({ length: n }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]))];
  return Array.from({ length: count }, (_, i) => {
    const titleTerms = pick(1 + Math.floor(next() * 5));
    const textTerms = pick(Math.floor(next() * 6)).filter((t) => !titleTerms.includes(t));
    return {
      id: `${prefix}${i}`,
      day: i % 7 === 0 ? null : 16000 + next() * 10,
      sortAt: Math.floor(next() * 1e12),
      kind: (['seed', 'feed', 'history', 'import'] as const)[i % 4],
      titleTerms,
      textTerms,
    };
  });
}

/** Each term's postings as [doc id, field] pairs: what a segment says, whatever its layout. */
function postingsOf(s: Segment): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  s.terms.forEach((term, t) => {
    out[term] = [];
    for (let p = s.offsets[t]; p < s.offsets[t + 1]; p++) out[term].push([s.ids[s.postings[p] >>> 1], s.postings[p] & 1]);
  });
  return out;
}

describe('index segments', () => {
  it("lists each document's terms once per field, in document order, with the counts per field", () => {
    const input = docs(200, 1);
    const s = buildSegment(input);
    expect(s.ids).toEqual(input.map((d) => d.id));
    expect(s.terms).toEqual([...new Set(input.flatMap((d) => [...d.titleTerms, ...d.textTerms]))].sort());
    const postings = postingsOf(s);
    for (const term of s.terms) {
      const expected = input.flatMap((d) => (d.titleTerms.includes(term) ? [[d.id, TITLE]] : d.textTerms.includes(term) ? [[d.id, 1]] : []));
      expect(postings[term]).toEqual(expected);
      const t = s.terms.indexOf(term);
      // Reading history is indexed (its postings above) but counted in no statistic (issue 9, finding 3).
      const counted = input.filter((d) => d.kind !== 'history');
      expect(s.titleDf[t]).toBe(counted.filter((d) => d.titleTerms.includes(term)).length);
      expect(s.textDf[t]).toBe(counted.filter((d) => d.textTerms.includes(term)).length);
    }
    expect([...s.titleLength]).toEqual(input.map((d) => d.titleTerms.length));
    expect([...s.days].map((d) => (Number.isNaN(d) ? null : d))).toEqual(input.map((d) => d.day));
  });

  it('merges removals and additions into the segment a build of the same documents gives', () => {
    const base = docs(300, 2);
    const added = docs(80, 3, 'new');
    const dead = new Set(base.flatMap((_, i) => (i % 5 === 0 || i > 280 ? [i] : [])));
    const merged = mergeSegment(buildSegment(base), dead, added);
    expect(merged).toEqual(buildSegment([...base.filter((_, i) => !dead.has(i)), ...added]));
    // Everything removed, nothing added: an empty segment, as an empty build.
    expect(mergeSegment(buildSegment(base), new Set(base.map((_, i) => i)), [])).toEqual(buildSegment([]));
  });

  it("reads removed documents' terms back from the postings, per field, without the articles", () => {
    const input = docs(120, 5);
    const s = buildSegment(input);
    const wanted = new Set([0, 7, 119, 500]);
    const out = termsOf(s, wanted);
    expect([...out.keys()].sort((a, b) => a - b)).toEqual([0, 7, 119, 500]);
    for (const d of [0, 7, 119]) {
      expect(out.get(d)).toEqual({ titleTerms: [...input[d].titleTerms].sort(), textTerms: [...input[d].textTerms].sort() });
    }
    // A position the segment does not have: nothing to read.
    expect(out.get(500)).toEqual({ titleTerms: [], textTerms: [] });
    expect(termsOf(s, new Set()).size).toBe(0);
  });

  it('refuses more documents than the writer was sized for, and cuts its arrays to fewer', () => {
    const writer = new SegmentWriter(2);
    const [a, b, c] = docs(3, 4);
    writer.add(a);
    writer.add(b);
    expect(() => writer.add(c)).toThrow(RangeError);
    const short = new SegmentWriter(5);
    short.add(a);
    const s = short.finish();
    expect(s.ids).toEqual([a.id]);
    expect(s.days).toHaveLength(1);
    expect(s.kinds).toHaveLength(1);
  });
});

describe("a revived segment's statistics", () => {
  const at = (day: number) => new Date(day * 86_400_000 + 3_600_000).toISOString();
  const dated = (days: (number | null)[]): Article[] =>
    days.map((day, i) => ({
      id: `s${i}`,
      title: `Story ${i} about storms`,
      source: 'Wire',
      publishedAt: day === null ? null : at(day),
      url: null,
      kind: 'feed',
    }));

  it('counts articles per calendar day as additions do, undated ones in no day', () => {
    const days = [16_000, 16_000, 16_001, null, 16_005, 16_000, null];
    const built = StoryIndex.build(dated(days));
    const added = new StoryIndex();
    added.addAll(dated(days));
    for (const index of [built, StoryIndex.roundTrip(built), added]) {
      expect([15_999, 16_000, 16_001, 16_002, 16_005].map((d) => index.articlesOnDay(d))).toEqual([0, 3, 1, 0, 1]);
    }
  });

  it('counts days spread over centuries too (no table the width of the range)', () => {
    const index = StoryIndex.roundTrip(StoryIndex.build(dated([-200_000, 16_000, 2_000_000, 2_000_000])));
    expect([-200_000, 16_000, 2_000_000, 16_001].map((d) => index.articlesOnDay(d))).toEqual([1, 1, 2, 0]);
  });
});

describe('retrieval over the segment and the articles added since', () => {
  const day = '2014-03-20T00:00:00Z';
  const titles = [
    'Malaysia Airlines MH370 search shifts to southern Indian Ocean',
    'MH370: Search for missing Malaysia Airlines jet moves to Indian Ocean',
    'Missing Malaysia Airlines jet: search moves to the southern Indian Ocean',
    'Australia leads search for Malaysia Airlines jet in Indian Ocean',
    'Malaysia Airlines families demand answers on MH370',
    'Indian Ocean search area for MH370 narrowed by satellite data',
    'Oil prices climb on supply worries',
    'Federal Reserve keeps interest rates unchanged',
    'Storm hits southern coast as search for sailors goes on',
    'Airlines shares fall as fuel prices rise',
  ];
  const articles: Article[] = titles.map((title, i) => ({
    id: `a${i}`,
    title,
    source: `Outlet ${i}`,
    publishedAt: new Date(Date.parse(day) + (i % 3) * 86_400_000).toISOString(),
    url: `https://news${i}.example/story`,
    kind: 'import',
  }));
  const query = { title: 'Search for Malaysia Airlines flight MH370 moves to Indian Ocean', source: 'CNN', publishedAt: day };
  /** The retrieval hits, best first (store.ts hits): what the re-ranker is given. */
  const hits = (index: StoryIndex, q: StoryText = query) =>
    (index as unknown as { hits(q: StoryFeatures, self: string | undefined, options: object): string[] }).hits(storyFeatures(q), undefined, {});
  const scored = (index: StoryIndex, q = query) =>
    index
      .rank(q)
      .map((c) => [c.id, c.score] as const)
      .sort((x, y) => x[0].localeCompare(y[0]));

  it('retrieves and scores a story the same whether it is in the saved segment or added since', () => {
    const whole = StoryIndex.build(articles);
    const expected = scored(whole);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const order = hits(whole);
    // Retrieval's own order: the closer and more matching, the earlier ("Oil prices" shares no word).
    expect(order.slice(0, 3)).toEqual(expect.arrayContaining(['a1', 'a0']));
    expect(order).not.toContain('a6');
    // Half in the segment, half live; and a segment article replaced by a live copy of itself.
    const split = StoryIndex.build(articles.slice(0, 5));
    split.addAll([...articles.slice(5), articles[1]]);
    expect(hits(split)).toEqual(order);
    expect(scored(split)).toEqual(expected);
    const allLive = new StoryIndex();
    allLive.addAll(articles);
    expect(hits(allLive)).toEqual(order);
    expect(scored(allLive)).toEqual(expected);
    // A headline cut short: its last word also matches as a prefix, in both parts.
    const cut = { ...query, title: 'Search for Malaysia Airlines flight MH370 moves to Indian Oce...' };
    expect(hits(split, cut)).toEqual(hits(whole, cut));
    expect(scored(split, cut)).toEqual(scored(whole, cut));
  });

  it('forgets one query before the next: the same query twice gives the same answer', () => {
    const split = StoryIndex.build(articles.slice(0, 6));
    split.addAll(articles.slice(6));
    const first = hits(split);
    expect(first.length).toBeGreaterThan(3);
    hits(split, { title: 'Oil prices climb as airlines shares fall', publishedAt: day });
    expect(hits(split)).toEqual(first);
  });
});
