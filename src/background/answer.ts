import type { Article, PageInfo, RelatedStory } from '../core/article';
import type { MatchOptions, StoryIndex } from '../index/engine';
import type { StoryText } from '../index/features';
import type { Settings } from '../settings/schema';
import { applyFeedback, pageKeyOf, pairsFor, type FeedbackPage, type HiddenPair } from './feedback';

/**
 * How the worker answers a page: the one function `pageRead`, the popup, the toolbar recount and
 * `npm run match` all go through, so what the benchmark measures is what a reader sees.
 * `hidden`: the person's "Not the same story" pairs (feedback.ts), applied here so the popup, the
 * page's badge and the toolbar count agree; the engine is asked for as many more results as pairs
 * apply, so a hidden one leaves room for the next. Pure: no browser API.
 */
export function storiesForPage(
  index: StoryIndex,
  page: PageInfo,
  settings: Settings,
  hidden: readonly HiddenPair[] = [],
  visibleToPage = false,
): RelatedStory[] {
  const target = { key: pageKeyOf(page), headline: page.headline };
  const pairs = pairsFor(target, hidden);
  const options = visibleToPage ? withoutHistory(matchOptions(settings)) : matchOptions(settings);
  if (pairs.length === 0) return index.match(queryOf(page), options);
  return matchWithFeedback(index, queryOf(page), { ...options, limit: settings.maxResults + pairs.length }, target, pairs).slice(0, settings.maxResults);
}

const isSame = (s: RelatedStory) => s.label === 'same-story';

/**
 * The engine's stories for a query with the person's corrections applied (applyFeedback). Where
 * they take away every report of the page's event, "Related" must stand alone (labelsFor): the
 * person has said the library lacks the event, so the engine is asked again knowing it.
 */
export function matchWithFeedback(
  index: StoryIndex,
  query: StoryText,
  options: MatchOptions,
  target: FeedbackPage,
  hidden: readonly HiddenPair[],
): RelatedStory[] {
  const matched = index.match(query, options);
  const stories = applyFeedback(matched, target, hidden);
  if (stories.some(isSame) || !matched.some(isSame)) return stories;
  return applyFeedback(index.match(query, { ...options, anchored: false }), target, hidden);
}

/** A page as the engine's query. */
export function queryOf(page: PageInfo): StoryText {
  return {
    title: page.headline,
    description: page.description,
    source: page.siteName,
    publishedAt: page.publishedAt,
    url: page.url,
    canonicalUrl: page.canonicalUrl,
    lang: page.lang,
  };
}

/** The match options the settings ask for. */
export function matchOptions(settings: Settings): MatchOptions {
  return {
    minRelevance: settings.minRelevance,
    limit: settings.maxResults,
    windowDays: settings.windowDays,
    include: includeFor(settings),
  };
}

/**
 * Options for the inline badges a web page shows. The page can see its badges, so they draw on
 * seeds, feeds and imports only, never on reading history (a page listing a headline would learn
 * whether you read it), and never list the page itself.
 */
export function badgeOptions(settings: Settings, page: StoryText): MatchOptions {
  return { ...withoutHistory(matchOptions(settings)), page };
}

/**
 * Options that leave reading history out before anything is ranked, for an answer a web page can
 * see (issue 9, finding 3). Taking history out afterwards is not enough: a history entry ranked
 * above a feed copy of the same story swallows that copy (copies collapse into the first) or takes
 * one of the `limit` places, so the page's own badge would show one story fewer, or none, when
 * you had read the story elsewhere.
 */
export function withoutHistory(options: MatchOptions): MatchOptions {
  const base = options.include;
  return { ...options, include: (article) => article.kind !== 'history' && (!base || base(article)) };
}

/** The page a badge request comes from: what was read of it, else just its address. */
export function pageOnScreen(frameUrl: string | null, read: PageInfo | null): StoryText & { url: string | null; canonicalUrl: string | null } {
  if (read) return { ...queryOf(read), url: read.url, canonicalUrl: read.canonicalUrl };
  return { title: '', url: frameUrl, canonicalUrl: null };
}

/** Seed articles take part only while their switch is on. */
export function includeFor(settings: Settings): ((article: Pick<Article, 'kind'>) => boolean) | undefined {
  return settings.seedArticles ? undefined : (article) => article.kind !== 'seed';
}
