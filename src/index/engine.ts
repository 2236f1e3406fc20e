import MiniSearch from 'minisearch';
import type { Article, ArticleKind, RelatedStory } from '../core/article';
import { DAY_MS } from '../core/time';
import { safeHttpUrl } from '../core/links';
import { stableId } from '../core/ids';
import { STOPWORDS } from '../core/stopwords';
import { articleFeatures, dayOf, MAX_TEXT_CHARS, MAX_TEXT_TERMS, pageKeys, storyFeatures, type StoryFeatures, type StoryText } from './features';
import { KINDS, shardOf, shardsBetween, SnapshotError, type IndexedArticle, type SavedHead, type SavedShard } from './snapshot';
import { headlineSimilarity, neighbourhood, pairSignals, sharedTopicNames, type PairSignals, type TermStats } from './pair';
import { labelFor, MODEL, probability, type Model, type RelevanceLevel } from './model';

/** Bump when the analysed terms or the index layout change: saved indexes of another version are rebuilt. */
export const INDEX_VERSION = 3;

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
  fieldLength: Map<number, number[]>;
  documentIds: Map<number, string>;
  removeTerm(fieldId: number, doc: number, term: string): void;
}

/** Read once per query: MiniSearch replaces some of these objects as documents come and go. */
function internalsOf(search: MiniSearch): MiniSearchInternals {
  const ms = search as unknown as Record<string, unknown> & { removeTerm(fieldId: number, doc: number, term: string): void };
  return {
    index: ms['_index'] as MiniSearchInternals['index'],
    fieldIds: ms['_fieldIds'] as Record<string, number>,
    fieldLength: ms['_fieldLength'] as Map<number, number[]>,
    documentIds: ms['_documentIds'] as Map<number, string>,
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
  /** One MiniSearch per week of publication (see snapshot.ts), only those loaded. */
  private readonly shards = new Map<string, MiniSearch>();
  /** Every article of the library, loaded or not: its shard and kind. */
  private readonly catalog = new Map<string, { shard: string; kind: ArticleKind }>();
  /** Shards saved but not loaded yet (a revive loads them as queries need them). */
  private readonly unloaded = new Set<string>();
  /** Shards changed since the last snapshot, with a change count (see snapshot/markSaved). */
  private readonly dirty = new Map<string, number>();
  /** Articles of the loaded shards, as the ranker reads them. */
  private readonly articles = new Map<string, IndexedArticle>();
  /** Analysed articles, filled when first scored (not kept for every article: heap). */
  private readonly features = new Map<string, StoryFeatures>();
  /** Days since the epoch per loaded article: the time window is checked for every retrieval hit. */
  private readonly days = new Map<string, number | null>();
  /** Documents per term in headlines and in text, over the whole library (BM25 and idf). */
  private titleDf = new Map<string, number>();
  private textDf = new Map<string, number>();
  private titleLengthSum = 0;
  private textLengthSum = 0;
  /** The current query's time window, read by inWindow for every retrieval posting. */
  private window: { center: number; centerDay: number; days: number; include?: (article: Article) => boolean; self?: string } = { center: 0, centerDay: 0, days: 0 };
  /**
   * A retrieval hit's boost: 0 for articles outside the window. One long-lived function rather
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

  constructor(private readonly model: Model = MODEL) {}

  get documentCount(): number {
    return this.catalog.size;
  }

  get averageTitleLength(): number {
    return this.catalog.size ? this.titleLengthSum / this.catalog.size : 8;
  }

  documentFrequency(term: string): number {
    return (this.titleDf.get(term) ?? 0) + (this.textDf.get(term) ?? 0);
  }

  has(id: string): boolean {
    return this.catalog.has(id);
  }

  /** A loaded article (every article is, once the shards holding them are: see missingShards). */
  get(id: string): IndexedArticle | undefined {
    return this.articles.get(id);
  }

  /** The loaded articles: every article once `missingShards()` is empty. */
  all(): IterableIterator<IndexedArticle> {
    return this.articles.values();
  }

  /** Articles per kind over the whole library, loaded or not. */
  countByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { kind } of this.catalog.values()) out[kind] = (out[kind] ?? 0) + 1;
    return out;
  }

  /**
   * The saved shards still to load before these queries can be answered (or, with none given,
   * before every article is): the library loads them with loadShard, then asks.
   */
  missingShards(queries?: readonly StoryText[], options: MatchOptions = {}): string[] {
    if (this.unloaded.size === 0) return [];
    const days = options.windowDays ?? 7;
    if (!queries || !Number.isFinite(days)) return [...this.unloaded];
    const want = new Set<string>();
    for (const query of queries) {
      const center = dayOf(query.publishedAt) ?? (options.now ?? Date.now()) / DAY_MS;
      for (const key of shardsBetween(center - days, center + days)) if (this.unloaded.has(key)) want.add(key);
    }
    return [...want];
  }

  /** The unloaded shards these articles are in (to load before they are replaced or removed). */
  shardsHolding(ids: Iterable<string>): string[] {
    const want = new Set<string>();
    for (const id of ids) {
      const shard = this.catalog.get(id)?.shard;
      if (shard !== undefined && this.unloaded.has(shard)) want.add(shard);
    }
    return [...want];
  }

  /** ...and the unloaded shards new articles go into (a shard is added to as a whole). */
  shardsReceiving(articles: Iterable<Article>): string[] {
    const want = new Set<string>();
    for (const a of articles) {
      const shard = shardOf(dayOf(a.publishedAt));
      if (this.unloaded.has(shard)) want.add(shard);
    }
    return [...want];
  }

  /** Adds articles; one already present under the same id is replaced. Their shards must be loaded. */
  addAll(articles: Iterable<Article>): void {
    for (const article of articles) {
      if (this.catalog.has(article.id)) this.remove(article.id);
      const stored = slim(article);
      const features = articleFeatures(stored);
      const shard = shardOf(features.day);
      this.loaded(shard, true).add({ id: article.id, title: features.titleTerms.join(' '), text: features.textTerms.join(' ') });
      this.catalog.set(article.id, { shard, kind: article.kind });
      this.articles.set(article.id, stored);
      this.days.set(article.id, features.day);
      this.count(features, 1);
      this.touch(shard);
    }
  }

  remove(id: string): void {
    const entry = this.catalog.get(id);
    if (!entry) return;
    if (this.unloaded.has(entry.shard)) throw new Error(`Storyline: shard ${entry.shard} must be loaded to remove ${id}.`);
    const features = this.featuresOf(id)!;
    this.shards.get(entry.shard)!.discard(id);
    this.count(features, -1);
    this.catalog.delete(id);
    this.articles.delete(id);
    this.features.delete(id);
    this.days.delete(id);
    this.touch(entry.shard);
  }

  /** The shard's MiniSearch, created when the first article of a new week comes. */
  private loaded(shard: string, create = false): MiniSearch {
    let search = this.shards.get(shard);
    if (!search) {
      if (this.unloaded.has(shard)) throw new Error(`Storyline: shard ${shard} must be loaded first.`);
      if (!create) throw new Error(`Storyline: no shard ${shard}.`);
      search = new MiniSearch(INDEX_OPTIONS);
      this.shards.set(shard, search);
    }
    return search;
  }

  private touch(shard: string): void {
    this.dirty.set(shard, (this.dirty.get(shard) ?? 0) + 1);
  }

  private count(features: StoryFeatures, delta: 1 | -1): void {
    this.idfCache.clear();
    this.generation++;
    this.titleLengthSum += delta * features.titleTerms.length;
    this.textLengthSum += delta * features.textTerms.length;
    // Headline and text terms are each distinct and never overlap (see storyFeatures).
    for (const [terms, df] of [[features.titleTerms, this.titleDf], [features.textTerms, this.textDf]] as const) {
      for (const term of terms) {
        const n = (df.get(term) ?? 0) + delta;
        if (n > 0) df.set(term, n);
        else df.delete(term);
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
   * The index as saved (see snapshot.ts): the head, and the shards changed since the last save (all
   * of them with `all`), with the change counts markSaved needs. Shards emptied since are listed
   * in `removed`. Throws while shards are unloaded and `all` is asked for.
   */
  snapshot(savedAt: string, options: { all?: boolean } = {}): { head: SavedHead; shards: SavedShard[]; removed: string[]; versions: Map<string, number> } {
    const keys = [...[...this.shards].filter(([, search]) => search.documentCount > 0).map(([key]) => key), ...this.unloaded];
    const position = new Map(keys.map((k, i) => [k, i]));
    const ids: string[] = [];
    const shardOfDoc: number[] = [];
    const kindOf: number[] = [];
    for (const [id, { shard, kind }] of this.catalog) {
      ids.push(id);
      shardOfDoc.push(position.get(shard)!);
      kindOf.push(KINDS.indexOf(kind));
    }
    const terms = [...new Set([...this.titleDf.keys(), ...this.textDf.keys()])];
    const head: SavedHead = {
      version: INDEX_VERSION,
      fingerprint: INDEX_FINGERPRINT,
      savedAt,
      titleLengthSum: this.titleLengthSum,
      textLengthSum: this.textLengthSum,
      terms,
      titleDf: terms.map((t) => this.titleDf.get(t) ?? 0),
      textDf: terms.map((t) => this.textDf.get(t) ?? 0),
      ids,
      shardOf: shardOfDoc,
      kindOf,
      shards: keys,
    };
    if (options.all && this.unloaded.size) throw new Error('Storyline: load every shard before saving them all.');
    const changed = options.all ? [...this.shards.keys()] : [...this.dirty.keys()];
    const shards: SavedShard[] = [];
    const removed: string[] = [];
    const versions = new Map<string, number>();
    const members = new Map<string, IndexedArticle[]>(changed.map((key) => [key, []]));
    for (const [id, { shard }] of this.catalog) members.get(shard)?.push(this.articles.get(id)!);
    for (const key of changed) {
      versions.set(key, this.dirty.get(key) ?? 0);
      const search = this.shards.get(key);
      if (!search || search.documentCount === 0) removed.push(key);
      else shards.push({ key, search: search.toJSON(), articles: members.get(key)! });
    }
    return { head, shards, removed, versions };
  }

  /** After a save: the shards saved are clean, unless they changed again while it was written. */
  markSaved(versions: ReadonlyMap<string, number>): void {
    for (const [key, version] of versions) {
      if (this.dirty.get(key) === version) this.dirty.delete(key);
      const search = this.shards.get(key);
      if (search && search.documentCount === 0) this.shards.delete(key);
    }
  }

  /**
   * Revives a saved head: the word statistics and the catalogue, no shard yet (loadShard).
   * Throws SnapshotError on a head that does not fit together.
   */
  static revive(head: SavedHead, model: Model = MODEL): StoryIndex {
    const index = new StoryIndex(model);
    head.terms.forEach((term, i) => {
      if (head.titleDf[i]) index.titleDf.set(term, head.titleDf[i]);
      if (head.textDf[i]) index.textDf.set(term, head.textDf[i]);
    });
    index.titleLengthSum = head.titleLengthSum;
    index.textLengthSum = head.textLengthSum;
    head.ids.forEach((id, i) => index.catalog.set(id, { shard: head.shards[head.shardOf[i]], kind: KINDS[head.kindOf[i]] }));
    if (index.catalog.size !== head.ids.length) throw new SnapshotError('lists an article twice');
    for (const key of head.shards) index.unloaded.add(key);
    return index;
  }

  /** Loads a saved shard; it must hold exactly the articles the catalogue puts in it. */
  loadShard(saved: SavedShard): void {
    const key = saved.key;
    if (!this.unloaded.has(key)) return;
    const expected = [...this.catalog.values()].filter((e) => e.shard === key).length;
    if (saved.articles.length !== expected || saved.articles.some((a) => this.catalog.get(a.id)?.shard !== key)) {
      throw new SnapshotError(`shard ${key} does not match its catalogue`);
    }
    let search: MiniSearch;
    try {
      search = MiniSearch.loadJS(saved.search as never, INDEX_OPTIONS);
    } catch {
      throw new SnapshotError(`shard ${key} is corrupt`);
    }
    if (search.documentCount !== expected) throw new SnapshotError(`shard ${key} does not match its catalogue`);
    for (const article of saved.articles) {
      this.articles.set(article.id, article);
      this.days.set(article.id, dayOf(article.publishedAt));
    }
    this.shards.set(key, search);
    this.unloaded.delete(key);
  }

  /** A whole index over these articles, as a revive of its own snapshot would give (tests, benchmark). */
  static roundTrip(index: StoryIndex, model: Model = MODEL): StoryIndex {
    const { head, shards } = JSON.parse(JSON.stringify(index.snapshot('1970-01-01T00:00:00.000Z', { all: true }))) as ReturnType<StoryIndex['snapshot']>;
    const revived = StoryIndex.revive(head, model);
    for (const shard of shards) revived.loadShard(shard);
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
   * The CANDIDATES best ids for the query terms, over the postings of the shards the window covers:
   * MiniSearch's search arithmetic (BM25 per field, summed per term, terms summed, times the number
   * of query terms matched, prefix matches weighted as MiniSearch weighs them), with the library's
   * word statistics rather than a shard's, and without MiniSearch's result object per hit and its
   * option merging per term, which made most of a query's garbage (issue 13: query p95).
   */
  private topHits(terms: readonly string[], prefix: (term: string) => boolean): string[] {
    const w = this.window;
    const keys = Number.isFinite(w.days) ? shardsBetween(w.center - w.days, w.center + w.days) : [...this.shards.keys()];
    // The library's statistics, not the shard's: a query scores the same over one shard or all.
    const total = this.catalog.size;
    const n = Math.max(total, 1);
    const fields = [
      { boost: TITLE_BOOST, df: this.titleDf, avgLength: this.titleLengthSum / n || 1 },
      { boost: 1, df: this.textDf, avgLength: this.textLengthSum / n || 1 },
    ];
    const scores = new Map<string, number>();
    const quality = new Map<string, number>();
    for (const key of keys) {
      const search = this.shards.get(key);
      if (!search) continue;
      const ms = internalsOf(search);
      const fieldIds = [ms.fieldIds.title, ms.fieldIds.text];
      for (const term of terms) {
        const termScores = new Map<string, number>();
        this.termScores(ms, term, 1, ms.index.get(term), fieldIds, fields, total, termScores);
        if (prefix(term)) {
          for (const [derived, data] of ms.index.atPrefix(term)) {
            const distance = derived.length - term.length;
            if (!distance) continue;
            const weight = (PREFIX_WEIGHT * derived.length) / (derived.length + 0.3 * distance);
            this.termScores(ms, derived, weight, data, fieldIds, fields, total, termScores);
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
    }
    const docs: string[] = [];
    const final: number[] = [];
    for (const [doc, score] of scores) {
      docs.push(doc);
      final.push(score * (quality.get(doc) || 1));
    }
    const order = docs.map((_, i) => i).sort((a, b) => final[b] - final[a] || a - b);
    return order.slice(0, CANDIDATES).map((i) => docs[i]);
  }

  /** MiniSearch's termResults for one (derived) term in one shard, scores only; see topHits. */
  private termScores(
    ms: MiniSearchInternals,
    derivedTerm: string,
    termWeight: number,
    data: Map<number, Map<number, number>> | undefined,
    fieldIds: readonly number[],
    fields: readonly { boost: number; df: Map<string, number>; avgLength: number }[],
    total: number,
    out: Map<string, number>,
  ): void {
    if (data == null) return;
    for (let f = 0; f < fieldIds.length; f++) {
      const fieldId = fieldIds[f];
      const { boost: fieldBoost, df, avgLength } = fields[f];
      const freqs = data.get(fieldId);
      if (freqs == null) continue;
      const matching = df.get(derivedTerm) ?? freqs.size;
      const invDocFreq = Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
      for (const doc of freqs.keys()) {
        const id = ms.documentIds.get(doc);
        if (id === undefined) {
          ms.removeTerm(fieldId, doc, derivedTerm);
          continue;
        }
        const docBoost = this.inWindow(id);
        if (!docBoost) continue;
        const termFreq = freqs.get(doc)!;
        const fieldLength = ms.fieldLength.get(doc)![fieldId];
        const rawScore = invDocFreq * (BM25_D + (termFreq * (BM25_K + 1)) / (termFreq + BM25_K * (1 - BM25_B + (BM25_B * fieldLength) / avgLength)));
        const weighted = termWeight * fieldBoost * docBoost * rawScore;
        const before = out.get(id);
        out.set(id, before === undefined ? weighted : before + weighted);
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

/**
 * An article as the index keeps it: what analysis reads (the description and body cut to the
 * characters analysis reads, as one text) and what pruning and change stamps read, nothing else.
 */
function slim(a: Article): IndexedArticle {
  const s = a as IndexedArticle;
  const text = [a.description, a.body].filter(Boolean).join('\n').slice(0, MAX_TEXT_CHARS);
  const out: IndexedArticle = { id: a.id, kind: a.kind, title: a.title, source: a.source, publishedAt: a.publishedAt, url: a.url };
  if (a.canonicalUrl) out.canonicalUrl = a.canonicalUrl;
  if (text) out.description = text;
  if (a.lang) out.lang = a.lang;
  if (s.sortAt) out.sortAt = s.sortAt;
  if (s.rev) out.rev = s.rev;
  if (s.fetchedAt) out.fetchedAt = s.fetchedAt;
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
