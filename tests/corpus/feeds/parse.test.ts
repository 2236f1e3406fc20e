import { describe, expect, it, vi } from 'vitest';
import { discoverFeeds, FeedError, isWebPage, markupCount, MAX_ATTRIBUTES, MAX_ITEMS, MAX_LINK, MAX_MARKUP, parseFeed } from '../../../src/corpus/feeds/parse';
import * as text from '../../../src/corpus/feeds/text';

// Counts the cleaning calls, so a test can tell items were capped before they were cleaned.
vi.mock('../../../src/corpus/feeds/text', async (original) => {
  const actual = await original<typeof import('../../../src/corpus/feeds/text')>();
  return { ...actual, htmlToText: vi.fn(actual.htmlToText) };
});

const BASE = 'https://news.example/feed.xml';
const JSON_FEED = 'https://jsonfeed.org/version/1.1';
const rss = (items: string, head = '') => `${head}<rss version="2.0"><channel><title>Wire</title>${items}</channel></rss>`;
const jsonFeed = (items: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ version: JSON_FEED, title: 'J', items, ...extra });

/** Parses, and turns anything but a FeedError into a test failure with its name. */
function outcome(body: string): string {
  try {
    return `ok:${parseFeed(body, BASE).items.length}`;
  } catch (error) {
    if (error instanceof FeedError) return `FeedError:${error.info.code}`;
    return `ESCAPED ${(error as Error).name}: ${(error as Error).message}`;
  }
}

function deepJson(depth: number, leaf: string): string {
  return `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;
}

describe('parseFeed lets only FeedError out (issue 9, finding 9)', () => {
  it('skips a null JSON Feed item, and items that are not objects, keeping the rest', () => {
    const feed = parseFeed(jsonFeed([null, 3, 'x', [], true, { title: 'Kept', url: 'https://j.example/1' }]), BASE);
    expect(feed.items.map((i) => i.title)).toEqual(['Kept']);
  });

  it('refuses a 20,000-deep title object with a FeedError', () => {
    const body = `{"version":"${JSON_FEED}","items":[{"title":${deepJson(20_000, '"x"')}}]}`;
    expect(() => parseFeed(body, BASE)).toThrow(FeedError);
    expect(() => parseFeed(body, BASE)).toThrow(/nested more than/);
  });

  it('ignores JSON Feed fields of the wrong type instead of failing', () => {
    const feed = parseFeed(
      jsonFeed([{ title: { a: 'b' } }, { title: 7 }, { title: 'Real', date_published: 5, content_html: ['x'] }], { title: { x: 1 } }),
      BASE,
    );
    expect(feed.title).toBeNull();
    expect(feed.items).toEqual([{ title: 'Real', url: null, guid: null, publishedAt: null, description: null }]);
  });

  it.each([
    ['JSON with items as an object', jsonFeed([]).replace('"items":[]', '"items":{"0":{"title":"x"}}'), 'ok:0'],
    ['empty <item/> elements', rss('<item/><item></item><item>text</item><item><title>T</title></item>'), 'ok:1'],
    ['a channel that is text', '<rss><channel>just text</channel></rss>', 'ok:0'],
    ['an rss root with text only', '<rss>hello</rss>', 'FeedError:feedWrongRoot'],
    ['a title with only markup', rss('<item><title>&lt;b&gt;&lt;/b&gt;</title></item>'), 'ok:0'],
    ['deeply nested XML', `<rss>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</rss>`, 'FeedError:feedMalformedXml'],
    ['a 20,000-deep JSON item', jsonFeed([]).replace('"items":[]', `"items":[${deepJson(20_000, '1')}]`), 'FeedError:feedTooDeep'],
    ['a JSON array', '[1,2]', 'FeedError:feedNotXmlOrJson'],
    ['JSON null after a brace check', '{"version":null}', 'FeedError:feedJsonNoVersion'],
    ['an Atom entry that is text', '<feed xmlns="http://www.w3.org/2005/Atom"><entry>x</entry><entry><title>T</title></entry></feed>', 'ok:1'],
    ['RDF with odd item attributes', '<rdf:RDF><item rdf:about=""><title>T</title></item></rdf:RDF>', 'ok:1'],
  ])('%s', (_name, body, expected) => {
    expect(outcome(body)).toBe(expected);
  });
});

describe('parseFeed accepts what real servers send', () => {
  it('accepts a newline or spaces before the XML declaration, after a BOM too', () => {
    const body = rss('<item><title>First</title></item>', '<?xml version="1.0" encoding="UTF-8"?>\n');
    expect(parseFeed(`\n${body}`, BASE).items).toHaveLength(1);
    expect(parseFeed(`\ufeff \r\n\t${body}`, BASE).items).toHaveLength(1);
  });

  it('strips bidi overrides, isolates and NUL from titles, typed or as references', () => {
    const feed = parseFeed(rss('<item><title>Safe\u202e txt.exe &#x202E;gnp&#8295; e\u0000nd</title></item>'), BASE);
    expect(feed.items[0].title).toBe('Safe txt.exe gnp end');
    const json = parseFeed(jsonFeed([{ title: 'A\u0000B\u2066C\u202dD' }], { title: 'T\u202eitle' }), BASE);
    expect(json.items[0].title).toBe('ABCD');
    expect(json.title).toBe('Title');
  });
});

describe('hostile feed text stays cheap (issue 9, finding 1)', () => {
  it('reads the attack feeds of the issue, keeping their items', () => {
    const script = parseFeed(rss(`<item><title>Hi</title><description><![CDATA[${'<script '.repeat(40_000)}]]></description></item>`), BASE);
    expect(script.items[0]).toMatchObject({ title: 'Hi', description: null });
    const entity = parseFeed(rss(`<item><title>Hi</title><description>${'&lt;a'.repeat(40_000)}</description></item>`), BASE);
    expect(entity.items[0].description).toHaveLength(600);
    const json = parseFeed(jsonFeed([{ title: 'Hi', content_html: '<a'.repeat(40_000) }]), BASE);
    expect(json.items[0]).toMatchObject({ title: 'Hi', description: null });
    expect(discoverFeeds('<link '.repeat(20_000), 'https://site.example/')).toEqual([]);
    expect(discoverFeeds(`<link rel="alternate" title="${'<link '.repeat(20_000)}`, 'https://site.example/')).toEqual([]);
  });

  const longFeed = (count: number, broken?: number) =>
    rss(
      Array.from(
        { length: count },
        (_, i) =>
          `<item><title>Story ${i}</title><link>https://news.example/${i}</link><description>&lt;p&gt;Text of story ${i} &amp;amp; more.&lt;/p&gt;</description>${i === broken ? '<oops>' : ''}</item>\n`,
      ).join(''),
    );

  it('cleans only the items it keeps: a 7,000-item feed costs what a 500-item feed does', () => {
    const clean = vi.mocked(text.htmlToText);
    clean.mockClear();
    const feed = parseFeed(longFeed(7_000), BASE);
    expect(feed.items).toHaveLength(MAX_ITEMS);
    expect(feed.items[499].title).toBe('Story 499');
    // A title and a description per kept item, and the feed's title; 14,001 before the fix.
    expect(clean.mock.calls.length).toBe(2 * MAX_ITEMS + 1);
  });

  it('does not even parse items far past the cap: a broken 7,000th item does not matter', () => {
    expect(parseFeed(longFeed(7_000, 6_999), BASE).items).toHaveLength(MAX_ITEMS);
    // Within the items it reads, broken XML is still refused.
    expect(outcome(longFeed(7_000, 10))).toBe('FeedError:feedMalformedXmlAt');
    // And a feed cut off after its last item is still refused as malformed, not read in part.
    expect(outcome(longFeed(7_000).replace('</channel></rss>', ''))).toBe('FeedError:feedMalformedXmlAt');
  });
});

describe('a hostile feed cannot break links, fill storage, stall the worker or show empty links (feed attack, helper-29)', () => {
  it('decodes character references in links, guids and hrefs, as a browser reads them', () => {
    const link = 'https://news.example/article.php?id=5&amp;cat=2';
    expect(parseFeed(rss(`<item><title>A</title><link>${link}</link><guid isPermaLink="false">a&amp;b</guid></item>`), BASE).items[0]).toMatchObject({
      url: 'https://news.example/article.php?id=5&cat=2',
      guid: 'a&b',
    });
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><id>tag:x&amp;y</id><link href="${link}"/></entry></feed>`;
    expect(parseFeed(atom, BASE).items[0]).toMatchObject({ url: 'https://news.example/article.php?id=5&cat=2', guid: 'tag:x&y' });
    const rdf = `<rdf:RDF><item rdf:about="${link}"><title>A</title><link>${link}</link></item></rdf:RDF>`;
    expect(parseFeed(rdf, BASE).items[0]).toMatchObject({
      url: 'https://news.example/article.php?id=5&cat=2',
      guid: 'https://news.example/article.php?id=5&cat=2',
    });
    // A query parameter that looks like a legacy entity name stays a parameter.
    expect(parseFeed(rss('<item><title>A</title><link>https://news.example/a?x=1&amp;copy=2</link></item>'), BASE).items[0].url).toBe(
      'https://news.example/a?x=1&copy=2',
    );
  });

  it('keeps no link or guid longer than MAX_LINK, in XML or JSON', () => {
    const long = `https://news.example/${'a'.repeat(MAX_LINK)}`;
    const item = parseFeed(rss(`<item><title>A</title><link>${long}</link><guid>${'g'.repeat(MAX_LINK + 1)}</guid></item>`), BASE).items[0];
    expect(item).toMatchObject({ title: 'A', url: null, guid: null });
    const json = parseFeed(jsonFeed([{ title: 'J', url: long, id: 'i'.repeat(MAX_LINK + 1) }]), BASE).items[0];
    expect(json).toMatchObject({ url: null, guid: null });
    const fine = `https://news.example/${'a'.repeat(200)}`;
    expect(parseFeed(jsonFeed([{ title: 'J', url: fine, id: 7 }]), BASE).items[0]).toMatchObject({ url: fine, guid: '7' });
  });

  it('refuses a feed of more markup than MAX_MARKUP before validating it, and counts no CDATA', () => {
    expect(markupCount('<a x="1" y="2"><![CDATA[<b><c>]]><d/></a>')).toBe(5);
    expect(markupCount('<a>'.repeat(10), 3)).toBe(4);
    const attributes = (n: number) => `<item ${Array.from({ length: n }, (_, i) => `a${i}="1"`).join(' ')}><title>T</title></item>`;
    expect(markupCount(attributes(MAX_ATTRIBUTES))).toBe(MAX_ATTRIBUTES + 4);
    expect(markupCount(attributes(MAX_ATTRIBUTES + 1))).toBe(MAX_MARKUP + 1);
    expect(outcome(rss(attributes(MAX_ATTRIBUTES + 1)))).toBe('FeedError:feedTooComplex');
    // Read as the parser reads: a quoted ">" or "=", a comment or a processing instruction hides nothing (review, helper-31).
    expect(markupCount(`<item q=">" ${attributes(MAX_ATTRIBUTES + 1).slice(6)}`)).toBe(MAX_MARKUP + 1);
    expect(markupCount('<a t="x=y">')).toBe(2);
    expect(markupCount(`<!-- ${'='.repeat(300)} > <![CDATA[ -->${'<x/>'.repeat(10)}`)).toBe(11);
    expect(markupCount(`<?pi > <![CDATA[ ?>${'<x/>'.repeat(10)}`)).toBe(11);
    for (const prefix of ['<!-- > <![CDATA[ -->', '<?pi > <![CDATA[ ?>']) {
      expect(outcome(rss(`${prefix}${'<x/>'.repeat(MAX_MARKUP + 1)}`))).toBe('FeedError:feedTooComplex');
    }
    expect(outcome(rss(`<!-- ${'='.repeat(300)} --><item><title>T</title></item>`))).toBe('ok:1');
    for (const junk of [
      '<?a?>'.repeat(MAX_MARKUP + 1),
      '<x/>'.repeat(MAX_MARKUP + 1),
      `<item ${Array.from({ length: MAX_MARKUP + 1 }, (_, i) => `a${i}="1"`).join(' ')}><title>T</title></item>`,
    ]) {
      expect(outcome(rss(junk))).toBe('FeedError:feedTooComplex');
    }
    // A rich feed with HTML in CDATA is far under it.
    const rich = Array.from(
      { length: MAX_ITEMS },
      (_, i) => `<item><title>T${i}</title><description><![CDATA[${'<p>x</p>'.repeat(100)}]]></description></item>`,
    ).join('');
    expect(outcome(rss(rich))).toBe(`ok:${MAX_ITEMS}`);
  });

  it('drops items whose title a reader would not see', () => {
    const blank = [
      '&#x200B;',
      '&#x200C;&#x200D;',
      '&#x2060;',
      '&#xAD;',
      '&#x3164;',
      '&#x2800;',
      '&#x180E;',
      '&#x34F;',
      '&#x200E;&#x200F;',
      '&#x61C;',
      '&#xFFFC;',
      '&#x1D173;',
    ];
    const items = blank.map((t) => `<item><title>${t}</title><link>https://news.example/x</link></item>`).join('');
    expect(outcome(rss(items))).toBe('ok:0');
    expect(parseFeed(rss('<item><title>🔥&#x200D;🚒</title></item><item><title>Zürich&#x200B;</title></item>'), BASE).items.map((i) => i.title)).toHaveLength(
      2,
    );
  });
});

describe('a followed address is a web page to look in, or a feed (attack review, helper-21)', () => {
  it('reads the first element, not the Content-Type or the word "html" anywhere near the top', () => {
    const declared = '<?xml version="1.0"?>\n<!-- made by hand -->\n<rss version="2.0"><channel><title>T</title>';
    expect(isWebPage(declared, 'text/html; charset=utf-8')).toBe(false);
    expect(isWebPage('\ufeff<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">A &amp; B</title>', 'application/atom+xml')).toBe(false);
    expect(isWebPage('{"version":"https://jsonfeed.org/version/1.1","items":[]}', 'text/html')).toBe(false);
    expect(isWebPage('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', 'text/xml')).toBe(false);
    expect(isWebPage('<!DOCTYPE html>\n<html><head><link rel="alternate" type="application/rss+xml" href="/feed">', 'application/xml')).toBe(true);
    expect(isWebPage('  <!-- hi --><html lang="en">', 'text/plain')).toBe(true);
    // Neither a page nor a feed at the top: the Content-Type decides.
    expect(isWebPage('<div>fragment</div>', 'text/html')).toBe(true);
    expect(isWebPage('<div>fragment</div>', 'application/xml')).toBe(false);
  });
});

describe('discoverFeeds reads link tags in one pass', () => {
  it('reads quoted values holding ">", unquoted values, any attribute order, and stops at a tag that never ends', () => {
    const html = `<LINK title="a > b" rel=alternate type="application/rss+xml" href=/one.xml>
      <link href='/two.xml' type='application/atom+xml' rel='ALTERNATE stylesheet'/>
      <linkx rel="alternate" type="application/rss+xml" href="/no.xml">
      <link rel="alternate" type="application/feed+json" href="/three.json?a=1&amp;b=2">
      <link rel="alternate" type="application/rss+xml" href="/never.xml`;
    expect(discoverFeeds(html, 'https://site.example/news/')).toEqual([
      'https://site.example/one.xml',
      'https://site.example/two.xml',
      'https://site.example/three.json?a=1&b=2',
    ]);
  });

  it('keeps at most 20 feeds and never a non-web link', () => {
    const many = Array.from({ length: 50 }, (_, i) => `<link rel="alternate" type="application/rss+xml" href="/f${i}.xml">`).join('');
    expect(discoverFeeds(many, 'https://site.example/')).toHaveLength(20);
    expect(discoverFeeds('<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">', 'https://site.example/')).toEqual([]);
  });
});
