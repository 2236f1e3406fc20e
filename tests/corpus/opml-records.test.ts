import { describe, expect, it } from 'vitest';
import { exportOpml, OpmlError, parseOpml } from '../../src/corpus/feeds/opml';
import { STARTER_FEEDS } from '../../src/corpus/feeds/starter';
import { parseJsonl } from '../../src/corpus/jsonl';
import { fromFeedItem, fromPage, pruneList, toExportLine, toStored } from '../../src/corpus/records';
import { sameHost } from '../../src/core/links';

describe('OPML', () => {
  it('reads nested outlines and round-trips through export', () => {
    const opml = `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
      <outline text="News"><outline text="World &amp; More" type="rss" xmlUrl="https://a.example/rss"/>
        <outline text="Deep"><outline title="Tech" xmlUrl="https://b.example/atom?x=1&amp;y=2"/></outline></outline>
      <outline text="Bad link" xmlUrl="javascript:alert(1)"/>
      <outline text="Duplicate" xmlUrl="https://a.example/rss"/></body></opml>`;
    const feeds = parseOpml(opml);
    expect(feeds).toEqual([
      { url: 'https://a.example/rss', title: 'World & More' },
      { url: 'https://b.example/atom?x=1&y=2', title: 'Tech' },
    ]);
    expect(parseOpml(exportOpml(feeds))).toEqual(feeds);
    expect(parseOpml(exportOpml(STARTER_FEEDS))).toHaveLength(STARTER_FEEDS.length);
  });

  it('rejects a bad file with the reason', () => {
    expect(() => parseOpml('<opml><body><outline')).toThrow(OpmlError);
    expect(() => parseOpml('<rss></rss>')).toThrow(/not OPML/);
    expect(() => parseOpml('<opml><body><outline text="x"/></body></opml>')).toThrow(/no feeds/);
    expect(() => parseOpml('<!DOCTYPE o [<!ENTITY x "y">]><opml><body/></opml>')).toThrow(/entities/);
  });
});

describe('stored articles', () => {
  const now = new Date('2025-06-02T12:00:00Z');
  const feed = { id: 'f0000000000001', title: 'Example', url: 'https://news.example/rss' };

  it('dedupes by canonical URL, then URL, then feed GUID: an updated item replaces the old one', () => {
    const a = fromFeedItem({ title: 'Old title', url: 'https://news.example/a?utm_source=rss', guid: 'g1', publishedAt: null, description: null }, feed, now);
    const b = fromFeedItem({ title: 'New title', url: 'https://www.news.example/a', guid: 'g2', publishedAt: null, description: null }, feed, now);
    expect(b.id).toBe(a.id);
    const c = fromFeedItem({ title: 'No link', url: null, guid: 'g9', publishedAt: null, description: null }, feed, now);
    const d = fromFeedItem({ title: 'No link, edited', url: null, guid: 'g9', publishedAt: null, description: null }, feed, now);
    expect(d.id).toBe(c.id);
    expect(d.id).not.toBe(a.id);
  });

  it('prunes by retention, then the oldest beyond the cap, never seeds', () => {
    const day = (d: number) => new Date(Date.UTC(2025, 5, d)).toISOString();
    const articles = [
      { id: 'seed', kind: 'seed' as const, sortAt: day(1) },
      { id: 'old', kind: 'feed' as const, sortAt: day(1) },
      { id: 'mid', kind: 'feed' as const, sortAt: day(20) },
      { id: 'new', kind: 'history' as const, sortAt: day(25) },
      { id: 'newest', kind: 'import' as const, sortAt: day(26) },
    ];
    const at = Date.UTC(2025, 5, 27);
    expect(pruneList(articles, { retentionDays: 10, maxArticles: 100, now: at }).sort()).toEqual(['old']);
    // Room for two: of the feed and import articles (neither the seed nor history is counted), the oldest goes.
    expect(pruneList(articles, { retentionDays: 100, maxArticles: 3, now: at })).toEqual([]);
    expect(pruneList(articles, { retentionDays: 100, maxArticles: 2, now: at }).sort()).toEqual(['old']);
    expect(pruneList(articles, { retentionDays: 100, maxArticles: 1, now: at }).sort()).toEqual(['mid', 'old']);
    expect(pruneList(articles, { retentionDays: 100, maxArticles: 100, now: at })).toEqual([]);
  });

  it('leaves reading history out of the size cap: pages read never push out what badges show (privacy review, helper-23)', () => {
    const at = Date.UTC(2025, 5, 27);
    const day = (d: number) => new Date(Date.UTC(2025, 5, d)).toISOString();
    const articles = [
      { id: 'feed-old', sortAt: day(20), kind: 'feed' as const },
      { id: 'feed-new', sortAt: day(21), kind: 'feed' as const },
      ...[22, 23, 24].map((d) => ({ id: `read-${d}`, sortAt: day(d), kind: 'history' as const })),
      { id: 'old-read', sortAt: day(1), kind: 'history' as const },
    ];
    // Room for the two feed articles: the history beside them changes nothing; only retention takes history.
    expect(pruneList(articles, { retentionDays: 10, maxArticles: 2, now: at }).sort()).toEqual(['old-read']);
    expect(pruneList(articles, { retentionDays: 10, maxArticles: 1, now: at }).sort()).toEqual(['feed-old', 'old-read']);
  });

  it('exports in the shared/data article format and imports it back', () => {
    const stored = toStored(
      { kind: 'import', title: 'A headline', source: 'Outlet', url: 'https://x.example/a', publishedAt: '2014-03-10T00:00:00.000Z', description: 'd' },
      now,
    );
    const line = toExportLine(stored);
    expect(JSON.parse(line)).toEqual({
      id: stored.id,
      title: 'A headline',
      source: 'Outlet',
      publishedAt: '2014-03-10T00:00:00.000Z',
      url: 'https://x.example/a',
      description: 'd',
    });
    expect(parseJsonl(line, 'import').articles[0]).toMatchObject({ title: 'A headline', url: 'https://x.example/a' });
  });
});

describe('JSONL import', () => {
  it('keeps good lines and reports bad ones by line number', () => {
    const text = [
      '{"id":"1","title":"Good one","source":"S","publishedAt":"2014-03-10T00:00:00Z","url":"http://a.example/1","story":"x"}',
      'not json',
      '',
      '{"id":"3","source":"S"}',
      '{"id":"4","title":"Bad date","source":"S","publishedAt":"yesterday"}',
      '{"id":"5","title":"Good two","source":"S","publishedAt":null,"url":"javascript:alert(1)"}',
      // A date that does not say which year is no date (review, helper-39): it was 12 March 2001.
      '{"id":"6","title":"Day without year","source":"S","publishedAt":"12 March"}',
    ].join('\n');
    const report = parseJsonl(text, 'import');
    expect(report.articles.map((a) => a.title)).toEqual(['Good one', 'Good two']);
    expect(report.articles[1].url).toBeNull();
    expect(report.bad).toEqual([
      { line: 2, error: 'not valid JSON' },
      { line: 4, error: '"title" must be a non-empty string' },
      { line: 5, error: '"publishedAt" must be an ISO date-time' },
      { line: 7, error: '"publishedAt" must be an ISO date-time' },
    ]);
  });

  it('removes control and bidi-override characters from imported text, as from feeds and pages', () => {
    const line = (title: string, extra = {}) => JSON.stringify({ id: 'x', title, source: 'Wire\u202eService', publishedAt: null, url: null, ...extra });
    const text = [line('Storm \u202egnisolc\u202c roads\u0000 shut', { description: 'Line one\n\u2066two\u2069' }), line('\u202e\u0007 ')].join('\n');
    const report = parseJsonl(text, 'import');
    expect(report.articles).toHaveLength(1);
    expect(report.articles[0]).toMatchObject({ title: 'Storm gnisolc roads shut', source: 'Wire Service', description: 'Line one two' });
    // A title of nothing but such characters is no title.
    expect(report.bad).toEqual([{ line: 2, error: '"title" must be a non-empty string' }]);
  });

  it('refuses a title a reader would not see: zero-width, blank letters and marks only (helper-30)', () => {
    const line = (title: string) => JSON.stringify({ id: 'x', title, source: 'S', publishedAt: null, url: 'https://x.example/a' });
    const report = parseJsonl([line('\u2060\u3164\u2800\u00ad'), line('\u200b\u200d\u034f'), line('Zürich\u200b votes')].join('\n'), 'import');
    expect(report.articles).toHaveLength(1);
    expect(report.bad.map((b) => b.line)).toEqual([1, 2]);
  });
});

describe('a history entry is stored under the page’s own site (privacy review, helper-23)', () => {
  const page = (url: string, canonicalUrl: string | null) => ({
    url,
    headline: 'A headline',
    description: null,
    siteName: 'Site',
    canonicalUrl,
    publishedAt: null,
    lang: null,
  });
  const now = new Date('2026-11-28T10:00:00Z');

  it('keeps a canonical address on the same site, and drops one on another site', () => {
    expect(fromPage(page('https://www.bbc.co.uk/news/1?ref=x', 'https://bbc.co.uk/news/1'), now).canonicalUrl).toBe('https://bbc.co.uk/news/1');
    expect(fromPage(page('https://amp.example.com/a', 'https://example.com/a'), now).canonicalUrl).toBe('https://example.com/a');
    // A page naming another site's article as its own: its entry is its own, not that article's.
    const hostile = fromPage(page('https://evil.example/probe', 'https://news.example/secret-story'), now);
    expect(hostile.canonicalUrl).toBeNull();
    expect(hostile.id).toBe(fromPage(page('https://evil.example/probe', null), now).id);
    expect(hostile.id).not.toBe(fromPage(page('https://news.example/secret-story', null), now).id);
    expect(fromPage(page('https://news.co.uk/a', 'https://other.co.uk/a'), now).canonicalUrl).toBeNull();
  });

  it('tells sites apart by their host, www., m. and amp. aside: another subdomain of a shared platform is another site (attack review)', () => {
    expect(sameHost('https://www.bbc.co.uk/x', 'https://bbc.co.uk/y')).toBe(true);
    expect(sameHost('https://m.bbc.co.uk/x', 'https://www.bbc.co.uk/y')).toBe(true);
    expect(sameHost('https://bbc.co.uk/x', 'https://bbc.com/x')).toBe(false);
    expect(sameHost('https://evil.substack.com/p/x', 'https://victim.substack.com/p/x')).toBe(false);
    expect(sameHost('https://a.co.uk/x', 'https://b.co.uk/x')).toBe(false);
    expect(sameHost('not a url', 'https://b.example/')).toBe(false);
    // The history entry of a page on one subdomain never takes another's id.
    const hostile = fromPage(page('https://evil.substack.com/p/probe', 'https://victim.substack.com/p/secret'), now);
    expect(hostile.canonicalUrl).toBeNull();
    expect(hostile.id).not.toBe(fromPage(page('https://victim.substack.com/p/secret', null), now).id);
  });
});
