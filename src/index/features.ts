import type { Article } from '../core/article';
import { analyze } from '../core/analyze';
import { articleKey } from '../core/links';
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

/** Description and body contribute at most this many terms: enough for topic, cheap to index. */
export const MAX_TEXT_TERMS = 80;
/** Only the first few paragraphs of a body are read: the lede carries the topic. */
const MAX_TEXT_CHARS = 4000;

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

export function titleKeyOf(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export function storyFeatures(story: StoryText): StoryFeatures {
  const { tokens, truncated } = analyze(story.title, story.lang);
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
  const topicEntities = new Set(entities);
  const extra = [story.description, story.body].filter(Boolean).join('\n');
  if (extra) {
    const seen = new Set(titleTerms);
    for (const token of analyze(extra.slice(0, MAX_TEXT_CHARS), story.lang).tokens) {
      if (token.entity && !token.number && topicEntities.size < MAX_TEXT_TERMS) {
        topicEntities.add(token.term);
        if (!topicNames.has(token.term)) topicNames.set(token.term, token.surface);
      }
      if (seen.has(token.term) || textTerms.length >= MAX_TEXT_TERMS) continue;
      seen.add(token.term);
      textTerms.push(token.term);
    }
  }
  const at = story.publishedAt ? Date.parse(story.publishedAt) : Number.NaN;
  return {
    titleTerms,
    surfaces,
    entities: [...entities],
    numbers: [...numbers],
    bigrams: [...bigrams],
    textTerms,
    topicEntities: [...topicEntities],
    topicSurfaces: [...topicEntities].map((t) => topicNames.get(t) ?? t),
    truncated,
    day: Number.isNaN(at) ? null : at / DAY_MS,
    source: (story.source ?? '').trim().toLowerCase(),
    url: story.url ?? null,
    canonicalUrl: story.canonicalUrl ?? null,
    title: story.title,
  };
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
    keys = { urls: [articleKey(f.url), articleKey(f.canonicalUrl)].filter((k): k is string => k !== null), title: titleKeyOf(f.title) };
    keyCache.set(f, keys);
  }
  return keys;
}
