import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { safeHttpUrl } from '../../core/links';
import { statedDate } from '../../core/time';
import { decodeAttribute, hasVisibleText } from '../../extract/entities';
import { CodedError, type AppError } from '../../messaging/errors';
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

/**
 * A feed that cannot be read: its code (`info`) for the options page, which puts it in the
 * person's language, and the same in English as its message, for `npm run feed` and the logs.
 */
export class FeedError extends CodedError {
  constructor(info: AppError, message: string) {
    super(info, message);
    this.name = 'FeedError';
  }
}

/** Bodies over this are refused before parsing (RELIABILITY row 23). */
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
export const MAX_ITEMS = 500;

/** A body over MAX_FEED_BYTES, its size in megabytes given to `digits` decimals. */
export function tooLarge(bytes: number, digits: number): FeedError {
  const size = (bytes / 1048576).toFixed(digits);
  const limit = MAX_FEED_BYTES / 1048576;
  return new FeedError({ code: 'fetchTooLarge', size: Number(size), limit }, `too large: ${size} MB over the ${limit} MB limit`);
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  // Entities are decoded afterwards, by the entities package in htmlToText; no DTD entity is ever expanded.
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

/** Deepest nesting `text` follows (Atom XHTML content); deeper parts are left out. */
const MAX_TEXT_DEPTH = 16;

function text(value: unknown, depth = 0): string | null {
  if (value === undefined || value === null || depth > MAX_TEXT_DEPTH) return null;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return text(value[0], depth + 1);
  if (typeof value === 'object') {
    const node = value as Node;
    if ('#text' in node) return text(node['#text'], depth + 1);
    // XHTML content in Atom: take the text of its children.
    const parts = Object.entries(node)
      .filter(([k]) => !k.startsWith('@'))
      .map(([, v]) => text(v, depth + 1))
      .filter(Boolean);
    return parts.length ? parts.join(' ') : null;
  }
  return null;
}

function isoDate(value: unknown): string | null {
  return statedDate(text(value));
}

function clean(value: unknown, max = 600): string | null {
  const raw = text(value);
  if (!raw) return null;
  const cleaned = htmlToText(raw, max);
  return cleaned || null;
}

/**
 * Longest link or guid kept from a feed. An article's address is a few hundred characters; a
 * longer one is junk, or a feed filling the person's storage (the library caps articles, not bytes).
 */
export const MAX_LINK = 2048;

/** A JSON Feed link or id: a string (or a number, for an id) no longer than MAX_LINK. */
function capped(value: unknown): string | null {
  const raw = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return raw && raw.length <= MAX_LINK ? raw : null;
}

/**
 * An XML feed's link, guid or href as the feed means it: character references decoded, so
 * `?id=5&amp;cat=2` is `?id=5&cat=2` (as OPML attributes are read), and no longer than MAX_LINK.
 */
function linkText(value: unknown): string | null {
  const raw = capped(text(value));
  return raw === null ? null : decodeAttribute(raw);
}

/** Strips a BOM and anything before the first tag, then checks the body is XML and not an HTML page. */
function classify(body: string): 'json' | 'xml' {
  const head = body.slice(0, 2048).trimStart().toLowerCase();
  if (head.startsWith('{')) return 'json';
  if (/^(<!doctype html|<html[\s>])/.test(head) || (/<html[\s>]/.test(head) && !/<(rss|feed|rdf:rdf)[\s>]/.test(head))) {
    throw new FeedError({ code: 'feedIsHtml' }, 'not a feed: got an HTML page');
  }
  if (!head.startsWith('<')) {
    throw head
      ? new FeedError({ code: 'feedNotXmlOrJson' }, 'not a feed: the response is neither XML nor JSON')
      : new FeedError({ code: 'feedEmpty' }, 'not a feed: the response is empty');
  }
  return 'xml';
}

/**
 * Parses RSS 2.0, RSS 1.0 (RDF), Atom 1.0 or JSON Feed 1.x text into items. Relative links are
 * resolved against the feed's URL; only http(s) links are kept. Throws FeedError with its code and
 * reason; never anything else (a surprise inside the parser becomes a feedUnreadable FeedError).
 */
export function parseFeed(body: string, feedUrl: string): ParsedFeed {
  if (body.length > MAX_FEED_BYTES) {
    throw tooLarge(body.length, 0);
  }
  try {
    return parseChecked(body, feedUrl);
  } catch (error) {
    if (error instanceof FeedError) throw error;
    const detail = String((error as Error)?.message ?? error)
      .split('\n')[0]
      .slice(0, 120);
    throw new FeedError({ code: 'feedUnreadable', detail }, `could not read the feed: ${detail}`);
  }
}

function parseChecked(body: string, feedUrl: string): ParsedFeed {
  // A BOM, and blank lines some servers print before the XML declaration, are not part of the feed.
  const source = body.replace(/^\ufeff/, '').trimStart();
  if (classify(source) === 'json') return parseJsonFeed(source, feedUrl);
  // Entity declarations have no business in a news feed: refuse them outright (billion laughs, XXE).
  if (/<!ENTITY/i.test(source.slice(0, 65536))) {
    throw new FeedError({ code: 'feedEntities' }, 'refused: the feed declares XML entities');
  }
  // fast-xml-parser's parser accepts unclosed tags; its validator does not (RELIABILITY row 24).
  // A long feed is read up to its first items only; when the cut does not make a valid document
  // (an odd feed, a CDATA section that mentions </item>), the whole feed is read after all.
  let xml = firstItemsOnly(source);
  let valid = validate(xml);
  if (valid !== true && xml !== source) {
    xml = source;
    valid = validate(xml);
  }
  if (valid !== true) {
    const detail = valid.err.msg.slice(0, 120);
    throw new FeedError({ code: 'feedMalformedXmlAt', line: valid.err.line, detail }, `malformed XML at line ${valid.err.line}: ${detail}`);
  }
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (error) {
    const detail = String((error as Error).message)
      .split('\n')[0]
      .slice(0, 120);
    throw new FeedError({ code: 'feedMalformedXml', detail }, `malformed XML: ${detail}`);
  }
  const rss = doc.rss as Node | undefined;
  if (rss && typeof rss === 'object') return parseRss(isNode(rss.channel) ? rss.channel : {}, feedUrl);
  const atom = doc.feed as Node | undefined;
  if (atom && typeof atom === 'object') return parseAtom(atom, feedUrl);
  const rdf = (doc['rdf:RDF'] ?? doc.RDF) as Node | undefined;
  if (rdf && typeof rdf === 'object') return parseRdf(rdf, feedUrl);
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  throw root
    ? new FeedError({ code: 'feedWrongRoot', element: root.slice(0, 100) }, `not a feed: the XML root is <${root}>, not <rss>, <feed> or <rdf:RDF>`)
    : new FeedError({ code: 'feedNoElements' }, 'not a feed: no XML elements');
}

/**
 * Most markup (tags, processing instructions and comments, and attributes, outside CDATA) a feed
 * may hold in what is parsed. 600 items of a rich feed use about 40,000; the XML validator and
 * parser take some 4 µs each (a 5 MB feed of empty elements or of attributes on one item held the
 * worker for 4-10 s at every poll, and parsed "fine", so it never backed off).
 */
export const MAX_MARKUP = 100_000;

/** Most attributes one element may have: a feed's root declares a few dozen namespaces at most. */
export const MAX_ATTRIBUTES = 256;

/**
 * Tags and attributes, counted in one forward pass up to `limit` (then it stops); over `limit` at
 * once when one element has more than MAX_ATTRIBUTES attributes. Read as the parser reads them:
 * CDATA, comments and processing instructions end only at their own terminators, and within a
 * tag a `>` or `=` inside a quoted value is text, so neither a `q=">"` nor a comment holding
 * `<![CDATA[` hides the markup after it.
 */
export function markupCount(xml: string, limit = MAX_MARKUP): number {
  let count = 0;
  let at = 0;
  const skipTo = (terminator: string, from: number) => {
    const end = xml.indexOf(terminator, from);
    return end < 0 ? xml.length : end + terminator.length;
  };
  while (count <= limit) {
    const open = xml.indexOf('<', at);
    if (open < 0) break;
    count++;
    if (xml.startsWith('<![CDATA[', open)) {
      count--;
      at = skipTo(']]>', open + 9);
    } else if (xml.startsWith('<!--', open)) {
      at = skipTo('-->', open + 4);
    } else if (xml.startsWith('<?', open)) {
      at = skipTo('?>', open + 2);
    } else {
      // A tag: to its first `>` outside quotes, counting the `=` outside quotes.
      let attributes = 0;
      let quote = 0;
      let i = open + 1;
      for (; i < xml.length; i++) {
        const c = xml.charCodeAt(i);
        if (quote) {
          if (c === quote) quote = 0;
        } else if (c === 34 /* " */ || c === 39 /* ' */) quote = c;
        else if (c === 61 /* = */) attributes++;
        else if (c === 62 /* > */) break;
      }
      // Many attributes on one element cost the validator far more than as many elements.
      if (attributes > MAX_ATTRIBUTES) return limit + 1;
      count += attributes;
      at = i + 1;
    }
  }
  return count;
}

/** fast-xml-parser's validator, after the markup budget (RELIABILITY row 23: a feed cannot stall the worker). */
function validate(xml: string): ReturnType<typeof XMLValidator.validate> {
  if (markupCount(xml) > MAX_MARKUP) {
    throw new FeedError(
      { code: 'feedTooComplex', count: MAX_MARKUP },
      `refused: the feed has more than ${MAX_MARKUP} tags and attributes, or more than ${MAX_ATTRIBUTES} on one tag`,
    );
  }
  return XMLValidator.validate(xml);
}

/** Item elements read before the cut: some slack over MAX_ITEMS for entries without a title. */
const ITEMS_READ = MAX_ITEMS + 100;

/**
 * The feed without its items past the first ITEMS_READ: the text up to the end of that item, then
 * everything after the feed's last item (the closing </channel></rss> or </feed>). The XML parser
 * is what costs time in a long feed (about 0.1 ms per item), so it never sees the items that the
 * 500-item cap would drop anyway. One forward search; the source is returned as it is when shorter.
 */
function firstItemsOnly(source: string): string {
  for (const close of ['</item>', '</entry>']) {
    let at = 0;
    let count = 0;
    while (count < ITEMS_READ) {
      const found = source.indexOf(close, at);
      if (found < 0) break;
      at = found + close.length;
      count++;
    }
    if (count < ITEMS_READ) continue;
    const lastEnd = source.lastIndexOf(close) + close.length;
    return lastEnd === at ? source : source.slice(0, at) + source.slice(lastEnd);
  }
  return source;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The first MAX_ITEMS entries that have a title (one a reader can see: not only zero-width or blank
 * characters, which would make an empty link), built one by one: entries past the cap are never
 * cleaned (a 7,000-item feed costs no more than a 500-item one), and an entry that is not an
 * object (a JSON null, an empty XML element) is skipped.
 */
function collectItems(entries: unknown, build: (entry: Node) => FeedItem | null): FeedItem[] {
  const items: FeedItem[] = [];
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (items.length >= MAX_ITEMS) break;
    if (!isNode(entry)) continue;
    const item = build(entry);
    if (item?.title && hasVisibleText(item.title)) items.push(item);
  }
  return items;
}

function rssItem(item: Node, base: string): FeedItem | null {
  const title = clean(item.title, 300);
  if (!title) return null;
  const guid = linkText(item.guid);
  const link = safeHttpUrl(linkText(item.link), base);
  const permalinkGuid = (item.guid as Node | undefined)?.['@isPermaLink'] !== 'false' ? safeHttpUrl(guid, base) : null;
  return {
    title,
    url: link ?? permalinkGuid,
    guid,
    publishedAt: isoDate(item.pubDate) ?? isoDate(item['dc:date']) ?? isoDate(item['a10:updated']),
    description: clean(item.description) ?? clean(item['content:encoded']) ?? clean((item['media:description'] as unknown) ?? null),
  };
}

function parseRss(channel: Node, base: string): ParsedFeed {
  const items = collectItems(channel.item, (i) => rssItem(i, base));
  return { title: clean(channel.title, 200), siteUrl: safeHttpUrl(linkText(channel.link), base), items };
}

function parseRdf(rdf: Node, base: string): ParsedFeed {
  const channel = isNode(rdf.channel) ? rdf.channel : {};
  const items = collectItems(rdf.item, (item) => {
    const parsed = rssItem(item, base);
    return parsed && { ...parsed, guid: linkText(item['@rdf:about']) ?? linkText(item.link) };
  });
  return { title: clean(channel.title, 200), siteUrl: safeHttpUrl(linkText(channel.link), base), items };
}

function atomLink(links: unknown, base: string): string | null {
  const list = (Array.isArray(links) ? links : [links]).filter(Boolean) as (Node | string)[];
  const pick = list.find((l) => typeof l === 'object' && (!l['@rel'] || l['@rel'] === 'alternate')) ?? list.find((l) => typeof l === 'object');
  if (typeof pick === 'object') return safeHttpUrl(linkText(pick['@href']), base);
  return safeHttpUrl(linkText(typeof list[0] === 'string' ? list[0] : null), base);
}

function parseAtom(feed: Node, base: string): ParsedFeed {
  const items = collectItems(feed.entry, (entry) => {
    const title = clean(entry.title, 300);
    return title
      ? {
          title,
          url: atomLink(entry.link, base),
          guid: linkText(entry.id),
          publishedAt: isoDate(entry.published) ?? isoDate(entry.updated) ?? isoDate(entry['dc:date']),
          description: clean(entry.summary) ?? clean(entry.content),
        }
      : null;
  });
  return { title: clean(feed.title, 200), siteUrl: atomLink(feed.link, base), items };
}

/** Deepest nesting a JSON Feed may have: the format itself needs four levels. */
const MAX_JSON_DEPTH = 32;

/** True when the parsed JSON nests deeper than `limit`; iterative, so depth cannot overflow the stack. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(node as object)) {
      if (child && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** A JSON Feed string field (a title that is an object or a number is not a title). */
function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function parseJsonFeed(source: string, base: string): ParsedFeed {
  let feed: unknown;
  try {
    feed = JSON.parse(source);
  } catch {
    throw new FeedError({ code: 'feedMalformedJson' }, 'malformed JSON');
  }
  if (!isNode(feed) || typeof feed.version !== 'string' || !feed.version.startsWith('https://jsonfeed.org/version/1')) {
    throw new FeedError({ code: 'feedJsonNoVersion' }, 'not a feed: JSON without a JSON Feed "version"');
  }
  if (nestsDeeperThan(feed, MAX_JSON_DEPTH)) {
    throw new FeedError({ code: 'feedTooDeep', count: MAX_JSON_DEPTH }, `malformed JSON Feed: nested more than ${MAX_JSON_DEPTH} levels deep`);
  }
  const items = collectItems(feed.items, (item) => {
    const title = clean(str(item.title), 300);
    return title
      ? {
          title,
          url: safeHttpUrl(capped(item.url), base) ?? safeHttpUrl(capped(item.external_url), base),
          guid: capped(item.id),
          publishedAt: isoDate(str(item.date_published)) ?? isoDate(str(item.date_modified)),
          description: clean(str(item.summary)) ?? clean(str(item.content_text), 600) ?? clean(str(item.content_html)),
        }
      : null;
  });
  return { title: clean(str(feed.title), 200), siteUrl: safeHttpUrl(capped(feed.home_page_url), base), items };
}

/** How much of a web page is searched for feed links, and how many are kept. */
const MAX_PAGE_SCAN = 500_000;
const MAX_DISCOVERED = 20;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
}

/**
 * The attributes of the tag whose name ends at `from`, read left to right in one pass (quoted
 * values may hold ">"), and where the tag ends; null when it never ends.
 */
function readAttributes(html: string, from: number): { attrs: Map<string, string>; end: number } | null {
  const attrs = new Map<string, string>();
  const n = html.length;
  let i = from;
  for (;;) {
    while (i < n && (isSpace(html[i]) || html[i] === '/')) i++;
    if (i >= n) return null;
    if (html[i] === '>') return { attrs, end: i + 1 };
    const nameFrom = i;
    while (i < n && !isSpace(html[i]) && html[i] !== '=' && html[i] !== '>' && html[i] !== '/') i++;
    const name = html.slice(nameFrom, i).toLowerCase();
    while (i < n && isSpace(html[i])) i++;
    let value = '';
    if (html[i] === '=') {
      i++;
      while (i < n && isSpace(html[i])) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        if (close < 0) return null;
        value = html.slice(i + 1, close);
        i = close + 1;
      } else {
        const valueFrom = i;
        while (i < n && !isSpace(html[i]) && html[i] !== '>') i++;
        value = html.slice(valueFrom, i);
      }
    }
    if (name && !attrs.has(name)) attrs.set(name, value);
  }
}

/**
 * Whether a fetched document is a web page (to look in for a feed's address) rather than a feed:
 * read from its first element, past a BOM, an XML declaration, comments and a doctype. A feed
 * served as text/html, or one whose first lines say `type="html"`, is still a feed; the
 * Content-Type decides only a document that starts with neither.
 */
export function isWebPage(body: string, contentType: string): boolean {
  const head = body
    .slice(0, 4096)
    .replace(/^\ufeff/, '')
    .replace(/^(\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->))*\s*/, '');
  if (/^<!doctype\s+html\b|^<html\b|^<head\b|^<body\b/i.test(head)) return true;
  if (/^(<!doctype\s+(rss|feed)\b|<rss\b|<feed\b|<rdf:rdf\b|\{)/i.test(head)) return false;
  return /html/i.test(contentType);
}

/**
 * Feed URLs a web page advertises with <link rel="alternate" type="application/rss+xml">. One
 * forward pass over the first 500 KB of the page: a tag that never closes ends the search.
 */
export function discoverFeeds(html: string, pageUrl: string): string[] {
  const page = html.slice(0, MAX_PAGE_SCAN);
  const lower = page.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  const found: string[] = [];
  let at = 0;
  while (found.length < MAX_DISCOVERED) {
    const start = lower.indexOf('<link', at);
    if (start < 0) break;
    const after = page[start + 5];
    if (after !== undefined && !isSpace(after) && after !== '/' && after !== '>') {
      at = start + 5;
      continue;
    }
    const tag = readAttributes(page, start + 5);
    if (!tag) break;
    at = tag.end;
    const value = (name: string) => tag.attrs.get(name) ?? '';
    if (!/\balternate\b/i.test(value('rel'))) continue;
    if (!/(rss|atom|rdf|feed)\+xml|application\/feed\+json/i.test(value('type'))) continue;
    const href = safeHttpUrl(value('href').replace(/&amp;/g, '&'), pageUrl);
    if (href && !found.includes(href)) found.push(href);
  }
  return found;
}
