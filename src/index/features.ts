import type { Article } from '../core/article';
import { stemmer } from 'stemmer';
import { analyze } from '../core/analyze';
import { sameArticleKeys } from '../core/links';
import { DAY_MS } from '../core/time';

/** What the engine keeps per article to score pairs without re-analysing text. */
export interface StoryFeatures {
  /** Distinct headline terms, in headline order. */
  titleTerms: string[];
  /** How each headline term was written (same order as titleTerms). */
  surfaces: string[];
  // Small arrays rather than Sets: a headline has a handful of each, and at 50k articles a Set
  // per field costs tens of megabytes of heap.
  entities: string[];
  numbers: string[];
  /** Adjacent headline term pairs, "a b". */
  bigrams: string[];
  /** Distinct description/body terms not already in the headline (first MAX_TEXT_TERMS). */
  textTerms: string[];
  /** Names, acronyms and numbers of headline, description and body together: the topic's anchors. */
  topicEntities: string[];
  /** How each topic entity was written (same order as topicEntities), for "matched" words. */
  topicSurfaces: string[];
  /** The topic entities its description or body tells (some may be in the headline too). */
  textNames: readonly string[];
  /** Language tag, for analysing the URL's slug when it is first needed (see extTerms). */
  lang: string | null;
  /** Headline ended in "...": its last term may be a cut-off word. */
  truncated: boolean;
  /** Days since the epoch (fractional), or null when the time is unknown. */
  day: number | null;
  source: string;
  /** Where the story lives and how it is titled, for recognising the page itself (see pageKeys). */
  url: string | null;
  canonicalUrl: string | null;
  title: string;
}

/** One empty list for every headline-only story (most of a large library): no array each. */
const NO_NAMES: readonly string[] = Object.freeze([]);

/** Day and month names as analysed (stemmed): capitalised, but never what a story is about. */
export const CALENDAR: ReadonlySet<string> = new Set(
  [
    'monday',
    'tuesday',
    'wednesday',
    'thursday',
    'friday',
    'saturday',
    'sunday',
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
    'today',
    'yesterday',
    'tomorrow',
  ].flatMap((w) => [w, stemmer(w)]),
);

/** Description and body contribute at most this many terms: enough for topic, cheap to index. */
export const MAX_TEXT_TERMS = 80;
/** Only the first few paragraphs of a body are read: the lede carries the topic. */
export const MAX_TEXT_CHARS = 4000;

export interface StoryText {
  title: string;
  source?: string | null;
  publishedAt?: string | null;
  url?: string | null;
  canonicalUrl?: string | null;
  description?: string | null;
  body?: string | null;
  lang?: string | null;
}

/** Days since the epoch (fractional) of a stated time; null when there is none or it is no date. */
export function dayOf(publishedAt: string | null | undefined): number | null {
  const at = publishedAt ? Date.parse(publishedAt) : Number.NaN;
  return Number.isNaN(at) ? null : at / DAY_MS;
}

export function titleKeyOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The headline without a trailing outlet name: "Snowden has no regrets - KTVN Channel 2 - Reno ..."
 * from KTVN is "Snowden has no regrets". The first " - " or " | " part after the first that names
 * the outlet goes, with everything after it; otherwise every outlet's stories would share words.
 */
export function withoutOutlet(title: string, source: string | null | undefined): string {
  const names = (source ?? '').toLowerCase().match(/[\p{L}\p{N}]{3,}/gu);
  if (!names) return title;
  const parts = title.split(/\s+[-|\u2013\u2014]\s+/);
  for (let i = 1; i < parts.length; i++) {
    const words = parts[i].toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.some((w) => names.includes(w))) return parts.slice(0, i).join(' - ');
  }
  return title;
}

export function storyFeatures(story: StoryText): StoryFeatures {
  const { tokens, truncated } = analyze(withoutOutlet(story.title, story.source), story.lang);
  const titleTerms: string[] = [];
  const surfaces: string[] = [];
  const entities = new Set<string>();
  const numbers = new Set<string>();
  const bigrams = new Set<string>();
  let previous: string | null = null;
  const topicNames = new Map<string, string>();
  for (const token of tokens) {
    if (previous !== null && previous !== token.term) bigrams.add(`${previous} ${token.term}`);
    previous = token.term;
    if (token.entity) {
      entities.add(token.term);
      if (!token.number && !topicNames.has(token.term)) topicNames.set(token.term, token.surface);
    }
    if (token.number) numbers.add(token.term);
    if (titleTerms.includes(token.term)) continue;
    titleTerms.push(token.term);
    surfaces.push(token.surface);
  }
  const textTerms: string[] = [];
  // A topic is anchored by names, places and acronyms; numbers, days and months are not topics.
  const topicEntities = new Set([...entities].filter((e) => topicNames.has(e) && !CALENDAR.has(e)));
  const textNames = new Set<string>();
  const extra = [story.description, story.body].filter(Boolean).join('\n');
  if (extra) {
    const seen = new Set(titleTerms);
    for (const token of analyze(extra.slice(0, MAX_TEXT_CHARS), story.lang).tokens) {
      if (token.entity && !token.number && !CALENDAR.has(token.term) && (topicEntities.has(token.term) || topicEntities.size < MAX_TEXT_TERMS)) {
        topicEntities.add(token.term);
        textNames.add(token.term);
        if (!topicNames.has(token.term)) topicNames.set(token.term, token.surface);
      }
      if (seen.has(token.term) || textTerms.length >= MAX_TEXT_TERMS) continue;
      seen.add(token.term);
      textTerms.push(token.term);
    }
  }
  return {
    titleTerms,
    surfaces,
    entities: [...entities],
    numbers: [...numbers],
    bigrams: [...bigrams],
    textTerms,
    topicEntities: [...topicEntities],
    topicSurfaces: [...topicEntities].map((t) => topicNames.get(t) ?? t),
    textNames: textNames.size ? [...textNames] : NO_NAMES,
    lang: story.lang ?? null,
    truncated,
    day: dayOf(story.publishedAt),
    source: (story.source ?? '').trim().toLowerCase(),
    url: story.url ?? null,
    canonicalUrl: story.canonicalUrl ?? null,
    title: story.title,
  };
}

/**
 * Only what the index stores of a story: its headline and text terms (as storyFeatures makes them)
 * and its day. Indexing 50k articles needs no names, bigrams or surfaces, which are most of the
 * cost of storyFeatures besides analysis.
 */
export function indexTerms(story: StoryText): { titleTerms: string[]; textTerms: string[]; day: number | null } {
  const titleTerms = [...new Set(analyze(withoutOutlet(story.title, story.source), story.lang).tokens.map((t) => t.term))];
  const textTerms: string[] = [];
  const extra = [story.description, story.body].filter(Boolean).join('\n');
  if (extra) {
    const seen = new Set(titleTerms);
    for (const token of analyze(extra.slice(0, MAX_TEXT_CHARS), story.lang).tokens) {
      if (textTerms.length >= MAX_TEXT_TERMS) break;
      if (seen.has(token.term)) continue;
      seen.add(token.term);
      textTerms.push(token.term);
    }
  }
  return { titleTerms, textTerms, day: dayOf(story.publishedAt) };
}

const extCache = new WeakMap<StoryFeatures, string[]>();

/**
 * Headline terms plus the words of the URL's slug ("/2014/03/11/time-warner-ceo-to-customers-on-
 * comcast-merger"): the slug often keeps words a shortened or cut-off headline lost. Computed when
 * first needed: only a page and its candidates are ever compared, so indexing 50k articles
 * analyses no slug.
 */
export function extTerms(f: StoryFeatures): string[] {
  let terms = extCache.get(f);
  if (!terms) {
    const slug = slugText(f.canonicalUrl) ?? slugText(f.url);
    terms = slug ? [...new Set([...f.titleTerms, ...analyze(slug, f.lang).tokens.map((t) => t.term)])] : f.titleTerms;
    extCache.set(f, terms);
  }
  return terms;
}

const SLUG_WORD = /^[\p{L}][\p{L}'’]*$/u;

/**
 * The words of a URL's slug: the path segment with the most words joined by hyphens or
 * underscores (at least three), without file extensions, numbers or opaque ids. Null when the
 * URL has no such segment ("/news/12345", "/article?id=7").
 */
export function slugText(url: string | null | undefined): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  let best: string[] = [];
  for (const segment of path.split('/')) {
    const words = segment
      .replace(/\.(s?html?|php|aspx?|cms|jsp)$/i, '')
      .split(/[-_+]+/)
      .filter((w) => SLUG_WORD.test(w) && w.length <= 24);
    if (words.length > best.length) best = words;
  }
  return best.length >= 3 ? best.slice(0, 20).join(' ') : null;
}

export function articleFeatures(article: Article): StoryFeatures {
  return storyFeatures(article);
}

export interface PageKeys {
  urls: string[];
  title: string;
}

const keyCache = new WeakMap<StoryFeatures, PageKeys>();

/**
 * URL and headline keys of a story, computed when first needed: only the page and its candidates
 * are ever compared, so indexing 50k articles does not parse 50k URLs.
 */
export function pageKeys(f: StoryFeatures): PageKeys {
  let keys = keyCache.get(f);
  if (!keys) {
    keys = { urls: [...new Set([...sameArticleKeys(f.url), ...sameArticleKeys(f.canonicalUrl)])], title: titleKeyOf(f.title) };
    keyCache.set(f, keys);
  }
  return keys;
}
