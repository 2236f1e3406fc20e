import type { PageInfo } from '../core/article';
import { safeHttpUrl } from '../core/links';
import { statedDate } from '../core/time';
import { LANGUAGE_TAG, squash, wordsOf } from '../core/words';
import { cleanInline, hasVisibleText } from './entities';
import { readJsonLd } from './json-ld';

/** What a page says about itself: the CLI's output shape (`npm run extract`). */
export interface PageMeta {
  headline: string | null;
  siteName: string | null;
  publishedAt: string | null;
  description: string | null;
  canonicalUrl: string | null;
  lang: string | null;
  isArticle: boolean;
}

/** A page's <meta> tags by property, name or itemprop (lower case): the first in document order for each. */
type MetaTags = Map<string, Element>;

/**
 * Reads every <meta> once. Asking the document for each key with case-insensitive attribute
 * selectors walked the whole page a dozen times: 50 ms on a 600-card listing page (RELIABILITY row 14).
 */
function metaTags(doc: Document): MetaTags {
  const tags: MetaTags = new Map();
  for (const el of doc.querySelectorAll('meta')) {
    for (const attr of ['property', 'name', 'itemprop']) {
      const key = el.getAttribute(attr)?.toLowerCase();
      if (key && !tags.has(key)) tags.set(key, el);
    }
  }
  return tags;
}

/** The first of these keys whose tag has content, as `meta[property|name|itemprop="key" i]` would find it. */
function meta(tags: MetaTags, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = cleanInline(tags.get(key.toLowerCase())?.getAttribute('content'));
    if (value) return value;
  }
  return null;
}

const SEPARATORS = /\s+[|\-–—:·•»/]\s+|\s+::\s+|\s*_\s*|\s+\|\s*/;

/**
 * A name's words as namesSite compares them: "The Guardian" -> ["the", "guardian"], "cnn.com" ->
 * ["cnn", "com"], and names glued together come apart where the case or the script changes:
 * "CNNPolitics" -> ["cnn", "politics"], "Yahoo!ニュース" -> ["yahoo", "ニュース"] (review, helper-39).
 */
function nameWords(text: string): string[] {
  return text
    .replace(/(\p{Ll})(?=\p{Lu})/gu, '$1 ')
    .replace(/(\p{Lu})(?=\p{Lu}\p{Ll})/gu, '$1 ')
    .replace(/([\p{Script=Latin}\d])(?=[\p{L}\p{N}])(?![\p{Script=Latin}\d])/gu, '$1 ')
    .replace(/([\p{L}\p{N}])(?<![\p{Script=Latin}\d])(?=[\p{Script=Latin}\d])/gu, '$1 ')
    .split(/[\s\p{P}]+/u)
    .map(squash)
    .filter(Boolean);
}

/** The words' first ones joined, then their last ones: [the, washington, post] -> "the", "thewashington", ..., "post", "washingtonpost", .... */
function ends(words: readonly string[]): string[] {
  return words.flatMap((_, i) => [words.slice(0, i + 1).join(''), words.slice(i).join('')]);
}

/**
 * True when a title fragment names the site: the name itself ("Ars Technica" for arstechnica.com),
 * the whole name as its first or last words ("BBC News" for "BBC", "The Washington Post" for
 * washingtonpost.com), or, at the title's end, a longer name's first or last words ("Storm hits
 * coast - BBC" on "BBC News", "| Guardian" on "The Guardian"). Words are whole words: a fragment that merely holds the name's letters is
 * the headline's own ("Ceasefire talks collapse" holds "co", "Iran deal is dead" holds "ad":
 * attack review, helper-38), and a kicker opening the title that begins the site's name is the
 * story's ("New York - Mayor resigns" on the New York Post).
 */
function namesSite(fragment: string, siteNames: string[], atEnd: boolean): boolean {
  const f = squash(fragment);
  if (!f) return false;
  const fragmentEnds = ends(nameWords(fragment));
  return siteNames.some((name) => {
    const s = squash(name);
    if (s.length < 2) return false;
    if (f === s || fragmentEnds.includes(s)) return true;
    return atEnd && ends(nameWords(name)).includes(f);
  });
}

/**
 * Removes a site-name prefix or suffix ("Headline | Site", "Site - Headline") only where the
 * fragment matches the site name, JSON-LD publisher or host; other separators are left alone.
 */
export function stripSiteName(title: string, siteNames: string[]): string {
  const parts = title.split(SEPARATORS);
  if (parts.length < 2) return title;
  let start = 0;
  let end = parts.length;
  while (end - start > 1 && namesSite(parts[end - 1], siteNames, true)) end--;
  while (end - start > 1 && namesSite(parts[start], siteNames, false)) start++;
  if (start === 0 && end === parts.length) return title;
  // Cut the original string so the headline's own punctuation survives.
  const kept = parts.slice(start, end);
  const from = title.indexOf(kept[0]);
  const last = kept[kept.length - 1];
  const to = title.lastIndexOf(last) + last.length;
  return title.slice(from, to).trim();
}

/** Second-level labels under a country's domain ("bbc.co.uk", "smh.com.au", "abc.net.au"): never the site's name. */
const SECOND_LEVEL = new Set([
  'co',
  'com',
  'net',
  'org',
  'gov',
  'edu',
  'ac',
  'ne',
  'or',
  'go',
  'gob',
  'gouv',
  'nic',
  'ltd',
  'plc',
  'sch',
  'mil',
  'info',
  'biz',
  'nom',
]);

/** The host and the site's own label: "bbc" for www.bbc.co.uk (not "co"), "arstechnica" for arstechnica.com. */
function hostNames(url: string | null): string[] {
  if (!url) return [];
  try {
    const host = new URL(url).hostname.replace(/^www\./, '').replace(/\.$/, '');
    const labels = host.split('.');
    let i = labels.length - 2;
    if (i > 0 && labels[labels.length - 1].length === 2 && SECOND_LEVEL.has(labels[i])) i--;
    const label = i >= 0 ? labels[i] : undefined;
    return label && !/^\d+$/.test(label) ? [host, label] : [host];
  } catch {
    return [];
  }
}

/** Characters of a title or an <h1> compared, and <h1>s read: a page's 189 KB title beside 1,000 <h1>s took 5 s (attack review, helper-38). */
const MAX_HEADING_CHARS = 500;
const MAX_HEADINGS = 50;

/**
 * The page's <h1> headline. Where the page has a <title>, an <h1> that shares little with it is a
 * section or site label ("Allergies Health Center", "msn back to msn home news"), not the headline.
 */
function firstHeading(doc: Document, title: string | null): string | null {
  const h1s = [...doc.querySelectorAll('h1')]
    .slice(0, MAX_HEADINGS)
    .map((h) => cleanInline(h.textContent))
    .filter(Boolean) as string[];
  if (title) {
    const titleWords = wordsOf(title.slice(0, MAX_HEADING_CHARS));
    // Share of the <h1>'s words the title also has.
    const overlap = (h: string) => {
      const words = wordsOf(h.slice(0, MAX_HEADING_CHARS));
      let shared = 0;
      for (const w of words) if (titleWords.has(w)) shared++;
      return words.size ? shared / words.size : 0;
    };
    const best = h1s.map((h) => ({ h, score: overlap(h) })).sort((a, b) => b.score - a.score)[0];
    return best && best.score >= 0.5 ? best.h : null;
  }
  return h1s.find((h) => h.split(' ').length >= 3) ?? h1s[0] ?? null;
}

/** "Aktuálně.cz - Víte, co se právě děje" -> "Aktuálně.cz": a site name keeps its name, not its tagline. */
function siteNameOnly(name: string | null): string | null {
  if (!name) return null;
  const [first, ...rest] = name.split(/\s+[|\-–—:]\s+/);
  return rest.length && first.split(' ').length <= 4 ? first : name;
}

/** Reads the headline and metadata a page states about itself. `url` is where the page was loaded from. */
export function readPageMeta(doc: Document, url: string | null): PageMeta {
  const ld = readJsonLd(doc);
  const tags = metaTags(doc);
  const ogTitle = meta(tags, 'og:title');
  const siteName = siteNameOnly(meta(tags, 'og:site_name', 'application-name') ?? ld?.publisher ?? meta(tags, 'twitter:site')?.replace(/^@/, '') ?? null);
  const siteNames = [siteName, ld?.publisher, ...hostNames(url)].filter(Boolean) as string[];
  const docTitle = cleanInline(doc.title);
  const candidates = [
    ld?.headline,
    ogTitle,
    meta(tags, 'twitter:title'),
    meta(tags, 'dc.title', 'dcterms.title', 'headline'),
    firstHeading(doc, docTitle),
    docTitle,
  ];
  // A headline of zero-width or blank characters only would be an empty link in the popup.
  const raw = candidates.find((c) => c && c.length > 1 && hasVisibleText(c)) ?? null;
  const headline = raw ? stripSiteName(raw, siteNames) : null;

  // Addresses are read as the browser reads them: against the document's <base href>, and decoded
  // once (the attribute already was: "&amp;section=" decoded again became "§ion=": helper-38).
  const canonical = doc.querySelector('link[rel~="canonical" i]')?.getAttribute('href');
  const base = url ? (safeHttpUrl(doc.querySelector('base[href]')?.getAttribute('href') ?? '', url) ?? url) : undefined;
  const ogUrl = tags.get('og:url')?.getAttribute('content');
  const canonicalUrl = safeHttpUrl(canonical ?? '', base) ?? safeHttpUrl(ogUrl ?? '', base) ?? safeHttpUrl(ld?.url ?? '', base);
  // The first stated date that says which day: a junk one ("Invalid date") passes to the next.
  const metaDates = [
    'article:published_time',
    'datePublished',
    'og:published_time',
    'dc.date.issued',
    'dc.date',
    'dcterms.created',
    'date',
    'pubdate',
    'sailthru.date',
  ];
  const stated = [
    ld?.datePublished,
    ...metaDates.map((key) => meta(tags, key)),
    cleanInline(doc.querySelector('time[pubdate]')?.getAttribute('datetime')),
    // A <time> inside the one <article> of the page; a listing page has many articles, each with its own.
    doc.querySelectorAll('article').length === 1 ? cleanInline(doc.querySelector('article time[datetime]')?.getAttribute('datetime')) : null,
  ];
  const publishedAt = stated.map(statedDate).find(Boolean) ?? null;
  // "en_US" is written "en-US"; a value that is no language tag passes to the next one stated.
  const lang =
    [cleanInline(doc.documentElement.getAttribute('lang')), ld?.inLanguage, meta(tags, 'og:locale')]
      .map((value) => value?.replace(/_/g, '-') ?? null)
      .find((value) => value !== null && LANGUAGE_TAG.test(value)) ?? null;
  const ogType = meta(tags, 'og:type')?.toLowerCase() ?? null;
  return {
    headline,
    siteName,
    publishedAt,
    description: ld?.description ?? meta(tags, 'og:description', 'description', 'twitter:description', 'dc.description') ?? null,
    canonicalUrl,
    lang,
    // A date the page states, read or not ("2024/03/10 10:00"), says it is an article (helper-39).
    isArticle: isArticlePage(doc, url, { headline, hasLdArticle: ld !== null, ogType, statesDate: stated.some(Boolean) }),
  };
}

function isFrontPath(url: string | null): boolean {
  try {
    return url !== null && new URL(url).pathname === '/';
  } catch {
    return false;
  }
}

function isArticlePage(
  doc: Document,
  url: string | null,
  facts: { headline: string | null; hasLdArticle: boolean; ogType: string | null; statesDate: boolean },
): boolean {
  if (!facts.headline) return false;
  if (facts.ogType && /^(video|music|profile|book)/.test(facts.ogType) && !facts.hasLdArticle) return false;
  if (facts.ogType === 'website' && !facts.hasLdArticle && (!facts.statesDate || isFrontPath(url))) return false;
  if (facts.hasLdArticle || facts.ogType === 'article' || facts.statesDate) return true;
  if (url) {
    let path = '/';
    try {
      path = new URL(url).pathname;
    } catch {
      path = '/';
    }
    if (path === '/' || /\/(search|tag|tags|topic|topics|category|section)(\/|$)/i.test(path)) return false;
  }
  // No metadata at all: a headline of several words over a few paragraphs of text reads as an article.
  const cjk = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(facts.headline);
  const long = cjk ? facts.headline.length >= 8 : facts.headline.split(' ').length >= 4;
  return long && doc.querySelectorAll('p').length >= 3;
}

/** The page as the background matches it, or null when it is not an article. */
export function readPage(doc: Document, url: string): PageInfo | null {
  return pageInfoOf(readPageMeta(doc, url), url);
}

/** The page as the background matches it, from what was read of it, or null when it is not an article. */
export function pageInfoOf(m: PageMeta, url: string): PageInfo | null {
  if (!m.isArticle || !m.headline) return null;
  return {
    url,
    headline: m.headline,
    description: m.description,
    siteName: m.siteName,
    canonicalUrl: m.canonicalUrl,
    publishedAt: m.publishedAt,
    lang: m.lang,
  };
}
