import { describe, expect, it } from 'vitest';
import { readJsonLd } from '../../src/extract/json-ld';
import { readPage } from '../../src/extract/page';
import { parseHtml } from '../../tools/dom';

const page = (ld: string) =>
  parseHtml(
    `<html><head><title>Ministers agree on a new budget deal</title><script type="application/ld+json">${ld}</script></head>
     <body><h1>Ministers agree on a new budget deal</h1><p>One.</p><p>Two.</p><p>Three.</p></body></html>`,
    'https://news.example/budget',
  );

const nested = (key: string, depth: number, leaf: string) => `${`{"${key}":`.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

describe('JSON-LD on hostile pages (issue 9, finding 10)', () => {
  it('does not throw out of readPage on a 20,000-deep headline; the page falls back to its other titles', () => {
    const doc = page(`{"@type":"NewsArticle","headline":${nested('name', 20_000, '"Deep"')},"datePublished":"2025-06-02"}`);
    // Before: RangeError (Maximum call stack size exceeded), which ended the page session.
    expect(readPage(doc, 'https://news.example/budget')).toMatchObject({
      headline: 'Ministers agree on a new budget deal',
      publishedAt: '2025-06-02T00:00:00.000Z',
    });
  });

  it('still reads a headline a few levels down, and arrays of them', () => {
    expect(readJsonLd(page('{"@type":"NewsArticle","headline":{"@value":"Wrapped headline"}}'))?.headline).toBe('Wrapped headline');
    expect(readJsonLd(page('{"@type":"NewsArticle","headline":[["Listed headline"]]}'))?.headline).toBe('Listed headline');
  });

  it('bounds the walk: deep @graph chains and huge arrays are cut, the article near the top is found', () => {
    const deepGraph = nested('@graph', 20_000, '{"@type":"NewsArticle","headline":"Too deep"}');
    expect(readJsonLd(page(deepGraph))).toBeNull();
    const wide = `[${Array.from({ length: 100_000 }, () => '{"@type":"Thing"}').join(',')},{"@type":"NewsArticle","headline":"Last"}]`;
    expect(readJsonLd(page(wide))).toBeNull();
    const usual =
      '{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},{"@type":"WebPage","mainEntity":{"@type":"NewsArticle","headline":"Found"}}]}';
    expect(readJsonLd(page(usual))?.headline).toBe('Found');
  });

  it('keeps document order: the first article of the page wins', () => {
    const two = '[{"@type":"WebPage","hasPart":{"@type":"NewsArticle","headline":"First"}},{"@type":"NewsArticle","headline":"Second"}]';
    expect(readJsonLd(page(two))?.headline).toBe('First');
  });
});
