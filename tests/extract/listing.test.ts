import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findHeadlineLinks } from '../../src/extract/listing';
import { parseHtml } from '../../src/node/dom';

const DIR = 'tests/fixtures/listing';
const PAGE_URL = 'https://front.example/';

function score(file: string) {
  const doc = parseHtml(readFileSync(`${DIR}/${file}`, 'utf8'), PAGE_URL);
  const expected = new Set([...doc.querySelectorAll('a[data-expect="headline"]')].map((a) => new URL(a.getAttribute('href')!, PAGE_URL).href));
  const found = findHeadlineLinks(doc, PAGE_URL);
  const hits = found.filter((f) => expected.has(f.url)).length;
  return { found, expected, precision: found.length ? hits / found.length : 0, recall: expected.size ? hits / expected.size : 0 };
}

describe('headline links on listing pages', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.html'));

  it('covers several layouts', () => {
    expect(files.sort()).toEqual(['card-grid.html', 'headings.html', 'list.html', 'wrapped.html']);
  });

  it.each(files)('%s: finds every headline and nothing else', (file) => {
    const { precision, recall, found, expected } = score(file);
    expect({ file, precision, recall }).toEqual({ file, precision: 1, recall: 1 });
    expect(found).toHaveLength(expected.size);
  });

  it('reports precision and recall over all fixtures', () => {
    let hits = 0;
    let found = 0;
    let expected = 0;
    for (const file of files) {
      const r = score(file);
      hits += r.found.filter((f) => r.expected.has(f.url)).length;
      found += r.found.length;
      expected += r.expected.size;
    }
    expect(hits / found).toBeGreaterThanOrEqual(0.95);
    expect(hits / expected).toBeGreaterThanOrEqual(0.95);
  });

  it('takes a wrapped card headline from its heading and the time from the card', () => {
    const doc = parseHtml(readFileSync(`${DIR}/wrapped.html`, 'utf8'), PAGE_URL);
    expect(findHeadlineLinks(doc, PAGE_URL)[0].text).toBe('Heatwave breaks November temperature record across the south');
    const grid = parseHtml(readFileSync(`${DIR}/card-grid.html`, 'utf8'), PAGE_URL);
    expect(findHeadlineLinks(grid, PAGE_URL)[0]).toMatchObject({ publishedAt: '2026-11-25T09:00:00.000Z' });
  });

  it('looks only at the subtree it is given (infinite scroll adds nodes)', () => {
    const doc = parseHtml(readFileSync(`${DIR}/list.html`, 'utf8'), PAGE_URL);
    const items = doc.querySelectorAll('ol.stories li');
    expect(findHeadlineLinks(items[1], PAGE_URL).map((l) => l.url)).toEqual(['https://science.example/gene-therapy-trial']);
  });
});
