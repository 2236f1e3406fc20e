import { describe, expect, it } from 'vitest';
import { discoverFeeds, FeedError, MAX_FEED_BYTES, parseFeed } from '../../src/corpus/feeds/parse';

const BASE = 'https://news.example/feeds/world.xml';

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Example &amp; World</title>
  <link>https://news.example/</link>
  <item>
    <title><![CDATA[Talks <b>resume</b> in Istanbul]]></title>
    <link>/world/talks</link>
    <guid isPermaLink="false">talks-1</guid>
    <pubDate>Mon, 02 Jun 2025 09:00:00 GMT</pubDate>
    <description>&lt;p&gt;Delegations meet &amp;eacute;t&amp;eacute; &amp;nbsp;again.&lt;/p&gt;</description>
    <media:thumbnail url="https://img.example/x.jpg"/>
  </item>
  <item>
    <title>Caf&#233; owners protest &eacute;lections</title>
    <link>javascript:alert(1)</link>
    <dc:date>2025-06-01T10:00:00+02:00</dc:date>
  </item>
  <item>
    <title>No date here</title>
    <link>https://news.example/no-date</link>
  </item>
  <item><description>An item with no title is dropped</description></item>
</channel></rss>`;

const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Atom &lt;i&gt;News&lt;/i&gt;</title>
  <link href="https://atom.example/" rel="alternate"/>
  <entry>
    <title>Quake hits coast</title>
    <link rel="self" href="https://atom.example/self/1"/>
    <link rel="alternate" href="https://atom.example/quake"/>
    <id>tag:atom.example,2025:1</id>
    <updated>2025-06-02T08:00:00Z</updated>
    <summary type="html">&lt;p&gt;Strong quake.&lt;/p&gt;</summary>
  </entry>
</feed>`;

const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Daily</title><link>https://rdf.example/</link></channel>
  <item rdf:about="https://rdf.example/a"><title>Parliament votes</title><link>https://rdf.example/a</link><dc:date>2025-06-02T07:00:00Z</dc:date></item>
</rdf:RDF>`;

const json = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'JSON News',
  items: [{ id: 1, url: 'https://json.example/1', title: 'Markets rally', date_published: '2025-06-02T06:00:00Z', content_html: '<p>Stocks <b>up</b></p>' }],
});

describe('feed formats', () => {
  it('reads RSS 2.0 with CDATA, entities, namespaces, relative links and missing dates', () => {
    const feed = parseFeed(rss, BASE);
    expect(feed.title).toBe('Example & World');
    expect(feed.items).toHaveLength(3);
    const [talks, cafe, noDate] = feed.items;
    expect(talks).toEqual({
      title: 'Talks resume in Istanbul',
      url: 'https://news.example/world/talks',
      guid: 'talks-1',
      publishedAt: '2025-06-02T09:00:00.000Z',
      description: 'Delegations meet été again.',
    });
    expect(cafe.title).toBe('Café owners protest élections');
    expect(cafe.url).toBeNull(); // javascript: links are dropped
    expect(cafe.publishedAt).toBe('2025-06-01T08:00:00.000Z'); // dc:date
    expect(noDate.publishedAt).toBeNull();
  });

  it('reads Atom, picking the alternate link', () => {
    const feed = parseFeed(atom, BASE);
    expect(feed.title).toBe('Atom News');
    expect(feed.items[0]).toMatchObject({
      title: 'Quake hits coast',
      url: 'https://atom.example/quake',
      guid: 'tag:atom.example,2025:1',
      description: 'Strong quake.',
    });
  });

  it('reads RSS 1.0 (RDF) and JSON Feed', () => {
    expect(parseFeed(rdf, BASE).items[0]).toMatchObject({ title: 'Parliament votes', url: 'https://rdf.example/a', guid: 'https://rdf.example/a' });
    expect(parseFeed(json, BASE).items[0]).toMatchObject({ title: 'Markets rally', guid: '1', description: 'Stocks up' });
  });

  it('accepts a BOM and a wrong charset declaration once decoded', () => {
    expect(parseFeed(`\ufeff${rss.replace('UTF-8', 'ISO-8859-1')}`, BASE).items).toHaveLength(3);
  });

  it('keeps hostile markup as text (RELIABILITY row 16)', () => {
    const hostile = rss.replace('Talks <b>resume</b> in Istanbul', '</style><script>alert(1)</script>"><svg onload=alert(1)> Talks');
    const title = parseFeed(hostile, BASE).items[0].title;
    expect(title).not.toMatch(/<script|<svg/);
    expect(title).toContain('Talks');
  });
});

describe('bad feeds give their error (RELIABILITY rows 18-24)', () => {
  const fails = (body: string) => {
    try {
      parseFeed(body, BASE);
    } catch (error) {
      expect(error).toBeInstanceOf(FeedError);
      return (error as FeedError).message;
    }
    throw new Error('expected a FeedError');
  };

  it('names an HTML page, JSON, an empty body and truncated XML', () => {
    expect(fails('<!DOCTYPE html><html><head><title>Oops</title></head><body>404</body></html>')).toBe('not a feed: got an HTML page');
    expect(fails('{"error": "nope"}')).toMatch(/not a feed: JSON/);
    expect(fails('')).toBe('not a feed: the response is empty');
    expect(fails('<rss version="2.0"><channel><title>Cut')).toMatch(/malformed XML|not a feed/);
    expect(fails('<html><body><p>hi</p></body></html>')).toBe('not a feed: got an HTML page');
    expect(fails('<note><to>x</to></note>')).toMatch(/XML root is <note>/);
  });

  it('refuses entity bombs and external entities without expanding them', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>`;
    expect(fails(laughs)).toMatch(/declares XML entities/);
    expect(
      fails(`<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&x;</title></item></channel></rss>`),
    ).toMatch(/declares XML entities/);
    expect(fails(`<!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/p.dtd"> %p;]><rss/>`)).toMatch(/declares XML entities/);
  });

  it('rejects a body over 5 MB and 20,000-deep nesting', () => {
    expect(fails(`<rss>${' '.repeat(MAX_FEED_BYTES)}</rss>`)).toMatch(/too large: \d+ MB over the 5 MB limit/);
    expect(fails(`<rss>${'<a>'.repeat(20_000)}${'</a>'.repeat(20_000)}</rss>`)).toMatch(/malformed XML/);
  });

  it('refuses prototype-polluting tag names without touching Object.prototype (row 21)', () => {
    expect(fails('<rss><channel><__proto__><polluted>yes</polluted></__proto__><item><title>Bad</title></item></channel></rss>')).toMatch(/malformed XML/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fails('<rss><channel><constructor>x</constructor><item><title>Bad</title></item></channel></rss>')).toMatch(/malformed XML/);
    // Other feeds are unaffected.
    expect(parseFeed(rss, BASE).items).toHaveLength(3);
  });

  it('does not let an entity named like a builtin shadow &lt; (row 22)', () => {
    const feed = parseFeed('<rss><channel><item><title>a &lt; b</title></item></channel></rss>', BASE);
    expect(feed.items[0].title).toBe('a < b');
  });
});

describe('feed discovery', () => {
  it('finds feeds a page advertises, resolved against the page', () => {
    const html = `<html><head>
      <link rel="stylesheet" href="/x.css">
      <link rel="alternate" type="application/rss+xml" title="World" href="/rss/world.xml">
      <link type='application/atom+xml' rel='alternate' href='https://cdn.example/atom'>
      <link rel="alternate" hreflang="fr" href="/fr/">
    </head></html>`;
    expect(discoverFeeds(html, 'https://site.example/news/')).toEqual(['https://site.example/rss/world.xml', 'https://cdn.example/atom']);
  });
});
