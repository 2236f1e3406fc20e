import { describe, expect, it } from 'vitest';
import type { Article, ArticleKind } from '../../src/core/article';
import { StoryIndex } from '../../src/index/engine';

let n = 0;
const article = (title: string, kind: ArticleKind = 'import'): Article => ({
  id: `h${++n}`,
  title,
  source: `Outlet ${n}`,
  publishedAt: '2014-03-20T09:00:00.000Z',
  url: `https://news${n}.example/${n}`,
  kind,
});

const library = [
  'Volcano erupts near Reykjavik, flights grounded',
  'Iceland volcano erupts, ash cloud grounds flights',
  'Oil prices climb on supply worries',
  'Tesla opens new factory in Nevada',
].map((t) => article(t));
const read = [article('Volcano ash grounds every flight in Iceland', 'history'), article('Tesla factory tour: what we saw', 'history')];

describe('removing reading history from a saved segment, with no pass over its postings (privacy review, helper-23)', () => {
  it('leaves every statistic and score as they were, and the entry gone', () => {
    const withHistory = new StoryIndex();
    withHistory.addAll([...library, ...read]);
    withHistory.compact();
    const without = new StoryIndex();
    without.addAll(library);
    without.compact();
    const query = { title: 'Volcano erupts in Iceland, flights grounded', publishedAt: '2014-03-20T12:00:00.000Z' };
    const view = (index: StoryIndex) => ({
      documents: index.documentCount,
      df: ['volcano', 'flight', 'tesla'].map((t) => index.documentFrequency(t)),
      around: index.headlinesWith(['volcano'], Date.parse('2014-03-20T00:00:00Z') / 86_400_000, 7, new Set()),
      scores: index.rank(query).map((c) => [c.id, c.score]),
    });
    const before = view(without);
    withHistory.removeAll(read.map((a) => a.id));
    expect(view(withHistory)).toEqual(before);
    for (const a of read) expect(withHistory.has(a.id)).toBe(false);
    // Read again after the removal, a page's history entry is stored anew.
    withHistory.addAll([read[0]]);
    expect(withHistory.has(read[0].id)).toBe(true);
    expect(view(withHistory).df).toEqual(before.df);
  });
});
