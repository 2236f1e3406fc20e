import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { safeHttpUrl } from '../../core/links';
import { htmlToText } from './text';

/** One entry of a feed, parsed and cleaned; not yet an Article. */
export interface FeedItem {
  title: string;
  url: string | null;
  guid: string | null;
  publishedAt: string | null;
  description: string | null;
}

export interface ParsedFeed {
  title: string | null;
  /** The site the feed belongs to, when it says. */
  siteUrl: string | null;
  items: FeedItem[];
}

export type FeedErrorKind = 'not-a-feed' | 'too-large' | 'unsafe' | 'malformed';

export class FeedError extends Error {
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

/** Bodies over this are refused before parsing (RELIABILITY row 23). */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
export const MAX_ITEMS = 500;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  // Entities are decoded by our own decoder afterwards; no DTD entity is ever expanded.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: false,
  maxNestedTags: 64,
  removeNSPrefix: false,
  isArray: (name) => ['item', 'entry', 'link', 'category', 'outline'].includes(name),
});

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (typeof value === 'object') {
    const node = value as Node;
    if ('#text' in node) return text(node['#text']);
    // XHTML content in Atom: take the text of its children.
    const parts = Object.entries(node)
      .filter(([k]) => !k.startsWith('@'))
      .map(([, v]) => text(v))
      .filter(Boolean);
    return parts.length ? parts.join(' ') : null;
  }
  return null;
}

function isoDate(value: unknown): string | null {
  const raw = text(value)?.trim();
  if (!raw) return null;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function clean(value: unknown, max = 600): string | null {
  const raw = text(value);
  if (!raw) return null;
  const cleaned = htmlToText(raw, max);
  return cleaned || null;
}

/** Strips a BOM and anything before the first tag, then checks the body is XML and not an HTML page. */
function classify(body: string): 'json' | 'xml' {
  const head = body.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('{')) return 'json';
  if (/^(<!doctype html|<html[\s>])/.test(head) || (/<html[\s>]/.test(head) && !/<(rss|feed|rdf:rdf)[\s>]/.test(head))) {
    throw new FeedError('not-a-feed', 'not a feed: got an HTML page');
  }
  if (!head.startsWith('<')) {
    throw new FeedError('not-a-feed', head ? 'not a feed: the response is neither XML nor JSON' : 'not a feed: the response is empty');
  }
  return 'xml';
}

/**
 * Parses RSS 2.0, RSS 1.0 (RDF), Atom 1.0 or JSON Feed 1.x text into items. Relative links are
 * resolved against the feed's URL; only http(s) links are kept. Throws FeedError with a message a
 * person can read; never anything else.
 */
export function parseFeed(body: string, feedUrl: string): ParsedFeed {
  if (body.length > MAX_FEED_BYTES) {
    throw new FeedError('too-large', `too large: ${(body.length / 1048576).toFixed(0)} MB over the 5 MB limit`);
  }
  const source = body.replace(/^\ufeff/, '');
  if (classify(source) === 'json') return parseJsonFeed(source, feedUrl);
  // Entity declarations have no business in a news feed: refuse them outright (billion laughs, XXE).
  if (/<!ENTITY/i.test(source.slice(0, 65536))) {
    throw new FeedError('unsafe', 'refused: the feed declares XML entities');
  }
  // fast-xml-parser's parser accepts unclosed tags; its validator does not (RELIABILITY row 24).
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    throw new FeedError('malformed', `malformed XML at line ${valid.err.line}: ${valid.err.msg.slice(0, 120)}`);
  }
  let doc: Node;
  try {
    doc = parser.parse(source) as Node;
  } catch (error) {
    throw new FeedError('malformed', `malformed XML: ${String((error as Error).message).split('\n')[0].slice(0, 120)}`);
  }
  const rss = doc.rss as Node | undefined;
  if (rss && typeof rss === 'object') return parseRss((rss.channel as Node) ?? {}, feedUrl);
  const atom = doc.feed as Node | undefined;
  if (atom && typeof atom === 'object') return parseAtom(atom, feedUrl);
  const rdf = (doc['rdf:RDF'] ?? doc.RDF) as Node | undefined;
  if (rdf && typeof rdf === 'object') return parseRdf(rdf, feedUrl);
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  throw new FeedError('not-a-feed', root ? `not a feed: the XML root is <${root}>, not <rss>, <feed> or <rdf:RDF>` : 'not a feed: no XML elements');
}

function checkItems(items: FeedItem[]): FeedItem[] {
  return items.filter((i) => i.title).slice(0, MAX_ITEMS);
}

function rssItem(item: Node, base: string): FeedItem {
  const guid = text(item.guid);
  const link = safeHttpUrl(text(item.link), base);
  const permalinkGuid = (item.guid as Node | undefined)?.['@isPermaLink'] !== 'false' ? safeHttpUrl(guid, base) : null;
  return {
    title: clean(item.title, 300) ?? '',
    url: link ?? permalinkGuid,
    guid: guid?.trim() || null,
    publishedAt: isoDate(item.pubDate) ?? isoDate(item['dc:date']) ?? isoDate(item['a10:updated']),
    description: clean(item.description) ?? clean(item['content:encoded']) ?? clean((item['media:description'] as unknown) ?? null),
  };
}

function parseRss(channel: Node, base: string): ParsedFeed {
  const items = ((channel.item as Node[] | undefined) ?? []).map((i) => rssItem(i, base));
  return { title: clean(channel.title, 200), siteUrl: safeHttpUrl(text(channel.link), base), items: checkItems(items) };
}

function parseRdf(rdf: Node, base: string): ParsedFeed {
  const channel = (rdf.channel as Node) ?? {};
  const items = ((rdf.item as Node[] | undefined) ?? []).map((item) => ({
    ...rssItem(item, base),
    guid: (item['@rdf:about'] as string | undefined) ?? text(item.link),
  }));
  return { title: clean(channel.title, 200), siteUrl: safeHttpUrl(text(channel.link), base), items: checkItems(items) };
}

function atomLink(links: unknown, base: string): string | null {
  const list = (Array.isArray(links) ? links : [links]).filter(Boolean) as (Node | string)[];
  const pick =
    list.find((l) => typeof l === 'object' && (!l['@rel'] || l['@rel'] === 'alternate')) ?? list.find((l) => typeof l === 'object');
  if (typeof pick === 'object') return safeHttpUrl(pick['@href'], base);
  return safeHttpUrl(typeof list[0] === 'string' ? list[0] : null, base);
}

function parseAtom(feed: Node, base: string): ParsedFeed {
  const entries = (feed.entry as Node[] | undefined) ?? [];
  const items = entries.map((entry) => ({
    title: clean(entry.title, 300) ?? '',
    url: atomLink(entry.link, base),
    guid: text(entry.id)?.trim() || null,
    publishedAt: isoDate(entry.published) ?? isoDate(entry.updated) ?? isoDate(entry['dc:date']),
    description: clean(entry.summary) ?? clean(entry.content),
  }));
  return { title: clean(feed.title, 200), siteUrl: atomLink(feed.link, base), items: checkItems(items) };
}

function parseJsonFeed(source: string, base: string): ParsedFeed {
  let feed: Node;
  try {
    feed = JSON.parse(source) as Node;
  } catch {
    throw new FeedError('malformed', 'malformed JSON');
  }
  if (typeof feed.version !== 'string' || !feed.version.startsWith('https://jsonfeed.org/version/1')) {
    throw new FeedError('not-a-feed', 'not a feed: JSON without a JSON Feed "version"');
  }
  const items = (Array.isArray(feed.items) ? (feed.items as Node[]) : []).map((item) => ({
    title: clean(item.title, 300) ?? '',
    url: safeHttpUrl(item.url, base) ?? safeHttpUrl(item.external_url, base),
    guid: typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : null,
    publishedAt: isoDate(item.date_published) ?? isoDate(item.date_modified),
    description: clean(item.summary) ?? clean(item.content_text, 600) ?? clean(item.content_html),
  }));
  return { title: clean(feed.title, 200), siteUrl: safeHttpUrl(feed.home_page_url, base), items: checkItems(items) };
}

/** Feed URLs a web page advertises with <link rel="alternate" type="application/rss+xml">. */
export function discoverFeeds(html: string, pageUrl: string): string[] {
  const found: string[] = [];
  for (const tag of html.slice(0, 500_000).match(/<link\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
    const value = (name: string) => {
      const m = attr(name);
      return m ? (m[2] ?? m[3] ?? m[4] ?? '') : '';
    };
    if (!/\balternate\b/i.test(value('rel'))) continue;
    if (!/(rss|atom|rdf|feed)\+xml|application\/feed\+json/i.test(value('type'))) continue;
    const href = safeHttpUrl(value('href').replace(/&amp;/g, '&'), pageUrl);
    if (href && !found.includes(href)) found.push(href);
  }
  return found;
}
