import { describe, expect, it } from 'vitest';
import type { Article, ArticleKind } from '../../src/core/article';
import { DAY_MS } from '../../src/core/time';
import { StoryIndex } from '../../src/index/engine';
import { SIGNALS } from '../../src/index/pair';

// How bursty a pair's shared words are on the candidate's day (issue 8): an event fills one day's
// headlines, a running topic or a common word is spread over every day.
const DAY = Date.parse('2014-03-20T00:00:00Z') / DAY_MS;
const at = (offset: number) => new Date((DAY + offset) * DAY_MS + 9 * 3_600_000).toISOString();
let n = 0;
const article = (title: string, offset: number, kind: ArticleKind = 'import'): Article => ({
  id: `b${++n}`,
  title,
  source: `Outlet ${n}`,
  publishedAt: at(offset),
  url: `https://news${n}.example/${n}`,
  kind,
});

// The event: five outlets on day 0. The topic: Kardashian headlines every day of the fortnight.
const event = [
  'Volcano erupts near Reykjavik, flights grounded',
  'Iceland volcano erupts, ash cloud grounds flights',
  'Flights grounded as Icelandic volcano erupts',
  'Volcano erupts: airlines ground flights over Iceland',
  'Ash from erupting volcano grounds European flights',
].map((t) => article(t, 0));
const topic = [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6].map((d) => article(`Kim Kardashian wedding plans, day ${d} of the saga`, d));
const filler = ['Oil prices climb on supply worries', 'Champions League draw pits Barcelona against Atletico', 'Tesla opens new factory in Nevada'].map((t) =>
  article(t, 0),
);
const library = [...event, ...topic, ...filler];
const none = new Set<string>();

describe('headlines holding shared words, around a day', () => {
  it("counts the fortnight's headlines and the day's, the same from the live part and the saved segment", () => {
    // Added one by one: the live part. Then compacted into a segment, then saved and revived.
    let index = new StoryIndex();
    index.addAll(library);
    const counts = () => [
      index.headlinesWith(['volcano'], DAY, 7, none),
      index.headlinesWith(['volcano', 'flight'], DAY, 7, none),
      index.headlinesWith(['kardashian'], DAY, 7, none),
      index.headlinesWith(['kardashian'], DAY, 2, none),
      index.headlinesWith(['kardashian', 'volcano'], DAY, 7, none),
      // Between two days: the whole days within two of it (a word on more days than the window reads the window's).
      index.headlinesWith(['kardashian'], DAY + 0.5, 2, none),
    ];
    const expected = [
      { around: 5, onDay: 5 },
      { around: 5, onDay: 5 },
      { around: 13, onDay: 1 },
      { around: 5, onDay: 1 },
      { around: 0, onDay: 0 },
      { around: 4, onDay: 0 },
    ];
    expect(counts()).toEqual(expected);
    index.compact();
    expect(counts()).toEqual(expected);
    index = StoryIndex.roundTrip(index);
    expect(counts()).toEqual(expected);
  });

  it('leaves out reading history, removed articles, the excluded page and words only in the text', () => {
    const index = StoryIndex.build([...library, article('Volcano erupts, seen from my plane', 0, 'history')]);
    index.compact();
    const base = index.headlinesWith(['volcano'], DAY, 7, none);
    expect(base).toEqual({ around: 5, onDay: 5 });
    // Live additions after the segment: a history record and a text-only mention count for nothing.
    index.addAll([article('Volcano erupts again', 0, 'history'), { ...article('Airlines count the cost', 0), description: 'The volcano erupted overnight.' }]);
    expect(index.headlinesWith(['volcano'], DAY, 7, none)).toEqual(base);
    const extra = article('Second volcano erupts in Iceland', 1);
    index.addAll([extra]);
    expect(index.headlinesWith(['volcano'], DAY, 7, none)).toEqual({ around: base.around + 1, onDay: base.onDay });
    expect(index.headlinesWith(['volcano'], DAY, 7, new Set([extra.id, event[0].id]))).toEqual({ around: base.around - 1, onDay: base.onDay - 1 });
    index.remove(event[1].id);
    index.remove(extra.id);
    expect(index.headlinesWith(['volcano'], DAY, 7, none)).toEqual({ around: base.around - 1, onDay: base.onDay - 1 });
  });

  it("keeps each term's segment postings in ascending order (the conjunction's binary search reads them so)", () => {
    // After a merge too: documents kept from a segment with removals, then documents added.
    const index = StoryIndex.build(library);
    index.remove(event[2].id);
    index.remove(topic[3].id);
    index.addAll([article('Volcano erupts once more', 2), article('Kardashian volcano selfie', 3)]);
    const segment = index.compact();
    for (let t = 0; t < segment.terms.length; t++) {
      for (let p = segment.offsets[t] + 1; p < segment.offsets[t + 1]; p++) expect(segment.postings[p]).toBeGreaterThan(segment.postings[p - 1]);
    }
  });
});

describe('burst signals', () => {
  const index = StoryIndex.build(library);
  const value = (page: { title: string; publishedAt: string }, candidate: Article, name: (typeof SIGNALS)[number]) =>
    index.scoreStories({ ...page, source: 'Reader' }, candidate).signals[SIGNALS.indexOf(name)];

  it("reads an event's shared words as bursty on its day and a running topic's as spread out", () => {
    const eventPage = { title: 'Volcano erupts in Iceland', publishedAt: at(0) };
    const topicPage = { title: 'Kim Kardashian wedding dress revealed', publishedAt: at(0) };
    const topicToday = topic[6];
    expect(value(eventPage, event[1], 'wordDayShare')).toBeGreaterThan(0.7);
    expect(value(topicPage, topicToday, 'wordDayShare')).toBeLessThan(0.25);
    expect(value(topicPage, topicToday, 'wordWeek')).toBeGreaterThan(value(eventPage, event[1], 'wordWeek'));
  });

  it("never counts the page's own record: a page the library holds reads as one it lacks", () => {
    const page = event[0];
    const held = StoryIndex.build(library);
    const lacking = StoryIndex.build(library.filter((a) => a.id !== page.id));
    const signals = (i: StoryIndex, query: Partial<Article>) =>
      i.rank({ ...page, ...query }).map((c) => [c.id, c.signals.slice(SIGNALS.indexOf('wordDayShare'))]);
    expect(signals(held, {}).length).toBeGreaterThan(3);
    expect(signals(held, {})).toEqual(signals(lacking, {}));
    // Known by its URL alone, as a person's page is.
    expect(signals(held, { id: undefined, source: 'Another' })).toEqual(signals(lacking, { id: undefined, source: 'Another' }));
  });
});

describe("the candidate's own event (otherEvent)", () => {
  const index = StoryIndex.build(library);
  const value = (title: string, candidate: Article) =>
    index.scoreStories({ title, publishedAt: at(0), source: 'Reader' }, candidate).signals[SIGNALS.indexOf('otherEvent')];

  it('reads a candidate whose day-filling words the page lacks as another event, and one of the same event as not', () => {
    // Shares "Iceland" with the volcano story but not "volcano" or "erupts", which fill that day.
    const other = value('Cheap summer holidays in Iceland', event[1]);
    // The same event: what it lacks ("ash", "cloud") is in one other headline or none.
    const same = value('Volcano in Iceland erupts near Reykjavik, flights grounded', event[1]);
    expect(other).toBeGreaterThan(0.3);
    expect(same).toBeLessThan(0.15);
  });

  it('does not count the candidate itself: a word only it holds is no event', () => {
    const lone = article('Glacier lagoon tours in Iceland sell out', 0);
    const withLone = StoryIndex.build([...library, lone]);
    const signal = withLone.scoreStories({ title: 'Cheap summer holidays in Iceland', publishedAt: at(0), source: 'Reader' }, lone).signals;
    expect(signal[SIGNALS.indexOf('otherEvent')]).toBe(0);
  });

  it("leaves a candidate that is one of the page's own records out of its counts once, not twice", () => {
    // Two records of one page (one address): scored as a pair, b is both the candidate and the page's own.
    const url = 'https://x.example/rebhorn-story';
    const a = { ...article('Rebhorn dies aged 65', 0), url };
    const b = { ...article('Homeland actor James Rebhorn dies of skin cancer', 0), url };
    const others = ['Actor Rebhorn remembered', 'Rebhorn tributes pour in', 'Oil prices climb'].map((t) => article(t, 0));
    const otherEventOf = (candidate: Article) => StoryIndex.build([a, candidate, ...others]).scoreStories(a, candidate).signals[SIGNALS.indexOf('otherEvent')];
    // "actor" has one other headline that day, whichever address b has.
    const elsewhere = otherEventOf({ ...b, url: 'https://y.example/rebhorn' });
    expect(elsewhere).toBeGreaterThan(0.1);
    expect(otherEventOf(b)).toBeCloseTo(elsewhere, 10);
  });

  it('reads a running topic spread over the fortnight as no event of the day', () => {
    // "Kardashian" is in every day's headlines: the candidate's day holds two of fourteen.
    const withTopic = StoryIndex.build([...library, article('Kim Kardashian at the Met', 0)]);
    const page = { title: 'Wedding dress designers named', publishedAt: at(0), source: 'Reader' };
    expect(withTopic.scoreStories(page, topic[6]).signals[SIGNALS.indexOf('otherEvent')]).toBeLessThan(0.05);
  });
});
