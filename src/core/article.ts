/** Where an article in the library came from. */
export type ArticleKind = 'seed' | 'feed' | 'history' | 'import';

/** One news article as the library holds it. Body text is only kept for seed articles. */
export interface Article {
  id: string;
  title: string;
  /** Outlet name, e.g. "NBC News". */
  source: string;
  /** ISO 8601 instant, or null when the source gives no time. */
  publishedAt: string | null;
  /** Absolute http(s) link to the article, or null when none is known. */
  url: string | null;
  canonicalUrl?: string | null;
  description?: string;
  body?: string;
  /** BCP 47 language tag ("en", "fr-FR"); undefined when unknown. */
  lang?: string;
  kind: ArticleKind;
}

/** What the content script read from the page a person is on. */
export interface PageInfo {
  url: string;
  headline: string;
  description: string | null;
  siteName: string | null;
  canonicalUrl: string | null;
  publishedAt: string | null;
  lang: string | null;
}

/** "same-story": another report of the same event; "related": an earlier or later development. */
export type MatchLabel = 'same-story' | 'related';

export interface RelatedStory {
  id: string;
  title: string;
  source: string;
  url: string | null;
  publishedAt: string | null;
  label: MatchLabel;
  /** Engine score in [0, 1]: the estimated chance that this is the same story. */
  score: number;
  /** Words of the query found in this story, as they were written in the story's headline. */
  matchedWords: string[];
  /** Other outlets that carried a near-identical copy (syndicated wire story). */
  alsoIn: string[];
}

/** Related stories for one headline, as a badge shows them: counts first, then the stories. */
export interface HeadlineMatch {
  total: number;
  same: number;
  stories: RelatedStory[];
}

export function toHeadlineMatch(stories: RelatedStory[]): HeadlineMatch {
  return { total: stories.length, same: stories.filter((s) => s.label === 'same-story').length, stories };
}
