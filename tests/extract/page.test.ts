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
      publishedAt: '2025-05-31T09:00:00.000Z',
      lang: 'en',
    });
  });
});

describe('odd and hostile pages (attack review, helper-38)', () => {
  const og = (title: string, extra = '') => page(`<meta property="og:title" content="${title}"><meta property="og:type" content="article">${extra}`);

  it.each([
    ['Ukraine war - Ceasefire talks collapse', 'https://www.bbc.co.uk/news/world-123456', '', 'Ukraine war - Ceasefire talks collapse'],
    ['Coronavirus - Live updates', 'https://www.bbc.co.uk/news/live-1', '', 'Coronavirus - Live updates'],
    ['Labor | Company tax cut is coming', 'https://www.smh.com.au/politics/federal/tax-1', '', 'Labor | Company tax cut is coming'],
    ['Trump - Iran deal is dead', 'https://www.ad.nl/buitenland/iran~a1/', '', 'Trump - Iran deal is dead'],
    ['New York - Mayor resigns', 'https://nypost.com/2026/11/29/mayor/', '<meta property="og:site_name" content="New York Post">', 'New York - Mayor resigns'],
    // The site's name is still taken off, in full or in part, at either end.
    ['Storm hits coast - BBC News', 'https://www.bbc.co.uk/news/uk-1', '', 'Storm hits coast'],
    ['Storm hits coast - BBC', 'https://www.bbc.com/news/uk-1', '<meta property="og:site_name" content="BBC News">', 'Storm hits coast'],
    [
      'Storm hits coast | The Sydney Morning Herald',
      'https://www.smh.com.au/national/storm-1',
      '<meta property="og:site_name" content="The Sydney Morning Herald">',
      'Storm hits coast',
    ],
    ['Ars Technica - Chip makers cut prices', 'https://arstechnica.com/gadgets/2026/11/chips/', '', 'Chip makers cut prices'],
    ['Storm hits coast - ABC News', 'https://www.abc.net.au/news/2026-11-29/storm/1', '', 'Storm hits coast'],
    ['Storm hits coast - The Washington Post', 'https://www.washingtonpost.com/weather/2026/11/29/storm/', '', 'Storm hits coast'],
    ['Sports overtime - Storm delays kickoff', 'https://time.com/7000001/storm/', '', 'Sports overtime - Storm delays kickoff'],
    // Names glued where the case or the script changes (review, helper-39).
    ['Trump says he will sign the bill - CNNPolitics', 'https://edition.cnn.com/2017/12/20/politics/bill/', '', 'Trump says he will sign the bill'],
    [
      'Storm hits coast | Guardian',
      'https://www.theguardian.com/world/2026/storm',
      '<meta property="og:site_name" content="The Guardian">',
      'Storm hits coast',
    ],
    ['台風が上陸 - Yahoo!ニュース', 'https://news.yahoo.co.jp/articles/abc', '', '台風が上陸'],
    ['YouTube star arrested - BBC News', 'https://www.bbc.co.uk/news/uk-2', '', 'YouTube star arrested'],
  ])('the headline %s on %s is read as %s', (title, url, extra, headline) => {
    expect(readPageMeta(og(title, extra), url).headline).toBe(headline);
  });
});

describe('what a page states about its date and its kind (attack review, helper-38)', () => {
  const story = (head: string, url = 'https://news.example/2026/11/budget') =>
    readPageMeta(page(`<title>Council approves new budget for schools</title><meta property="og:type" content="article">${head}`), url);

  it.each([
    ['<meta name="date" content="12 March">', null],
    ['<meta name="date" content="10.03.2024">', '2024-03-10T00:00:00.000Z'],
    ['<meta name="date" content="03/10/2024">', null],
    ['<meta property="article:published_time" content="2024-02-31">', null],
    ['<meta property="article:published_time" content="Tue, 10 Mar 2024 10:00:00 GMT">', '2024-03-10T10:00:00.000Z'],
    ['<meta property="article:published_time" content="2024-03-10 10:00:00 +0100">', '2024-03-10T09:00:00.000Z'],
    // A junk date passes to the next one the page states.
    [
      '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Council approves new budget","datePublished":"Invalid date"}</script><meta property="article:published_time" content="2019-05-01T10:00:00Z">',
      '2019-05-01T10:00:00.000Z',
    ],
  ])('%s is read as %s', (head, date) => {
    expect(story(head).publishedAt).toBe(date);
  });

  it("a front page's list of articles is not an article, and a long block does not hide the page's own", () => {
    const list = `<script type="application/ld+json">{"@type":"ItemList","itemListElement":[{"@type":"ListItem","position":1,"item":{"@type":"NewsArticle","headline":"Storm hits coast","url":"https://news.example/2024/storm","datePublished":"2019-01-01T00:00:00Z"}}]}</script>`;
    const front = readPageMeta(page(`<title>News Example</title><meta property="og:type" content="website">${list}`), 'https://news.example/');
    expect(front).toMatchObject({ isArticle: false, canonicalUrl: null, publishedAt: null });
    // 250 people in a first block's @graph: the walk's cap was shared, and the second block went unread.
    const people = `<script type="application/ld+json">{"@graph":[${Array.from({ length: 250 }, (_, i) => `{"@type":"Person","name":"Reporter ${i}"}`).join(',')}]}</script>`;
    const own =
      '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Minister resigns over budget row","datePublished":"2026-11-28T08:00:00Z"}</script>';
    const article = readPageMeta(
      page(`<title>Minister resigns over budget row</title><meta property="og:type" content="website">${people}${own}`),
      'https://news.example/politics/minister-resigns',
    );
    expect(article).toMatchObject({ isArticle: true, headline: 'Minister resigns over budget row', publishedAt: '2026-11-28T08:00:00.000Z' });
  });

  it('a date the page states in a form it cannot read still says it is an article', () => {
    const one = readPageMeta(
      page('<title>Council approves new budget for schools</title><meta name="date" content="10 März 2024">', '<p>One paragraph.</p>'),
      'https://news.example/2024/03/10/budget.html',
    );
    expect(one).toMatchObject({ isArticle: true, publishedAt: null });
  });
});

describe('hostile page fields (attack review, helper-38)', () => {
  const doc = (head: string, body = '') => page(`<meta property="og:type" content="article">${head}`, body);

  it('passes over a headline of control characters to the next one the page states', () => {
    const m = readPageMeta(
      doc(
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"\\u0001\\u0002\\u0003"}</script><meta property="og:title" content="Council approves new budget">',
      ),
      'https://news.example/a',
    );
    expect(m.headline).toBe('Council approves new budget');
  });

  it('reads addresses decoded once, against the base, without user names', () => {
    const og = readPageMeta(
      doc('<meta property="og:title" content="Budget"><meta property="og:url" content="https://news.example/story.php?id=5&amp;section=world&amp;region=eu">'),
      'https://news.example/story.php?id=5',
    );
    expect(og.canonicalUrl).toBe('https://news.example/story.php?id=5&section=world&region=eu');
    const ld = readPageMeta(
      doc(
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget","url":"https://news.example/story.php?id=5&amp;section=world"}</script>',
      ),
      'https://news.example/story.php?id=5',
    );
    expect(ld.canonicalUrl).toBe('https://news.example/story.php?id=5&section=world');
    const based = readPageMeta(
      doc('<base href="https://news.example/"><link rel="canonical" href="world/2024/story-slug.html"><title>Budget</title>'),
      'https://news.example/world/2024/story-slug.html',
    );
    expect(based.canonicalUrl).toBe('https://news.example/world/2024/story-slug.html');
    const credentials = readPageMeta(
      doc('<link rel="canonical" href="https://www.bbc.co.uk@evil.example/news/1"><title>Budget</title>'),
      'https://evil.example/news/1',
    );
    expect(credentials.canonicalUrl).toBe('https://evil.example/news/1');
  });

  it('writes en_US as en-US and passes over a value that is no language', () => {
    expect(readPageMeta(load('<html lang="fr_FR"><head><title>Budget</title></head></html>'), 'https://news.example/a').lang).toBe('fr-FR');
    expect(
      readPageMeta(load('<html lang="??"><head><title>Budget</title><meta property="og:locale" content="de_DE"></head></html>'), 'https://news.example/a').lang,
    ).toBe('de-DE');
  });
});
