import MiniSearch from 'minisearch';
import type { Article, RelatedStory } from '../core/article';
import { DAY_MS } from '../core/time';
import { safeHttpUrl } from '../core/links';
import { stableId } from '../core/ids';
import { STOPWORDS } from '../core/stopwords';
import { articleFeatures, MAX_TEXT_TERMS, pageKeys, storyFeatures, type StoryFeatures, type StoryText } from './features';
import { headlineSimilarity, neighbourhood, pairSignals, sharedTopicNames, type PairSignals, type TermStats } from './pair';
import { labelFor, MODEL, probability, type Model, type RelevanceLevel } from './model';

/** Bump when the analysed terms or the index layout change: saved indexes of another version are rebuilt. */
export const INDEX_VERSION = 2;

/**
 * MiniSearch sees pre-analysed text (terms joined by spaces): analysis depends on each article's
 * language, which MiniSearch's per-field tokenizer cannot know.
 */
export const INDEX_OPTIONS = {
  idField: 'id',
  fields: ['title', 'text'],
  storeFields: [] as string[],
  tokenize: (text: string) => text.split(' '),
  processTerm: (term: string) => term || null,
  searchOptions: { boost: { title: 3 }, combineWith: 'OR' as const },
};

export interface SavedIndex {
  version: number;
  /** Fingerprint of the index options and analysis limits the index was built with. */
  fingerprint: string;
  documentCount: number;
  titleLengthSum: number;
  df: Record<string, number>;
  search: unknown;
}

/**
 * What a saved index depends on besides its version: the fields, their boosts and the analysis
 * limits. A saved index with another fingerprint is rebuilt, never used.
 */
export const INDEX_FINGERPRINT = stableId(
  JSON.stringify({ fields: INDEX_OPTIONS.fields, boost: INDEX_OPTIONS.searchOptions.boost, maxTextTerms: MAX_TEXT_TERMS, stopwords: STOPWORDS.en.size }),
);

export interface MatchOptions {
  /** 1 (more, looser) .. 5 (fewer, closer); default 3. */
  minRelevance?: RelevanceLevel;
  /** Most results returned; default 10. */
  limit?: number;
  /** Only stories within this many days of the query's time; default 7. */
  windowDays?: number;
  /** Used as the query's time when it has none; default Date.now(). */
  now?: number;
  /**
   * A typed search: besides what the labels show, list every story sharing at least two of the
   * query's words, as "related" (someone looking a headline up wants the candidates, not a verdict).
   */
  search?: boolean;
  /**
   * The page the person is reading, when the query is something else on it (a headline beside
   * which a badge goes): the page and its stored copies are never among the results.
   */
  page?: StoryText;
  /** Only articles this accepts are returned (e.g. seed articles switched off). */
  include?: (article: Article) => boolean;
}

export interface Candidate {
  id: string;
  score: number;
  topic: number;
  matched: string[];
  /** The headline evidence the labels' rules read (see labelFor). */
  shared: PairSignals['shared'];
  /** The pair signals the score was computed from (for training). */
  signals: number[];
}

/** MiniSearch 7's internals that topHits reads (its postings, field lengths and short ids). */
interface MiniSearchInternals {
  index: { get(term: string): Map<number, Map<number, number>> | undefined; atPrefix(term: string): Iterable<[string, Map<number, Map<number, number>>]> };
  fieldIds: Record<string, number>;
  avgFieldLength: number[];
  fieldLength: Map<number, number[]>;
  documentIds: Map<number, string>;
  documentCount: number;
  removeTerm(fieldId: number, doc: number, term: string): void;
}

/** Read once per query: MiniSearch replaces some of these objects as documents come and go. */
function internalsOf(search: MiniSearch): MiniSearchInternals {
  const ms = search as unknown as Record<string, unknown> & { removeTerm(fieldId: number, doc: number, term: string): void };
  return {
    index: ms['_index'] as MiniSearchInternals['index'],
    fieldIds: ms['_fieldIds'] as Record<string, number>,
    avgFieldLength: ms['_avgFieldLength'] as number[],
    fieldLength: ms['_fieldLength'] as Map<number, number[]>,
    documentIds: ms['_documentIds'] as Map<number, string>,
    documentCount: ms['_documentCount'] as number,
    removeTerm: (fieldId, doc, term) => ms.removeTerm(fieldId, doc, term),
  };
}
/** MiniSearch's defaults, as its search uses them: BM25 k, b, d and the prefix-match weight. */
const BM25_K = 1.2;
const BM25_B = 0.7;
const BM25_D = 0.5;
const PREFIX_WEIGHT = 0.375;
const TITLE_BOOST = INDEX_OPTIONS.searchOptions.boost.title;

/** How many retrieval hits the re-ranker looks at. Past 40 the dev MRR stops moving. */
export const CANDIDATES = 40;
/** Most postings (documents per term, summed) a query retrieves over; see retrievalTerms. */
const RETRIEVAL_POSTINGS = 350;
const RETRIEVAL_MIN_TERMS = 3;
/** How much a day's distance from the page lowers a retrieval hit: 1 / (1 + decay x days). */
const RETRIEVAL_DAY_DECAY = 4;
const RETRIEVAL_UNDATED = 0.5;
/** Headline cosine at which two stories are copies of one text (wire syndication). */
const SYNDICATED = 0.9;

/** The related-stories engine: MiniSearch retrieval, then a learned pair re-ranker. */
export class StoryIndex implements TermStats {
  private search: MiniSearch;
  private readonly articles = new Map<string, Article>();
  /** Analysed articles, filled as they are added or, after a revive, when first scored. */
  private readonly features = new Map<string, StoryFeatures>();
  /** Days since the epoch per article: the time window is checked for every retrieval hit. */
  private readonly days = new Map<string, number | null>();
  private df = new Map<string, number>();
  private titleLengthSum = 0;
  /** The current query's time window, read by inWindow for every retrieval posting. */
  private window: { center: number; centerDay: number; days: number; include?: (article: Article) => boolean; self?: string } = { center: 0, centerDay: 0, days: 0 };
  /**
   * MiniSearch's boostDocument: 0 for articles outside the window. One long-lived function rather
   * than a closure per query, as it runs for every posting (hundreds per query).
   */
  private readonly inWindow = (id: string): number => {
    const day = this.days.get(id);
    const w = this.window;
    if (day === undefined || id === w.self) return 0;
    if (day !== null && (day < w.center - w.days || day > w.center + w.days)) return 0;
    if (w.include && !w.include(this.articles.get(id)!)) return 0;
    // Time as a prior in retrieval too: of two equal matches, the one of the page's day first.
    return day === null ? RETRIEVAL_UNDATED : 1 / (1 + RETRIEVAL_DAY_DECAY * Math.abs(Math.floor(day) - w.centerDay));
  };
  /** idf per term, valid until the articles change (pair scoring asks for the same terms often). */
  readonly idfCache = new Map<string, number>();
  generation = 0;

  constructor(private readonly model: Model = MODEL) {
    this.search = new MiniSearch(INDEX_OPTIONS);
  }

  get documentCount(): number {
    return this.articles.size;
  }

  get averageTitleLength(): number {
    return this.articles.size ? this.titleLengthSum / this.articles.size : 8;
  }

  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  has(id: string): boolean {
    return this.articles.has(id);
  }

  get(id: string): Article | undefined {
    return this.articles.get(id);
  }

  all(): IterableIterator<Article> {
    return this.articles.values();
  }

  /** Adds articles; one already present under the same id is replaced. */
  addAll(articles: Iterable<Article>): void {
    for (const article of articles) {
      if (this.articles.has(article.id)) this.remove(article.id);
      const features = articleFeatures(article);
      this.articles.set(article.id, article);
      this.features.set(article.id, features);
      this.days.set(article.id, features.day);
      this.count(features, 1);
      this.search.add({ id: article.id, title: features.titleTerms.join(' '), text: features.textTerms.join(' ') });
    }
  }

  remove(id: string): void {
    const features = this.featuresOf(id);
    if (!features) return;
    this.search.discard(id);
    this.count(features, -1);
    this.articles.delete(id);
    this.features.delete(id);
    this.days.delete(id);
  }

  private count(features: StoryFeatures, delta: 1 | -1): void {
    this.idfCache.clear();
    this.generation++;
    this.titleLengthSum += delta * features.titleTerms.length;
    // Headline and text terms are each distinct and never overlap (see storyFeatures).
    for (const terms of [features.titleTerms, features.textTerms]) {
      for (const term of terms) {
        const n = (this.df.get(term) ?? 0) + delta;
        if (n > 0) this.df.set(term, n);
        else this.df.delete(term);
      }
    }
  }

  private featuresOf(id: string): StoryFeatures | undefined {
    let features = this.features.get(id);
    if (!features) {
      const article = this.articles.get(id);
      if (!article) return undefined;
      features = articleFeatures(article);
      this.features.set(id, features);
    }
    return features;
  }

  /**
   * Serialised form, versioned: the MiniSearch index plus the word statistics, so reviving needs
   * no re-analysis of every article. An index of another version is rejected and rebuilt.
   */
  toJSON(): SavedIndex {
    return {
      version: INDEX_VERSION,
      fingerprint: INDEX_FINGERPRINT,
      documentCount: this.articles.size,
      titleLengthSum: this.titleLengthSum,
      df: Object.fromEntries(this.df),
      search: this.search.toJSON(),
    };
  }

  /**
   * Revives a saved index over the stored articles. Articles stored after the snapshot are added
   * and articles deleted since are dropped, up to `maxDrift` (a share of the library; 0 by default:
   * any difference is an error). Throws when the saved index is of another version, corrupt, or
   * too far from the articles; the caller then rebuilds with addAll.
   */
  static fromJSON(saved: SavedIndex, articles: Iterable<Article>, model: Model = MODEL, options: { maxDrift?: number } = {}): StoryIndex {
    if (!saved || saved.version !== INDEX_VERSION) {
      throw new Error(`Storyline: saved index version ${saved?.version} is not ${INDEX_VERSION}; rebuild it.`);
    }
    if (saved.fingerprint !== INDEX_FINGERPRINT) {
      throw new Error('Storyline: saved index was built with other index options; rebuild it.');
    }
    const savedIds = (saved.search as { documentIds?: unknown } | null)?.documentIds;
    if (!savedIds || typeof savedIds !== 'object' || !saved.df || typeof saved.df !== 'object') {
      throw new Error('Storyline: saved index is corrupt; rebuild it.');
    }
    const inSnapshot = new Set(Object.values(savedIds as Record<string, string>));
    const index = new StoryIndex(model);
    const added: Article[] = [];
    for (const article of articles) {
      if (!inSnapshot.has(article.id)) {
        added.push(article);
        continue;
      }
      inSnapshot.delete(article.id);
      index.articles.set(article.id, article);
      const at = article.publishedAt ? Date.parse(article.publishedAt) : Number.NaN;
      index.days.set(article.id, Number.isNaN(at) ? null : at / DAY_MS);
    }
    const drift = added.length + inSnapshot.size;
    if (drift > (options.maxDrift ?? 0) * Math.max(saved.documentCount, 1)) {
      throw new Error('Storyline: saved index does not match the stored articles; rebuild it.');
    }
    index.search = MiniSearch.loadJS(saved.search as never, INDEX_OPTIONS);
    index.df = new Map(Object.entries(saved.df));
    index.titleLengthSum = saved.titleLengthSum;
    // Deleted since the snapshot: their word counts stay in df until the next full rebuild, a
    // small bias in idf that is cheaper than re-analysing the library.
    for (const id of inSnapshot) index.search.discard(id);
    index.addAll(added);
    return index;
  }

  /**
   * The engine's score that b is the same story as a, as `rank` would score b on page a: with this
   * library's word statistics and a's retrieved neighbourhood (b itself left out of it).
   */
  scoreStories(a: StoryText & { id?: string }, b: StoryText & { id?: string }, options: MatchOptions = {}): Candidate {
    const q = storyFeatures(a);
    const c = (b.id && this.articles.get(b.id) === b ? this.featuresOf(b.id) : undefined) ?? storyFeatures(b);
    const retrieved = this.retrieve(q, a.id, options).filter((r) => r.f !== c && !isSamePage(r.f, c));
    return this.candidate(b.id ?? '', q, c, neighbourhood(q, retrieved.map((r) => r.f), this));
  }

  private candidate(id: string, q: StoryFeatures, c: StoryFeatures, around: ReturnType<typeof neighbourhood>): Candidate {
    const signals = pairSignals(q, c, this, around);
    return {
      id,
      score: probability(signals.values, this.model),
      topic: signals.topic,
      matched: signals.matched,
      shared: signals.shared,
      signals: signals.values,
    };
  }

  /** The query's retrieval hits within the window, as analysed stories; the page itself left out. */
  private retrieve(q: StoryFeatures, selfId: string | undefined, options: MatchOptions): { id: string; f: StoryFeatures }[] {
    if (q.titleTerms.length === 0 && q.textTerms.length === 0) return [];
    const windowDays = options.windowDays ?? 7;
    const center = q.day ?? (options.now ?? Date.now()) / DAY_MS;
    const queryText = this.retrievalTerms(q).join(' ');
    const lastTitleTerm = q.titleTerms[q.titleTerms.length - 1];
    // Out-of-window articles get a boost of 0, which MiniSearch skips before building a result.
    this.window = { center, centerDay: Math.floor(center), days: windowDays, include: options.include, self: selfId };
    const terms = queryText.split(' ').filter((term) => !!term);
    const hits = this.topHits(terms, (term) => q.truncated && term === lastTitleTerm && term.length >= 3);
    const out: { id: string; f: StoryFeatures }[] = [];
    const page = options.page ? pageFeatures(options.page) : null;
    for (const id of hits) {
      const f = this.featuresOf(id)!;
      if (!isSamePage(q, f) && !(page && isSamePage(page, f))) out.push({ id, f });
    }
    return out;
  }

  /**
   * The CANDIDATES best ids of `this.search.search(terms.join(' '), { prefix, boostDocument:
   * inWindow })`, computed over MiniSearch's own postings with the same arithmetic in the same
   * order (BM25 per field, summed per term, terms summed, times the number of query terms matched;
   * ties in insertion order), so scores and order are identical; but without MiniSearch's result
   * object per hit (terms, match, stored fields) and its option merging per term, which made most
   * of a query's garbage (issue 13: query p95).
   */
  private topHits(terms: readonly string[], prefix: (term: string) => boolean): string[] {
    const ms = internalsOf(this.search);
    const fieldIds = [ms.fieldIds.title, ms.fieldIds.text];
    const fieldBoosts = [TITLE_BOOST, 1];
    const total = ms.documentCount;
    const scores = new Map<number, number>();
    const quality = new Map<number, number>();
    for (const term of terms) {
      const termScores = new Map<number, number>();
      this.termScores(ms, term, 1, ms.index.get(term), fieldIds, fieldBoosts, total, termScores);
      if (prefix(term)) {
        for (const [derived, data] of ms.index.atPrefix(term)) {
          const distance = derived.length - term.length;
          if (!distance) continue;
          const weight = (PREFIX_WEIGHT * derived.length) / (derived.length + 0.3 * distance);
          this.termScores(ms, derived, weight, data, fieldIds, fieldBoosts, total, termScores);
        }
      }
      for (const [doc, score] of termScores) {
        const before = scores.get(doc);
        if (before === undefined) {
          scores.set(doc, score);
          quality.set(doc, 1);
        } else {
          scores.set(doc, before + score);
          quality.set(doc, quality.get(doc)! + 1);
        }
      }
    }
    const docs: number[] = [];
    const final: number[] = [];
    for (const [doc, score] of scores) {
      docs.push(doc);
      final.push(score * (quality.get(doc) || 1));
    }
    const order = docs.map((_, i) => i).sort((a, b) => final[b] - final[a] || a - b);
    return order.slice(0, CANDIDATES).map((i) => ms.documentIds.get(docs[i])!);
  }

  /** MiniSearch's termResults for one (derived) term, scores only; see topHits. */
  private termScores(
    ms: MiniSearchInternals,
    derivedTerm: string,
    termWeight: number,
    data: Map<number, Map<number, number>> | undefined,
    fieldIds: readonly number[],
    fieldBoosts: readonly number[],
    total: number,
    out: Map<number, number>,
  ): void {
    if (data == null) return;
    for (let f = 0; f < fieldIds.length; f++) {
      const fieldId = fieldIds[f];
      const fieldBoost = fieldBoosts[f];
      const freqs = data.get(fieldId);
      if (freqs == null) continue;
      let matching = freqs.size;
      const avgFieldLength = ms.avgFieldLength[fieldId];
      for (const doc of freqs.keys()) {
        const id = ms.documentIds.get(doc);
        if (id === undefined) {
          ms.removeTerm(fieldId, doc, derivedTerm);
          matching -= 1;
          continue;
        }
        const docBoost = this.inWindow(id);
        if (!docBoost) continue;
        const termFreq = freqs.get(doc)!;
        const fieldLength = ms.fieldLength.get(doc)![fieldId];
        const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
        const rawScore = invDocFreq * (BM25_D + (termFreq * (BM25_K + 1)) / (termFreq + BM25_K * (1 - BM25_B + (BM25_B * fieldLength) / avgFieldLength)));
        const weighted = termWeight * 1 * fieldBoost * docBoost * rawScore;
        const before = out.get(doc);
        out.set(doc, before === undefined ? weighted : before + weighted);
      }
    }
  }

  /**
   * Every candidate story for a query, best first, not thresholded (the benchmark ranks these);
   * the page itself and stored copies of it are left out.
   */
  rank(query: StoryText & { id?: string }, options: MatchOptions = {}): Candidate[] {
    const q = storyFeatures(query);
    const retrieved = this.retrieve(q, query.id, options);
    const around = neighbourhood(q, retrieved.map((r) => r.f), this);
    return retrieved.map((r) => this.candidate(r.id, q, r.f, around)).sort((x, y) => y.score - x.score || y.topic - x.topic);
  }

  /**
   * The query terms to retrieve by, rarest first, within a budget of postings: a word in a tenth
   * of the library ("says", "new", "report") makes MiniSearch score thousands of articles for
   * nothing. Rare words (names, places) always retrieve; common ones only while the budget lasts.
   * Every query term still counts in the re-ranker.
   */
  private retrievalTerms(q: StoryFeatures): string[] {
    const all = [...new Set([...q.titleTerms, ...q.textTerms.slice(0, 24)])];
    const byRarity = all.sort((a, b) => this.documentFrequency(a) - this.documentFrequency(b));
    const chosen: string[] = [];
    let postings = 0;
    for (const term of byRarity) {
      postings += this.documentFrequency(term);
      if (chosen.length >= RETRIEVAL_MIN_TERMS && postings > RETRIEVAL_POSTINGS) break;
      chosen.push(term);
    }
    return chosen;
  }

  /** Related stories as the popup and badges show them: labelled, thresholded, copies collapsed. */
  match(query: StoryText & { id?: string }, options: MatchOptions = {}): RelatedStory[] {
    const level = options.minRelevance ?? 3;
    const limit = options.limit ?? 10;
    const stories: RelatedStory[] = [];
    const kept: StoryFeatures[] = [];
    const queryFeatures = storyFeatures(query);
    for (const candidate of this.rank(query, options)) {
      const label = labelFor(candidate, level, this.model) ?? (options.search && candidate.shared.count >= 2 ? 'related' : null);
      if (!label) continue;
      const article = this.articles.get(candidate.id)!;
      const features = this.featuresOf(candidate.id)!;
      const copyOf = kept.findIndex((k) => headlineCosine(k, features, this) >= SYNDICATED);
      if (copyOf >= 0) {
        const original = stories[copyOf];
        if (article.source !== original.source && !original.alsoIn.includes(article.source)) {
          original.alsoIn.push(article.source);
        }
        continue;
      }
      if (stories.length >= limit) continue;
      kept.push(features);
      stories.push({
        id: article.id,
        title: article.title,
        source: article.source,
        url: safeHttpUrl(article.url),
        publishedAt: article.publishedAt,
        label,
        score: Math.round(candidate.score * 1000) / 1000,
        // A story related through its text rather than its headline says which names it shares.
        matchedWords: candidate.matched.length
          ? wholeNames(candidate.matched, article.title)
          : wholeNames(sharedTopicNames(queryFeatures, features, 12), [article.title, article.description, article.body].filter(Boolean).join('\n')).slice(0, 5),
        alsoIn: [],
      });
    }
    // Same-story coverage first, then related developments; each group by score.
    return stories.sort((a, b) => (a.label === b.label ? b.score - a.score : a.label === 'same-story' ? -1 : 1));
  }
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
