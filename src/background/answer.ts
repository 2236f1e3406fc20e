import type { Article, PageInfo, RelatedStory } from '../core/article';
import type { MatchOptions, StoryIndex } from '../index/engine';
import type { StoryText } from '../index/features';
import type { Settings } from '../settings/schema';

/**
 * How the worker answers a page: the one function `pageRead`, the popup, the toolbar recount and
 * `npm run match` all go through, so what the benchmark measures is what a reader sees.
 * Pure: no browser API.
 */
export function storiesForPage(index: StoryIndex, page: PageInfo, settings: Settings): RelatedStory[] {
  return index.match(queryOf(page), matchOptions(settings));
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

/** Seed articles take part only while their switch is on. */
export function includeFor(settings: Settings): ((article: Article) => boolean) | undefined {
  return settings.seedArticles ? undefined : (article) => article.kind !== 'seed';
}
