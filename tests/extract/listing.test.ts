import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findHeadlineLinks } from '../../src/extract/listing';
import { parseHtml } from '../../tools/dom';

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

  it.each(files)('%s: finds every headline and nothing else', (file) => {
    const { precision, recall, found, expected } = score(file);
    expect({ file, precision, recall }).toEqual({ file, precision: 1, recall: 1 });
    expect(found).toHaveLength(expected.size);
  });

  it('resolves links against the document base (<base href>), as the browser follows them, so a link back to the page is known as one', () => {
    const html = `<main><h2><a href="world/north-korea-troops-russia-report">North Korea has deployed thousands of troops to help Russia, report finds</a></h2>
      <h2><a href="world/ukraine-delegation-istanbul-talks">Ukraine will send a delegation to Istanbul for talks with Russia on Monday</a></h2></main>`;
    const pageUrl = 'https://news.example/world/north-korea-troops-russia-report';
    const doc = parseHtml(html, pageUrl);
    // With the base at the site's root, the first link is the page itself: not a headline to badge.
    const found = findHeadlineLinks(doc, pageUrl, new Set(), 'https://news.example/');
    expect(found.map((f) => f.url)).toEqual(['https://news.example/world/ukraine-delegation-istanbul-talks']);
    // Without it, relative to the page's own folder: two other addresses.
    expect(findHeadlineLinks(doc, pageUrl).map((f) => f.url)).toEqual([
      'https://news.example/world/world/north-korea-troops-russia-report',
      'https://news.example/world/world/ukraine-delegation-istanbul-talks',
    ]);
  });

  it('takes a wrapped card headline from its heading and the time from the card', () => {
    const doc = parseHtml(readFileSync(`${DIR}/wrapped.html`, 'utf8'), PAGE_URL);
    expect(findHeadlineLinks(doc, PAGE_URL)[0].text).toBe('Heatwave breaks November temperature record across the south');
    const grid = parseHtml(readFileSync(`${DIR}/card-grid.html`, 'utf8'), PAGE_URL);
    expect(findHeadlineLinks(grid, PAGE_URL)[0]).toMatchObject({ publishedAt: '2026-11-25T09:00:00.000Z' });
  });

  it("never lends one story's date to another headline of a wrapper (attack review, helper-38)", () => {
    const a = (path: string) => `<h3><a href="${path}">Parliament approves the new budget after a long debate ${path}</a></h3>`;
    const wrapper = parseHtml(
      `<body><div class="news-items"><div>${a('/a/one')}</div><div>${a('/a/two')}<time datetime="2019-05-01">1 May</time></div></div></body>`,
      PAGE_URL,
    );
    expect(findHeadlineLinks(wrapper, PAGE_URL).map((l) => l.publishedAt)).toEqual([null, null]);
    const body = parseHtml(
      `<body class="template-story"><header><time datetime="2019-05-01">1 May</time></header><div>${a('/a/one')}</div><div>${a('/a/two')}</div></body>`,
      PAGE_URL,
    );
    expect(findHeadlineLinks(body, PAGE_URL).map((l) => l.publishedAt)).toEqual([null, null]);
    // Each in its own card: each its own date.
    const cards = parseHtml(
      `<body><ul><li>${a('/a/one')}<time datetime="2019-05-01T10:00:00Z">1 May</time></li><li>${a('/a/two')}<time datetime="2019-05-02">2 May</time></li></ul></body>`,
      PAGE_URL,
    );
    expect(findHeadlineLinks(cards, PAGE_URL).map((l) => l.publishedAt)).toEqual(['2019-05-01T10:00:00.000Z', '2019-05-02T00:00:00.000Z']);
    // A section label above the headline is no second story (review, helper-39).
    const labelled = (day: number) =>
      `<article class="item"><div class="item-info"><h3 class="slug"><a href="/sections/politics/">Politics</a></h3><h2 class="title"><a href="/2024/01/${day}/takeaways">Five takeaways from the debate on the budget, part ${day}</a></h2><p><time datetime="2024-01-${day}">${day} January</time></p></div></article>`;
    const sections = parseHtml(`<body><main>${labelled(15)}${labelled(16)}</main></body>`, PAGE_URL);
    expect(findHeadlineLinks(sections, PAGE_URL).map((l) => l.publishedAt)).toEqual(['2024-01-15T00:00:00.000Z', '2024-01-16T00:00:00.000Z']);
  });

  it('remembers which containers are navigation per pass, without one link’s answer leaking to another', () => {
    const story = (path: string, n: number) => `<h3><a href="${path}">Parliament approves the new budget after a long debate, part ${n}</a></h3>`;
    const html = `<body><nav>${story('/nav-a', 1)}<div>${story('/nav-b', 2)}</div></nav><main>${story('/main-a', 3)}<div class="promo-box">${story('/promo', 4)}</div>${story('/main-b', 5)}</main><footer>${story('/foot', 6)}</footer></body>`;
    const urls = (doc: Document) => findHeadlineLinks(doc, PAGE_URL).map((l) => new URL(l.url).pathname);
    expect(urls(parseHtml(html, PAGE_URL))).toEqual(['/main-a', '/main-b']);
    // The same links in the other order: main first, then navigation.
    const reversed = html.replace(
      /<nav>.*<\/nav>(<main>.*<\/main>)/,
      (_, main: string) => `${main}<nav>${story('/nav-a', 1)}<div>${story('/nav-b', 2)}</div></nav>`,
    );
    expect(reversed.indexOf('<main>')).toBeLessThan(reversed.indexOf('<nav>'));
    expect(urls(parseHtml(reversed, PAGE_URL))).toEqual(['/main-a', '/main-b']);
  });

  it('looks only at the subtree it is given (infinite scroll adds nodes)', () => {
    const doc = parseHtml(readFileSync(`${DIR}/list.html`, 'utf8'), PAGE_URL);
    const items = doc.querySelectorAll('ol.stories li');
    expect(findHeadlineLinks(items[1], PAGE_URL).map((l) => l.url)).toEqual(['https://science.example/gene-therapy-trial']);
  });
});
