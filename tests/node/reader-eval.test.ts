import { describe, expect, it } from 'vitest';
import type { LabelledArticle } from '../../tools/articles-file';
import { BENCH_REDATINGS, benchPages, pageOf, storyInterval, trainingPages, type JudgedPage } from '../../tools/reader-eval';

const article = (id: string, story: string, publishedAt: string): LabelledArticle => ({
  id,
  title: `Headline ${id}`,
  source: 'Outlet',
  publishedAt,
  url: `https://news.example/${id}`,
  kind: 'import',
  story,
});

// A March library of 1,000 stories with three reports each (training takes 2,000 as pages), and April pages of 40 other stories.
const library = Array.from({ length: 3000 }, (_, i) => article(`m${i}`, `march-${i % 1000}`, `2014-03-${String(10 + (i % 15)).padStart(2, '0')}T00:00:00Z`));
const later = Array.from({ length: 400 }, (_, i) => article(`a${i}`, `april-${i % 40}`, '2014-04-12T00:00:00Z'));

describe('the pages the bench judges', () => {
  it('never include an article training learned from', () => {
    const training = trainingPages(library, later);
    const bench = benchPages(library, later);
    const trained = new Set([...training.covered, ...training.orphans].map((p) => p.article.id));
    expect(training.orphans.length).toBeGreaterThan(0);
    expect(bench.orphans.length).toBeGreaterThan(0);
    expect(bench.covered.length).toBeGreaterThan(0);
    expect([...bench.covered, ...bench.orphans].filter((p) => trained.has(p.article.id))).toEqual([]);
  });

  it('re-date each draw of orphan articles into the library days, at most four a story a draw', () => {
    const { orphans } = benchPages(library, later);
    const libraryDays = new Set(library.map((a) => a.publishedAt!.slice(0, 10)));
    for (const p of orphans) expect(libraryDays.has(p.page.publishedAt!.slice(0, 10))).toBe(true);
    // 40 stories, 4 a story, minus what training took (2 a story) leaves 8 of each: all four kept.
    expect(orphans.length).toBe(40 * 4 * BENCH_REDATINGS);
  });
});

describe('storyInterval', () => {
  const pages = (stories: string[]): JudgedPage[] =>
    stories.map((story, i) => {
      const a = article(`p${i}`, story, '2014-03-12T00:00:00Z');
      return { article: a, page: pageOf(a) };
    });

  it('gives the share over pages, and an interval around it', () => {
    const p = pages(Array.from({ length: 100 }, (_, i) => `s${i}`));
    const r = storyInterval(
      p,
      p.map((_, i) => i < 10),
    );
    expect(r.share).toBeCloseTo(0.1);
    expect(r.stories).toBe(100);
    expect(r.low).toBeLessThan(0.1);
    expect(r.high).toBeGreaterThan(0.1);
    expect(r.low).toBeGreaterThan(0.02);
  });

  it('is wider when the same pages come from few stories, which stand or fall together', () => {
    const many = pages(Array.from({ length: 100 }, (_, i) => `s${i}`));
    const few = pages(Array.from({ length: 100 }, (_, i) => `s${i % 10}`));
    const spread = (r: { low: number; high: number }) => r.high - r.low;
    const independent = storyInterval(
      many,
      many.map((_, i) => i % 10 === 0),
    );
    const clustered = storyInterval(
      few,
      few.map((p) => p.article.story === 's0'),
    );
    expect(clustered.share).toBeCloseTo(independent.share);
    expect(clustered.stories).toBe(10);
    expect(spread(clustered)).toBeGreaterThan(2 * spread(independent));
  });
});
