import type { Article, RelatedStory } from '../core/article';
import { outletWithSite, safeHttpUrl } from '../core/links';
import { DEFAULTS } from '../settings/schema';
import { pageKeys, storyFeatures, type StoryFeatures, type StoryText } from './features';
import { headlineSimilarity, neighbourhood, pairSignals, sharedTopicNames, type PairSignals, type TermStats } from './pair';
import { labelFor, labelsFor, MODEL, probability, relatedByHeadline, type Model } from './model';
import { parseSegment, toSaved, type Segment } from './segment';
import { INDEX_FINGERPRINT, INDEX_VERSION, IndexStore, type ArticleLoader, type MatchOptions } from './store';

export { CANDIDATES, HISTORY_CANDIDATES, INDEX_FINGERPRINT, INDEX_OPTIONS, INDEX_VERSION, type IndexedArticle, type MatchOptions } from './store';

export interface Candidate {
  id: string;
  score: number;
  topic: number;
  /** Whether the topic rests on a name told in a description or body (see sharesNameInText). */
  topicInText: boolean;
  matched: string[];
  /** The headline evidence the labels' rules read (see labelFor). */
  shared: PairSignals['shared'];
  /** The pair signals the score was computed from (for training). */
  signals: number[];
}

/** Headline cosine at which two stories are copies of one text (wire syndication). */
const SYNDICATED = 0.9;

/** The related-stories engine: retrieval over the library's index (store.ts), then a learned pair re-ranker. */
export class StoryIndex extends IndexStore {
  constructor(
    private readonly model: Model = MODEL,
    loader?: ArticleLoader,
  ) {
    super(loader);
  }

  /** Revives a saved segment (parsed by parseSegment); articles are read as queries need them. */
  static revive(segment: Segment, model: Model = MODEL, loader?: ArticleLoader): StoryIndex {
    const index = new StoryIndex(model, loader);
    index.useSegment(segment);
    return index;
  }

  /** An index over these articles built straight into a segment: faster than adding them one by one. */
  static build(articles: Iterable<Article>, model: Model = MODEL, loader?: ArticleLoader): StoryIndex {
    const index = new StoryIndex(model, loader);
    index.buildFrom(articles);
    return index;
  }

  /** This index saved and revived with every article in memory, as a worker's would be (tests, benchmark). */
  static roundTrip(index: StoryIndex, model: Model = MODEL): StoryIndex {
    const saved = structuredClone(toSaved(index.compact(), { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT, savedAt: '1970-01-01T00:00:00.000Z' }));
    const revived = StoryIndex.revive(parseSegment(saved, { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT }), model);
    revived.addArticles(index.all());
    return revived;
  }

  /**
   * The engine's score that b is the same story as a, as `rank` would score b on page a: with this
   * library's word statistics and a's retrieved neighbourhood (b itself left out of it).
   */
  scoreStories(a: StoryText & { id?: string }, b: StoryText & { id?: string }, options: MatchOptions = {}): Candidate {
    const q = storyFeatures(a);
    const stored = b.id ? this.articles.get(b.id) : undefined;
    const c = (stored && stored.title === b.title && stored.publishedAt === b.publishedAt ? this.featuresOf(b.id!) : undefined) ?? storyFeatures(b);
    const { hits, self } = this.retrieve(q, a.id, options);
    const retrieved = hits.filter((r) => r.f !== c && !isSamePage(r.f, c));
    return this.candidate(
      b.id ?? '',
      q,
      c,
      neighbourhood(
        q,
        retrieved.map((r) => r.f),
        this,
        self,
      ),
    );
  }

  private candidate(id: string, q: StoryFeatures, c: StoryFeatures, around: ReturnType<typeof neighbourhood>): Candidate {
    const signals = pairSignals(q, c, this, around, this.counted(id, c, around.self));
    return {
      id,
      score: probability(signals.values, this.model),
      topic: signals.topic,
      topicInText: signals.topicInText,
      matched: signals.matched,
      shared: signals.shared,
      signals: signals.values,
    };
  }

  /**
   * Whether story c is the library's article `id` as its counts hold it (reading history is in
   * none), and not already left out of them as one of the page's own records.
   */
  private counted(id: string, c: StoryFeatures, self: ReadonlySet<string>): boolean {
    const article = id ? this.articles.get(id) : undefined;
    return article !== undefined && article.kind !== 'history' && !self.has(id) && this.featuresOf(id) === c;
  }

  /**
   * The query's retrieval hits within the window, as analysed stories, the page itself left out;
   * and the ids of the library's records of the page itself (`selfId` and any hit that is it).
   */
  private retrieve(q: StoryFeatures, selfId: string | undefined, options: MatchOptions): { hits: { id: string; f: StoryFeatures }[]; self: Set<string> } {
    const hits: { id: string; f: StoryFeatures }[] = [];
    const self = new Set<string>(selfId === undefined ? [] : [selfId]);
    const page = options.page ? pageFeatures(options.page) : null;
    for (const id of this.hits(q, selfId, options)) {
      // An article not read (see load) cannot be scored: left out rather than guessed.
      const f = this.featuresOf(id);
      if (!f) continue;
      if (isSamePage(q, f) || (page && isSamePage(page, f))) self.add(id);
      else hits.push({ id, f });
    }
    return { hits, self };
  }

  /**
   * Every candidate story for a query, best first, not thresholded (the benchmark ranks these);
   * the page itself and stored copies of it are left out.
   */
  rank(query: StoryText & { id?: string }, options: MatchOptions = {}): Candidate[] {
    const q = storyFeatures(query);
    const { hits: retrieved, self } = this.retrieve(q, query.id, options);
    const around = neighbourhood(
      q,
      retrieved.map((r) => r.f),
      this,
      self,
    );
    return retrieved.map((r) => this.candidate(r.id, q, r.f, around)).sort((x, y) => y.score - x.score || y.topic - x.topic);
  }

  /**
   * The words to show as matched: the shared headline words, as the story wrote them; for a story
   * related through its text (or sharing no headline word), the names its text shares too: its one
   * shared headline word ("Ukraine") is not why it is listed.
   */
  private matchedWords(candidate: Candidate, features: StoryFeatures, query: StoryFeatures, byText: boolean): string[] {
    const article = this.articles.get(candidate.id)!;
    const headline = wholeNames(candidate.matched, article.title);
    if (candidate.matched.length && !byText) return headline;
    const text = [article.title, article.description, article.body].filter(Boolean).join('\n');
    return [...new Set([...headline, ...textNames(sharedTopicNames(query, features, 12), text)])].slice(0, 5);
  }

  /** Related stories as the popup and badges show them: labelled, thresholded, copies collapsed. */
  match(query: StoryText & { id?: string }, options: MatchOptions = {}): RelatedStory[] {
    const level = options.minRelevance ?? DEFAULTS.minRelevance;
    const limit = options.limit ?? DEFAULTS.maxResults;
    const stories: RelatedStory[] = [];
    const kept: StoryFeatures[] = [];
    const queryFeatures = storyFeatures(query);
    const ranked = this.rank(query, options);
    // A typed search names no event of its own: each story is labelled alone.
    const labels = options.search ? ranked.map((c) => labelFor(c, level, this.model)) : labelsFor(ranked, level, this.model, options.anchored);
    for (const [i, candidate] of ranked.entries()) {
      const ruled = labels[i];
      const label = ruled ?? (options.search && candidate.shared.count >= 2 ? 'related' : null);
      if (!label) continue;
      const article = this.articles.get(candidate.id)!;
      const features = this.featuresOf(candidate.id)!;
      const copyOf = kept.findIndex((k) => headlineCosine(k, features, this) >= SYNDICATED);
      if (copyOf >= 0) {
        const original = stories[copyOf];
        const source = shownSource(article);
        if (source !== original.source && !original.alsoIn.includes(source)) original.alsoIn.push(source);
        continue;
      }
      if (stories.length >= limit) continue;
      kept.push(features);
      stories.push({
        id: article.id,
        title: article.title,
        source: shownSource(article),
        url: safeHttpUrl(article.url),
        publishedAt: article.publishedAt,
        label,
        score: Math.round(candidate.score * 1000) / 1000,
        matchedWords: this.matchedWords(
          candidate,
          features,
          queryFeatures,
          ruled === 'related' && candidate.topicInText && !relatedByHeadline(candidate, level, this.model),
        ),
        alsoIn: [],
      });
    }
    // Same-story coverage first, then related developments; each group by score.
    return stories.sort((a, b) => (a.label === b.label ? b.score - a.score : a.label === 'same-story' ? -1 : 1));
  }
}

/**
 * The outlet a result names: a page read, a feed and an imported file name their outlets
 * themselves, so the link's site goes with a name that is not that site (outletWithSite); only the
 * sample articles Storyline ships are named as they are.
 */
function shownSource(article: { kind: string; source: string; url: string | null }): string {
  return article.kind === 'seed' ? article.source : outletWithSite(article.source, article.url);
}

/**
 * Matched words as a reader says them: neighbours that stand together in the story's own text
 * become one name ("North", "Korea" -> "North Korea"; "Bank", "England" stay two; lower-case
 * words stay words).
 */
const NAME = /^\p{Lu}/u;

export function wholeNames(words: readonly string[], text: string): string[] {
  const out: string[] = [];
  for (const word of words) {
    const last = out[out.length - 1];
    if (last !== undefined && NAME.test(last) && NAME.test(word) && text.includes(`${last} ${word}`)) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

/**
 * The names a story shares with the page through its text, as a reader would say them: whole names,
 * at most five, and no word the story only ever writes as part of another name: "North" is no shared
 * name when the page says "North Korea" and the story only "North Africa".
 */
export function textNames(words: readonly string[], text: string): string[] {
  const shared = new Set(words);
  const alone = words.filter((word) => {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const uses = [...text.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])(?:\\s+(\\p{Lu}[\\p{L}'’-]*))?`, 'gu'))];
    // Followed by a capitalised word that is not itself shared: part of another name.
    return uses.length === 0 || uses.some((m) => !m[1] || shared.has(m[1]));
  });
  return wholeNames(alone, text).slice(0, 5);
}

const pageCache = new WeakMap<StoryText, StoryFeatures>();

/** The page's features, computed once per page object (a badge pass matches many headlines on one page). */
function pageFeatures(page: StoryText): StoryFeatures {
  let f = pageCache.get(page);
  if (!f) {
    f = storyFeatures(page);
    pageCache.set(page, f);
  }
  return f;
}

/** Two records of one article: a shared URL, or the same headline from the same (or an unstated) outlet. */
export function isSamePage(q: StoryFeatures, c: StoryFeatures): boolean {
  const qk = pageKeys(q);
  const ck = pageKeys(c);
  if (qk.urls.some((k) => ck.urls.includes(k))) return true;
  return qk.title === ck.title && (q.source === c.source || !q.source || !c.source);
}

function headlineCosine(a: StoryFeatures, b: StoryFeatures, stats: TermStats): number {
  return headlineSimilarity(a, b, stats);
}
