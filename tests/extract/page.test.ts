import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPage, readPageMeta, stripSiteName } from '../../src/extract/page';
import { parseHtml } from '../../tools/dom';

interface Expected {
  page: string;
  title: string;
  siteName: string | null;
  publishedTime: string | null;
}

const expected: Expected[] = readFileSync('tests/fixtures/pages/expected.jsonl', 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

const load = (html: string) => parseHtml(html);

const normalise = (s: string) => s.normalize('NFKC').replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

describe('headline and metadata from saved real pages (Readability test pages)', () => {
  const fixtures = expected.filter((row) => {
    try {
      readFileSync(`tests/fixtures/pages/${row.page}`);
      return true;
    } catch {
      return false;
    }
  });

  it('has at least five fixture pages', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
  });

  it.each(fixtures.map((row) => [row.page, row] as const))('%s', (name, row) => {
    const meta = readPageMeta(load(readFileSync(`tests/fixtures/pages/${name}`, 'utf8')), null);
    const title = normalise(row.title);
    const bare = title.split(/\s+[|\-–—]\s+|\s*_\s*/)[0];
    expect([title, bare]).toContain(normalise(meta.headline ?? ''));
    if (row.siteName) expect(meta.siteName).toBe(row.siteName);
    if (row.publishedTime) {
      const same = Date.parse(meta.publishedAt ?? '') === Date.parse(row.publishedTime) || meta.publishedAt?.slice(0, 16) === row.publishedTime.slice(0, 16);
      expect(same, `${meta.publishedAt} vs ${row.publishedTime}`).toBe(true);
    }
    expect(meta.isArticle).toBe(true);
  });
});

const page = (head: string, body = '') => load(`<html><head>${head}</head><body>${body}</body></html>`);

describe('headline sources in order', () => {
  it('passes over a source a reader would not see: zero-width or blank characters only (helper-30)', () => {
    const blank = '&#x200B;&#x2060;&#x3164;&#x2800;';
    expect(readPageMeta(page(`<meta property="og:title" content="${blank}">`, '<h1>The real headline</h1>'), null).headline).toBe('The real headline');
    expect(readPageMeta(page(`<meta property="og:title" content="${blank}"><title>${blank}</title>`), null).headline).toBeNull();
  });

  it('prefers JSON-LD, then og:title, then twitter:title, then <h1>, then the title', () => {
    const ld =
      '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},{"@type":["NewsArticle"],"headline":"From JSON-LD &amp; more","datePublished":"2025-01-02T03:04:05+01:00"}]}</script>';
    expect(readPageMeta(page(`${ld}<meta property="og:title" content="OG">`), null).headline).toBe('From JSON-LD & more');
    expect(readPageMeta(page('<meta property="og:title" content="From OG"><meta name="twitter:title" content="TW">'), null).headline).toBe('From OG');
    expect(readPageMeta(page('<meta name="twitter:title" content="From Twitter">', '<h1>H1 here</h1>'), null).headline).toBe('From Twitter');
    expect(readPageMeta(page('<title>The heading of the article | Example News</title>', '<h1>The heading of the article</h1>'), null).headline).toBe(
      'The heading of the article',
    );
    // An <h1> that shares nothing with the title is a section label, not the headline.
    expect(readPageMeta(page('<title>Babies who eat peanuts early may avoid allergy</title>', '<h1>Allergies Health Center</h1>'), null).headline).toBe(
      'Babies who eat peanuts early may avoid allergy',
    );
  });

  it('strips a site name from the title only where it names the site', () => {
    expect(stripSiteName('Storm hits coast | Example News', ['Example News'])).toBe('Storm hits coast');
    expect(stripSiteName('BBC News - Storm hits coast', ['BBC'])).toBe('Storm hits coast');
    expect(stripSiteName('Storm hits coast - live updates', ['Example News'])).toBe('Storm hits coast - live updates');
    expect(stripSiteName('Storm hits coast – example.com', ['example.com', 'example'])).toBe('Storm hits coast');
  });

  it('reads a page with no headline at all as not an article', () => {
    expect(readPage(page(''), 'https://news.example/x')).toBeNull();
    expect(readPage(page('<meta property="og:type" content="website"><title>Example News</title>'), 'https://news.example/')).toBeNull();
  });

  it('tells front pages, search pages and video pages from articles', () => {
    const paras = '<p>One paragraph of text.</p><p>Another paragraph.</p><p>A third one here.</p>';
    const story = '<title>Council approves new budget for schools</title>';
    expect(
      readPageMeta(
        page(`${story}<meta property="og:type" content="website">`, `<h1>Council approves new budget for schools</h1>${paras}`),
        'https://news.example/',
      ).isArticle,
    ).toBe(false);
    expect(readPageMeta(page(story, `<h1>Council approves new budget for schools</h1>${paras}`), 'https://news.example/search?q=budget').isArticle).toBe(false);
    expect(readPageMeta(page(story, `<h1>Council approves new budget for schools</h1>${paras}`), 'https://news.example/search/budget').isArticle).toBe(false);
    expect(
      readPageMeta(
        page(`${story}<meta property="og:type" content="video.other">`, '<h1>Council approves new budget for schools</h1>'),
        'https://v.example/watch/1',
      ).isArticle,
    ).toBe(false);
    expect(readPageMeta(page(story, `<h1>Council approves new budget for schools</h1>${paras}`), 'https://news.example/2026/11/budget').isArticle).toBe(true);
  });

  it('reads the demo-style article page fully', () => {
    const doc = page(
      `<meta property="og:type" content="article"><meta property="og:title" content="A headline here"><meta property="og:site_name" content="Outlet"><meta name="description" content="Lede."><meta property="article:published_time" content="2025-05-31T09:00:00Z"><link rel="canonical" href="/canonical"><html lang="en">`,
      '<h1>A headline here</h1>',
    );
    expect(readPage(doc, 'https://news.example/a?utm=1')).toEqual({
      url: 'https://news.example/a?utm=1',
      headline: 'A headline here',
      description: 'Lede.',
      siteName: 'Outlet',
      canonicalUrl: 'https://news.example/canonical',
      publishedAt: '2025-05-31T09:00:00Z',
      lang: 'en',
    });
  });
});
