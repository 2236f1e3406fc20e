import { DAY_MS } from '../../src/core/time';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { INDEX_FINGERPRINT, INDEX_VERSION, StoryIndex } from '../../src/index/engine';
import { parseSegment, toSaved } from '../../src/index/segment';

const SAVED = { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT };
import { slugText, storyFeatures, withoutOutlet } from '../../src/index/features';
import { labelFor, labelsFor, MODEL, relatedFloor, type Evidence } from '../../src/index/model';
import { neighbourhood, pairSignals, SIGNALS, type TermStats } from '../../src/index/pair';

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

  it('takes the time gap in whole days, as a prior beside the evidence', () => {
    expect(signal('sameDay', 'Malaysia jet search', 'Malaysia jet search', { da: '2014-03-20T14:00:00Z' })).toBe(1);
    expect(signal('sameDay', 'Malaysia jet search', 'Malaysia jet search', { db: nextWeek })).toBe(0);
    expect(signal('dayGap', 'Malaysia jet search', 'Malaysia jet search', { db: nextWeek })).toBeCloseTo(6 / 7);
    expect(signal('sameDayCosine', 'Malaysia jet search', 'Oil prices climb')).toBe(0);
  });

  it("weighs how crowded the candidate's day is: chance overlaps grow with the day's articles", () => {
    const crowded = (onDay: number | undefined) =>
      pairSignals(
        storyFeatures({ title: 'Malaysia jet search', publishedAt: day }),
        storyFeatures({ title: 'Malaysia jet search', publishedAt: '2014-03-20T18:00:00Z' }),
        onDay === undefined ? stats : { ...stats, articlesOnDay: (d) => (d === Math.floor(Date.parse(day) / DAY_MS) ? onDay : 0) },
      ).values;
    const at = (values: number[], name: (typeof SIGNALS)[number]) => values[SIGNALS.indexOf(name)];
    expect(at(crowded(undefined), 'dayCrowd')).toBe(0.5);
    expect(at(crowded(75), 'dayCrowd')).toBeGreaterThan(0.4);
    expect(at(crowded(75), 'dayCrowd')).toBeLessThan(at(crowded(3000), 'dayCrowd'));
    expect(at(crowded(100_000), 'dayCrowd')).toBe(1);
    expect(at(crowded(3000), 'sameDayCrowd')).toBe(at(crowded(3000), 'dayCrowd'));
    // The learned model reads a crowded day as weaker evidence, all else equal.
    const score = (values: number[]) => MODEL.weights.reduce((z, w, i) => z + w * values[i], MODEL.bias);
    expect(score(crowded(3000))).toBeLessThan(score(crowded(75)));
  });

  it('weighs shared evidence beyond the single best word', () => {
    expect(signal('beyondOne', 'Kiefer Sutherland is a terrible co-star', 'A carbon tax is a terrible idea')).toBe(0);
    expect(signal('beyondOne', 'Kiefer Sutherland is a terrible co-star', 'Kiefer Sutherland reunion')).toBeGreaterThan(0);
  });

  it('counts which shared words are names', () => {
    const shared = (a: string, b: string) => pairSignals(storyFeatures({ title: a }), storyFeatures({ title: b }), stats).shared;
    expect(shared('Actor says Kiefer Sutherland is a terrible co-star', 'Why a carbon tax is a terrible idea').names).toBe(0);
    expect(shared('Fans learn that Hemsworth welcomes twins', 'Photos show how Hemsworth spends a weekend').names).toBe(1);
    expect(shared('Fans learn that 40 planes were hit', 'Officials say 40 people were rescued').names).toBe(0);
    // Where no headline can say (title case, the first word), a word with a capital in both may be a name...
    expect(shared('Glen Campbell Moved To Long-Term Care Facility', "Campbell in Alzheimer's unit").names).toBe(1);
    // ...but one headline writing it in lower case settles it.
    expect(shared('A Carbon Tax Is A Terrible Idea', 'Why the co-star was terrible to work with').names).toBe(0);
    expect(shared('Terrible weather hits the coast', 'Residents brace for terrible storm').names).toBe(0);
  });

  it('reads the words of a URL slug, not its ids and numbers', () => {
    expect(slugText('https://www.bizjournals.com/news/2014/03/11/time-warner-ceo-to-customers-on-comcast-merger-we.html')).toBe(
      'time warner ceo to customers on comcast merger we',
    );
    expect(slugText('https://example.com/article?id=7')).toBeNull();
    expect(slugText('https://example.com/news/12345/abc-1')).toBeNull();
    expect(slugText('not a url')).toBeNull();
    expect(signal('slugCosine', 'Comcast deal', 'Time Warner CEO speaks')).toBe(0);
    const a = storyFeatures({ title: 'Deal is done', url: 'https://a.example/2014/time-warner-comcast-merger-approved' });
    const b = storyFeatures({ title: 'Regulators approve Comcast merger' });
    expect(pairSignals(a, b, stats).values[SIGNALS.indexOf('slugCosine')]).toBeGreaterThan(0);
  });

  it('anchors topics on names, never on numbers, days or months', () => {
    const f = storyFeatures({
      title: 'The film opens on Friday, March 21, 2014 and critics say that Shailene Woodley shines',
      description: 'On Monday 40 critics in Chicago saw it.',
    });
    expect(f.topicSurfaces).toEqual(expect.arrayContaining(['Shailene', 'Woodley', 'Chicago']));
    for (const word of ['Friday', 'March', '21', '2014', 'Monday', '40']) expect(f.topicSurfaces).not.toContain(word);
  });

  it('drops a trailing outlet name from the headline before matching', () => {
    expect(withoutOutlet('NSA leaker Snowden has no regrets - KTVN Channel 2 - Reno ...', 'KTVN')).toBe('NSA leaker Snowden has no regrets');
    expect(withoutOutlet('Apple - Samsung trial opens', 'Apple Insider')).toBe('Apple - Samsung trial opens');
    expect(withoutOutlet('Budget vote | The Guardian', 'The Guardian')).toBe('Budget vote');
  });

  it('counts how the library around the page corroborates a candidate', () => {
    const q = storyFeatures({ title: 'Columbus Short arrested after bar fight' });
    const c = storyFeatures({ title: 'Scandal star Columbus Short arrested' });
    const mates = ['Columbus Short charged over bar brawl', 'Scandal actor Columbus Short arrested in bar fight'].map((title) => storyFeatures({ title }));
    const stranger = storyFeatures({ title: 'Bar association elects new head' });
    const around = neighbourhood(q, [c, ...mates, stranger], stats);
    const corroborated = pairSignals(q, c, stats, around).values;
    const alone = pairSignals(q, stranger, stats, around).values;
    for (const name of ['support', 'explained'] as const) {
      expect(corroborated[SIGNALS.indexOf(name)]).toBeGreaterThan(alone[SIGNALS.indexOf(name)]);
    }
    expect(pairSignals(q, c, stats).values[SIGNALS.indexOf('support')]).toBe(0);
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
    expect(index.scoreStories(a, same).score).toBeGreaterThan(index.scoreStories(a, loose).score);
    expect(index.scoreStories(a, same).shared.count).toBeGreaterThanOrEqual(4);
  });
});

describe('labels and thresholds', () => {
  const evidence = (score: number, count: number, idf = count * 6, maxIdf = 6, topic = 0): Evidence => ({
    score,
    topic,
    shared: { count, idf, maxIdf, rarity: maxIdf / 10, beyond: (idf - maxIdf) / 10, names: 0 },
  });

  it('labels by the shipped thresholds and hides what is below them', () => {
    const { sameStory, related, relatedEvidence } = MODEL.thresholds;
    expect(labelFor(evidence(sameStory, 3), 3)).toBe('same-story');
    expect(labelFor(evidence(sameStory - 0.01, 3, 10, 5), 3)).toBeNull();
    // Looser levels show developments that share at least two words of weight.
    expect(labelFor(evidence(related * 0.6, 3, 6 + relatedEvidence * 10, 6), 1)).toBe('related');
    expect(labelFor(evidence(related * 0.6, 3, 6 + relatedEvidence * 4, 6), 1)).toBeNull();
    expect(labelFor(evidence(sameStory - 0.01, 3, 30, 6), 5)).toBeNull();
    // Numbers and dates alone ("March 19, 2014" in two datelines) are no development.
    const dated = evidence(related, 3, 6 + relatedEvidence * 10, 6);
    expect(labelFor(dated, 3)).toBe('related');
    expect(labelFor({ ...dated, shared: { ...dated.shared, words: 0 } }, 3)).toBeNull();
    expect(labelFor({ ...dated, shared: { ...dated.shared, words: 1 } }, 3)).toBe('related');
  });

  it('never calls one shared common word the same story or related, whatever the score', () => {
    for (const level of [1, 2, 3, 4, 5] as const) {
      expect(labelFor(evidence(0.999, 1, 6, 6), level)).toBeNull();
      expect(labelFor(evidence(0.999, 0, 0, 0), level)).toBeNull();
    }
    // A rare common word does not stand alone; a rare name may ("Hemsworth").
    const rare = { count: 1, idf: 10, maxIdf: 10, rarity: 0.95, beyond: 0 };
    expect(labelFor({ score: 0.999, topic: 0, shared: { ...rare, names: 0 } }, 3)).toBeNull();
    expect(labelFor({ score: 0.999, topic: 0, shared: { ...rare, names: 1 } }, 3)).toBe('same-story');
    expect(labelFor({ score: 0.999, topic: 0, shared: { ...rare, rarity: 0.3, names: 1 } }, 3)).toBeNull();
  });

  it('calls a copy of the headline the same story, whatever the score: within a day, with rare words beyond the best', () => {
    const copy = { count: 8, idf: 50, maxIdf: 9, rarity: 0.9, beyond: 4, names: 0, cosine: 0.97, gap: 0 };
    // A lone wire copy: the model scores it low for want of corroboration.
    expect(labelFor({ score: 0.6, topic: 0, shared: copy }, 3)).toBe('same-story');
    expect(labelFor({ score: 0.6, topic: 0, shared: { ...copy, gap: null } }, 3)).toBe('same-story');
    // Not a copy: most of the headline differs, or the same words a week later, or only common words.
    expect(labelFor({ score: 0.6, topic: 0, shared: { ...copy, cosine: 0.7 } }, 3)).not.toBe('same-story');
    expect(labelFor({ score: 0.6, topic: 0, shared: { ...copy, gap: 7 } }, 3)).not.toBe('same-story');
    expect(labelFor({ score: 0.6, topic: 0, shared: { ...copy, beyond: 0.8 } }, 3)).not.toBe('same-story');
  });

  it('shows a story related through the names its text shares', () => {
    const inText = (e: Evidence): Evidence => ({ ...e, topicInText: true });
    expect(labelFor(inText(evidence(0.1, 0, 0, 0, MODEL.thresholds.topic)), 3)).toBe('related');
    expect(labelFor(inText(evidence(0.1, 0, 0, 0, MODEL.thresholds.topic / 2)), 3)).toBeNull();
  });

  it('needs more than one two-word name for a topic whose names are all in both headlines', () => {
    const { topic, related } = MODEL.thresholds;
    // "Tonight Show" in both headlines and nothing else: a running topic, not a development.
    expect(labelFor(evidence(0.1, 2, 12, 6, topic), 3)).toBeNull();
    // The headlines share more than that ("Chris Brown", "jail", "violating"), or the model is sure enough.
    expect(labelFor(evidence(0.1, 3, 18, 6, topic), 3)).toBe('related');
    // Numbers and dates are not words in common: "Recap for March 31, 2014" and "... March 25, 2014".
    const dated = evidence(0.1, 4, 24, 6, topic);
    expect(labelFor({ ...dated, shared: { ...dated.shared, words: 2 } }, 3)).toBeNull();
    expect(labelFor({ ...dated, shared: { ...dated.shared, words: 3 } }, 3)).toBe('related');
    expect(labelFor(evidence(related, 2, 12, 6, topic), 3)).toBe('related');
    expect(labelFor(evidence(related * 0.6, 2, 12, 6, topic * 0.5), 1)).toBe('related');
    expect(labelFor(evidence(related * 0.4, 2, 12, 6, topic * 0.5), 1)).toBeNull();
  });

  it("lists a development only beside the page's own event, unless it stands alone", () => {
    const { sameStory, related, relatedEvidence } = MODEL.thresholds;
    const next = relatedFloor(4);
    const same = evidence(sameStory, 3);
    // Through the headline, over the default floor and under the next level's.
    const weak = evidence(related, 3, 6 + relatedEvidence * 10, 6);
    expect(labelFor(weak, 3)).toBe('related');
    expect(labelsFor([weak], 3)).toEqual([null]);
    expect(labelsFor([same, weak], 3)).toEqual(['same-story', 'related']);
    expect(labelsFor([weak], 3, MODEL, true)).toEqual(['related']);
    // The next level's score, twice the headline evidence, or a name told in a text, stands alone.
    expect(labelsFor([{ ...weak, shared: { ...weak.shared, beyond: 2 * relatedEvidence } }], 3)).toEqual(['related']);
    expect(labelsFor([{ ...weak, shared: { ...weak.shared, beyond: 2 * relatedEvidence - 0.01 } }], 3)).toEqual([null]);
    const strong = { ...weak, score: next };
    expect(labelsFor([strong], 3)).toEqual(['related']);
    expect(labelsFor([{ ...strong, score: next - 0.01 }], 3)).toEqual([null]);
    const byText: Evidence = { ...evidence(0.1, 0, 0, 0, MODEL.thresholds.topic), topicInText: true };
    expect(labelsFor([byText], 3)).toEqual(['related']);
    expect(labelsFor([{ ...byText, topicInText: false }], 3)).toEqual([null]);
    // A name told in a text stands alone only with the topic's closeness over its floor.
    expect(labelsFor([{ ...weak, topicInText: true, topic: MODEL.thresholds.topic / 2 }], 3)).toEqual([null]);
    expect(labelsFor([{ ...weak, topicInText: true, topic: MODEL.thresholds.topic }], 3)).toEqual(['related']);
    // A topic resting on names both headlines hold needs the page's event too.
    const byNames = evidence(0.1, 3, 18, 6, MODEL.thresholds.topic);
    expect(labelsFor([byNames], 3)).toEqual([null]);
    expect(labelsFor([byNames, same], 3)).toEqual(['related', 'same-story']);
    // A looser level asks the next looser floor: the default one.
    const loose = evidence(related * 0.8, 3, 6 + relatedEvidence * 10, 6);
    expect(labelsFor([loose], 2)).toEqual([null]);
    expect(labelsFor([{ ...loose, score: related }], 2)).toEqual(['related']);
  });

  it('orders relevance levels from looser to closer', () => {
    const floors = [1, 2, 3, 4, 5].map((l) => relatedFloor(l as 1 | 2 | 3 | 4 | 5));
    expect([...floors].sort((a, b) => a - b)).toEqual(floors);
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
    // The three reports and the wire story on the same search (one result for its three copies).
    // An imported file's outlets are listed with their links' sites: "Reuters (news17.example)".
    const outlet = (source: string) => source.replace(/ \([^)]*\)$/, '');
    expect(results.slice(0, 4).map((r) => outlet(r.source))).toEqual(expect.arrayContaining(['BBC News', 'Reuters', 'The Guardian']));
    expect(results[0].label).toBe('same-story');
    expect(results.find((r) => outlet(r.source) === 'Reuters')!.matchedWords).toEqual(expect.arrayContaining(['Malaysia Airlines MH370', 'Indian Ocean']));
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

  it('survives a save and a revive, and answers from the saved segment with only its candidates read', async () => {
    const all = [...filler, ...story, ...wire];
    const whole = StoryIndex.build(all);
    const revived = StoryIndex.roundTrip(whole);
    expect(revived.match(query)).toEqual(whole.match(query));
    expect(revived.match(query, { windowDays: Number.POSITIVE_INFINITY })).toEqual(whole.match(query, { windowDays: Number.POSITIVE_INFINITY }));

    // A worker's revive: the segment without articles, which are read by id as answers need them.
    const saved = structuredClone(toSaved(whole.compact(), { ...SAVED, savedAt: '2025-01-01T00:00:00.000Z' }));
    const asked: string[] = [];
    const byId = new Map(all.map((a) => [a.id, a]));
    const lazy = StoryIndex.revive(parseSegment(saved, SAVED), undefined, async (ids) => {
      asked.push(...ids);
      return ids.map((id) => byId.get(id));
    });
    expect(lazy.documentCount).toBe(all.length);
    expect(lazy.match(query)).toEqual([]);
    await lazy.load([query]);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.length).toBeLessThan(all.length);
    expect(lazy.match(query)).toEqual(whole.match(query));
  });

  it('keeps additions and removals after the segment, and folds them into the next one', () => {
    const all = [...filler, ...story, ...wire];
    const changed = StoryIndex.build(all.slice(1));
    const extra = article('Search for Malaysia Airlines MH370 jet moves to the Indian Ocean floor', 'Extra News');
    changed.addAll([all[0], extra]);
    changed.remove(story[0].id);
    const expected = changed.match(query);
    expect(expected.map((r) => r.id)).toContain(extra.id);
    expect(expected.map((r) => r.id)).not.toContain(story[0].id);
    const dayNumber = Math.floor(Date.parse(day) / DAY_MS);
    const figures = (i: StoryIndex) => [i.documentCount, i.documentFrequency('malaysia'), i.averageTitleLength, i.articlesOnDay(dayNumber)];
    // Every test article is dated the same day: the day's count follows additions and removals.
    expect(changed.articlesOnDay(dayNumber)).toBe(all.length);
    expect(changed.articlesOnDay(dayNumber + 1)).toBe(0);
    const before = figures(changed);
    changed.compact();
    expect(figures(changed)).toEqual(before);
    expect(changed.match(query)).toEqual(expected);
    expect(StoryIndex.roundTrip(changed).match(query)).toEqual(expected);
  });

  it('refuses a saved index of another version or options, and one that does not hold together', () => {
    const saved = () => structuredClone(toSaved(StoryIndex.build([...filler, ...story]).compact(), { ...SAVED, savedAt: '2025-01-01T00:00:00.000Z' }));
    expect(() => parseSegment({ ...saved(), version: -1 }, SAVED)).toThrow(/version -1/);
    expect(() => parseSegment({ ...saved(), fingerprint: 'other' }, SAVED)).toThrow(/other index options/);
    expect(() => parseSegment(undefined, SAVED)).toThrow(/missing/);
    expect(() => parseSegment({ ...saved(), ids: '["a", ' }, SAVED)).toThrow(/corrupt ids/);
    const s = saved();
    expect(() => parseSegment({ ...s, kinds: s.kinds.slice(1) }, SAVED)).toThrow(/corrupt kinds/);
    expect(() => parseSegment({ ...s, days: Array.from(s.days) }, SAVED)).toThrow(/corrupt days/);
    const beyond = s.postings.slice();
    beyond[0] = s.days.length << 1;
    expect(() => parseSegment({ ...s, postings: beyond }, SAVED)).toThrow(/corrupt postings/);
    const terms = JSON.parse(s.terms) as string[];
    expect(() => parseSegment({ ...s, terms: JSON.stringify(terms.toReversed()) }, SAVED)).toThrow(/out of order/);
    const ids = JSON.parse(s.ids) as string[];
    expect(() => StoryIndex.revive(parseSegment({ ...s, ids: JSON.stringify([ids[1], ...ids.slice(1)]) }, SAVED))).toThrow(/twice/);
    expect(() => parseSegment(s, SAVED)).not.toThrow();
  });
});
