import type { PageInfo, RelatedStory } from '../core/article';
import { terms } from '../core/analyze';
import { articleKey, sameHost } from '../core/links';
import { cleanText } from '../messaging/validate';
import { MAX_ARTICLE_ID, MAX_KEY, type HiddenView } from '../messaging/reading';

/**
 * "Not the same story" (issue 12, item 5): the person's own corrections to the matcher, one record
 * per pair (the page, one of its results). They hide that pair, and weigh on similar ones for this
 * person only: the same result on a page with a near-identical headline is hidden too, and the
 * page's other results that share most of the hidden result's headline words (another copy of a
 * wrong story) are demoted. Pure: no browser API; stored by reading-store.ts, never sent anywhere.
 */
export type HiddenPair = HiddenView;

/** The newest pairs kept: older ones drop off (the list is read on every answer). */
export const MAX_HIDDEN = 500;
/** Headline-word overlap (Jaccard) at which two pages read as the same story's page. */
export const NEAR_PAGE = 0.6;
/** Headline-word overlap at which a result reads as a copy of a hidden one. */
export const NEAR_RESULT = 0.5;
/** A demoted result's score is multiplied by this. */
export const DEMOTION = 0.5;

/**
 * The key a page's pairs and follows are stored under: its canonical address when on the page's own
 * site, else its address. A page naming another site's article as its canonical would otherwise
 * take that article's follow and hidden results (attack review, helper-42), as reading history
 * already refuses (records.ts).
 */
export function pageKeyOf(page: Pick<PageInfo, 'url' | 'canonicalUrl'>): string | null {
  const canonical = page.canonicalUrl && sameHost(page.canonicalUrl, page.url) ? page.canonicalUrl : null;
  return articleKey(canonical) ?? articleKey(page.url);
}

function isIso(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

/** The stored list, checked at the storage boundary: a malformed record is dropped, not trusted. */
export function parseHidden(raw: unknown): HiddenPair[] {
  if (!Array.isArray(raw)) return [];
  const out: HiddenPair[] = [];
  for (const item of raw.slice(0, MAX_HIDDEN)) {
    const r = (item ?? {}) as Record<string, unknown>;
    const pageKey = typeof r.pageKey === 'string' && r.pageKey.length <= MAX_KEY ? r.pageKey : null;
    const articleId = typeof r.articleId === 'string' && r.articleId.length <= MAX_ARTICLE_ID ? r.articleId : null;
    const pageHeadline = cleanText(r.pageHeadline, 300);
    const articleTitle = cleanText(r.articleTitle, 300);
    if (!pageKey || !articleId || !pageHeadline || !articleTitle || !isIso(r.hiddenAt)) continue;
    out.push({ pageKey, pageHeadline, articleId, articleTitle, articleSource: cleanText(r.articleSource, 100) ?? '', hiddenAt: r.hiddenAt });
  }
  return out;
}

/** Adds (or renews) a pair, newest first. */
export function hidePair(list: readonly HiddenPair[], pair: HiddenPair): HiddenPair[] {
  return [pair, ...list.filter((p) => p.pageKey !== pair.pageKey || p.articleId !== pair.articleId)].slice(0, MAX_HIDDEN);
}

/** Takes a pair away ("Show again"). */
export function showPair(list: readonly HiddenPair[], pageKey: string, articleId: string): HiddenPair[] {
  return list.filter((p) => p.pageKey !== pageKey || p.articleId !== articleId);
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

const termCache = new Map<string, ReadonlySet<string>>();

/** A headline's analysed words (cached: the same hidden pairs are read on every answer). */
function wordsOf(text: string): ReadonlySet<string> {
  let words = termCache.get(text);
  if (!words) {
    if (termCache.size > 4 * MAX_HIDDEN) termCache.clear();
    words = new Set(terms(text));
    termCache.set(text, words);
  }
  return words;
}

/** The page an answer is for: its key and headline (a listing headline has only its link and text). */
export interface FeedbackPage {
  key: string | null;
  headline: string;
}

/** The pairs that speak about this page: its own, and those of pages with a near-identical headline. */
export function pairsFor(page: FeedbackPage, hidden: readonly HiddenPair[]): HiddenPair[] {
  if (hidden.length === 0) return [];
  let words: ReadonlySet<string> | null = null;
  return hidden.filter((pair) => {
    if (page.key !== null && pair.pageKey === page.key) return true;
    words ??= wordsOf(page.headline);
    return overlap(words, wordsOf(pair.pageHeadline)) >= NEAR_PAGE;
  });
}

/**
 * The page's stories with the person's corrections applied: hidden pairs left out, results that
 * read as copies of a hidden one demoted ("Related", half the score, after the rest). The order of
 * the rest is kept.
 */
export function applyFeedback(stories: readonly RelatedStory[], page: FeedbackPage, hidden: readonly HiddenPair[]): RelatedStory[] {
  const pairs = pairsFor(page, hidden);
  if (pairs.length === 0) return [...stories];
  const hiddenIds = new Set(pairs.map((p) => p.articleId));
  const hiddenWords = pairs.map((p) => wordsOf(p.articleTitle));
  const kept: RelatedStory[] = [];
  const demoted: RelatedStory[] = [];
  for (const story of stories) {
    if (hiddenIds.has(story.id)) continue;
    const words = wordsOf(story.title);
    if (hiddenWords.some((w) => overlap(words, w) >= NEAR_RESULT)) {
      demoted.push({ ...story, label: 'related', score: Math.round(story.score * DEMOTION * 1000) / 1000 });
    } else kept.push(story);
  }
  return [...kept, ...demoted];
}
