import MiniSearch from 'minisearch';
import type { Article, ArticleKind } from '../core/article';
import { DAY_MS } from '../core/time';
import { DEFAULTS } from '../settings/schema';
import { stableId } from '../core/ids';
import { STOPWORDS } from '../core/stopwords';
import { articleFeatures, indexTerms, MAX_TEXT_CHARS, MAX_TEXT_TERMS, storyFeatures, type StoryFeatures, type StoryText } from './features';
import { HISTORY, KINDS, lowerBound, mergeSegment, prefixRange, SegmentWriter, SnapshotError, termsOf, TITLE, type Segment, type SegmentDoc } from './segment';
import type { TermStats } from './pair';
import type { RelevanceLevel } from './model';

/**
 * The library's index as stored and searched (issue 11: one job per file): the saved segment, the
 * live MiniSearch of articles added since, the articles read for ranking, the word statistics, and
 * retrieval over them. Ranking and presentation are StoryIndex's (engine.ts).
 */
/** Bump when the analysed terms or the index layout change: saved indexes of another version are rebuilt. */
export const INDEX_VERSION = 4;

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
  /** 1 (more, looser) .. 5 (fewer, closer); default: the settings' default. */
  minRelevance?: RelevanceLevel;
  /** Most results returned; default: the settings' default. */
  limit?: number;
  /** Only stories within this many days of the query's time; default: the settings' default. */
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
  include?: (article: { kind: ArticleKind }) => boolean;
  /**
   * Whether the list holds a report of the page's own event, which "Related" needs unless it stands
   * alone (labelsFor); default: whether a candidate is labelled "Same story". False where the
   * person has hidden every such report ("Not the same story", answer.ts).
   */
  anchored?: boolean;
}

/** MiniSearch 7's internals that topHits reads (its postings, field lengths and short ids). */
interface MiniSearchInternals {
  index: { get(term: string): Map<number, Map<number, number>> | undefined; atPrefix(term: string): Iterable<[string, Map<number, Map<number, number>>]> };
  fieldIds: Record<string, number>;
  fieldLength: Map<number, number[]>;
  documentIds: Map<number, string>;
  idToShortId: Map<string, number>;
  removeTerm(fieldId: number, doc: number, term: string): void;
}

/** Whether postings[from .. to), sorted ascending (a segment's postings of one term), hold `code`. */
function hasPosting(postings: Uint32Array, from: number, to: number, code: number): boolean {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (postings[mid] < code) lo = mid + 1;
    else hi = mid;
  }
  return lo < to && postings[lo] === code;
}

/** Read once per query: MiniSearch replaces some of these objects as documents come and go. */
function internalsOf(search: MiniSearch): MiniSearchInternals {
  const ms = search as unknown as Record<string, unknown> & { removeTerm(fieldId: number, doc: number, term: string): void };
  return {
    index: ms['_index'] as MiniSearchInternals['index'],
    fieldIds: ms['_fieldIds'] as Record<string, number>,
    fieldLength: ms['_fieldLength'] as Map<number, number[]>,
    documentIds: ms['_documentIds'] as Map<number, string>,
    idToShortId: ms['_idToShortId'] as Map<string, number>,
    removeTerm: (fieldId, doc, term) => ms.removeTerm(fieldId, doc, term),
  };
}
/** MiniSearch's defaults, as its search uses them: BM25 k, b, d and the prefix-match weight. */
const BM25_K = 1.2;
const BM25_B = 0.7;
const BM25_D = 0.5;
const PREFIX_WEIGHT = 0.375;
const TITLE_BOOST = INDEX_OPTIONS.searchOptions.boost.title;

/**
 * Word sets whose headline days headlinesWith keeps in each of its two spells: a page asks for two
 * per candidate for the bursts and, for the candidate's own event, one per headline word the page
 * lacks (a hundred or so a page, most of them asked by earlier pages too), so a spell covers the
 * last few pages' new words, and common words asked again carry over (at 54k articles, about two
 * words a page are counted afresh). Bounded, so a years-long library (a day map per word set) stays
 * within megabytes.
 */
const DAY_CACHE_SIZE = 8_000;
/** A history record's terms, for count(): history is in no statistic. */
const NO_TERMS = { titleTerms: [], textTerms: [] } as const;
/** How many retrieval hits the re-ranker looks at. Past 40 the dev MRR stops moving. */
export const CANDIDATES = 40;
/**
 * Reading-history hits it looks at beside them, in places of their own: a page the person opened
 * can be any page (one reloading itself a hundred times wrote a hundred near-copies of a headline),
 * so history never takes a place from the seeds, feeds and imports (attack review, helper-30).
 */
export const HISTORY_CANDIDATES = 10;
/** Most postings (documents per term, summed) a query retrieves over; see retrievalTerms. */
const RETRIEVAL_POSTINGS = 350;
const RETRIEVAL_MIN_TERMS = 3;
/** How much a day's distance from the page lowers a retrieval hit: 1 / (1 + decay x days). */
const RETRIEVAL_DAY_DECAY = 4;
const RETRIEVAL_UNDATED = 0.5;

/** MiniSearch's weight for a prefix match: a derived term a few letters longer counts less. */
function prefixWeight(term: string, derived: string): number {
  const distance = derived.length - term.length;
  return (PREFIX_WEIGHT * derived.length) / (derived.length + 0.3 * distance);
}

const iso = (ms: number) => new Date(Number.isFinite(ms) ? ms : 0).toISOString();

/** An article as the index keeps it (see slim). */
export type IndexedArticle = Article & { sortAt?: string; rev?: string; fetchedAt?: string };

/** What pruning sorts an article by (ms): its sort time, else its publication, else 0. */
function sortTime(a: IndexedArticle): number {
  const at = Date.parse(a.sortAt ?? a.publishedAt ?? '');
  return Number.isNaN(at) ? 0 : at;
}

/** The related-stories engine: MiniSearch retrieval, then a learned pair re-ranker. */
/** Reads articles by id from where they are stored (the worker: IndexedDB). */
export type ArticleLoader = (ids: readonly string[]) => Promise<(Article | undefined)[]>;

export class IndexStore implements TermStats {
  /** The saved part of the library, searched as it is (segment.ts); null until a save or revive. */
  private segment: Segment | null = null;
  /** The segment's article positions (its terms are found by binary search: no map to build on a wake-up). */
  private segmentDocs = new Map<string, number>();
  /** Segment articles removed (or replaced) since it was built. */
  private readonly dead = new Set<number>();
  /** Articles added since the segment: MiniSearch, which takes additions and removals. */
  private live = new MiniSearch(INDEX_OPTIONS);
  private readonly liveDocs = new Map<string, { day: number | null; kind: ArticleKind; sortAt: number }>();
  /** Articles as the ranker reads them: every live one, and the segment's once read (see load). */
  protected readonly articles = new Map<string, IndexedArticle>();
  /** Analysed articles, filled when first scored (not kept for every article: heap). */
  private readonly features = new Map<string, StoryFeatures>();
  /** The library's word statistics: the segment's plus these changes since. */
  private readonly titleDelta = new Map<string, number>();
  private readonly textDelta = new Map<string, number>();
  private titleLengthSum = 0;
  private textLengthSum = 0;
  /** Reading-history articles: indexed, but in no statistic (see HISTORY in segment.ts). */
  private historyDocs = 0;
  /** Reads articles by id from where they are stored (the worker: IndexedDB); none in Node tools. */
  private readonly loader: ArticleLoader | undefined;
  /** The current query's time window, read for every retrieval posting. */
  private window: { center: number; centerDay: number; days: number; include?: (article: { kind: ArticleKind }) => boolean; self?: string } = {
    center: 0,
    centerDay: 0,
    days: 0,
  };
  /** Articles per calendar day (UTC), segment and live together: how crowded a day's news is. */
  private readonly dayCounts = new Map<number, number>();
  /** idf per term, valid until the articles change (pair scoring asks for the same terms often). */
  readonly idfCache = new Map<string, number>();
  generation = 0;

  constructor(loader?: ArticleLoader) {
    this.loader = loader;
  }

  /** Articles in the library, reading history included. */
  get size(): number {
    return (this.segment ? this.segment.ids.length - this.dead.size : 0) + this.liveDocs.size;
  }

  /** Articles the statistics count: every one but reading history. */
  get documentCount(): number {
    return this.size - this.historyDocs;
  }

  /** How many articles the library holds for this calendar day (UTC day number). */
  articlesOnDay(day: number): number {
    return this.dayCounts.get(day) ?? 0;
  }

  private countDay(day: number | null, kind: ArticleKind, delta: 1 | -1): void {
    if (day === null || !Number.isFinite(day) || kind === 'history') return;
    const key = Math.floor(day);
    const n = (this.dayCounts.get(key) ?? 0) + delta;
    if (n > 0) this.dayCounts.set(key, n);
    else this.dayCounts.delete(key);
  }

  get averageTitleLength(): number {
    const n = this.documentCount;
    return n ? this.titleLengthSum / n : 8;
  }

  private titleDf(term: string, at = this.termAt(term)): number {
    return (at === undefined ? 0 : this.segment!.titleDf[at]) + (this.titleDelta.get(term) ?? 0);
  }

  private textDf(term: string, at = this.termAt(term)): number {
    return (at === undefined ? 0 : this.segment!.textDf[at]) + (this.textDelta.get(term) ?? 0);
  }

  /** A term's position in the segment's sorted terms, or undefined. */
  private termAt(term: string): number | undefined {
    const terms = this.segment?.terms;
    if (!terms) return undefined;
    const lo = lowerBound(terms, term);
    return lo < terms.length && terms[lo] === term ? lo : undefined;
  }

  documentFrequency(term: string): number {
    const at = this.termAt(term);
    return this.titleDf(term, at) + this.textDf(term, at);
  }

  /**
   * Articles within `days` calendar days of `day` whose headline holds every one of `terms` (the
   * rarest first), and how many of them are of that day itself: whether a pair's shared words are
   * an event's (many headlines that day, few around it) or a running topic's (every day alike).
   * Reading history counts in no statistic; `exclude` (the page itself) is left out.
   */
  headlinesWith(terms: readonly string[], day: number, days: number, exclude: ReadonlySet<string>): { around: number; onDay: number } {
    let around = 0;
    const byDay = this.headlineDays(terms);
    // A long library holds a word on hundreds of days: read the window's days, not all of them.
    if (byDay.size > 2 * days + 1) for (let d = Math.ceil(day - days); d <= Math.floor(day + days); d++) around += byDay.get(d) ?? 0;
    else for (const [d, n] of byDay) if (Math.abs(d - day) <= days) around += n;
    let onDay = byDay.get(day) ?? 0;
    for (const id of exclude) {
      const d = this.headlineDayOf(id, terms);
      if (d === null || Math.abs(d - day) > days) continue;
      around--;
      if (d === day) onDay--;
    }
    return { around, onDay };
  }

  /** Per calendar day, the counted articles whose headline holds every one of `terms`; memoised while the library is unchanged. */
  private headlineDays(terms: readonly string[]): Map<number, number> {
    const key = terms.length === 1 ? terms[0] : terms.join(' ');
    const cache = this.dayCache;
    if (cache.generation !== this.generation) this.dayCache = { generation: this.generation, recent: new Map(), older: new Map() };
    else if (cache.recent.size >= DAY_CACHE_SIZE) this.dayCache = { generation: this.generation, recent: new Map(), older: cache.recent };
    const { recent, older } = this.dayCache;
    let cached = recent.get(key);
    if (!cached && (cached = older.get(key))) recent.set(key, cached);
    if (cached) return cached;
    const byDay = new Map<number, number>();
    const add = (day: number) => byDay.set(day, (byDay.get(day) ?? 0) + 1);
    const s = this.segment;
    const at = terms.map((t) => this.termAt(t));
    if (s && at.every((a) => a !== undefined)) {
      const [first, ...rest] = at as number[];
      const dead = this.dead.size > 0 ? this.dead : null;
      for (let p = s.offsets[first]; p < s.offsets[first + 1]; p++) {
        const code: number = s.postings[p];
        if ((code & 1) !== TITLE) continue;
        const doc = code >>> 1;
        if (dead?.has(doc) || s.kinds[doc] === HISTORY || Number.isNaN(s.days[doc])) continue;
        if (rest.every((r) => hasPosting(s.postings, s.offsets[r], s.offsets[r + 1], code))) add(Math.floor(s.days[doc]));
      }
    }
    if (this.liveDocs.size > 0) {
      const live = internalsOf(this.live);
      const holders = terms.map((t) => live.index.get(t)?.get(live.fieldIds.title));
      if (holders.every((h) => h !== undefined)) {
        const [first, ...rest] = holders as Map<number, number>[];
        for (const doc of first.keys()) {
          if (!rest.every((h) => h.has(doc))) continue;
          const id = live.documentIds.get(doc);
          const info = id === undefined ? undefined : this.liveDocs.get(id);
          if (info && info.kind !== 'history' && info.day !== null) add(Math.floor(info.day));
        }
      }
    }
    recent.set(key, byDay);
    return byDay;
  }

  /** headlineDays' memo: the word sets asked for lately, and those of the spell before (kept if asked again). */
  private dayCache: { generation: number; recent: Map<string, Map<number, number>>; older: Map<string, Map<number, number>> } = {
    generation: -1,
    recent: new Map(),
    older: new Map(),
  };

  /** The calendar day of a counted article whose headline holds every one of `terms`, else null (see headlineDays). */
  private headlineDayOf(id: string, terms: readonly string[]): number | null {
    const s = this.segment;
    const doc = this.segmentDoc(id);
    if (s && doc !== undefined) {
      if (s.kinds[doc] === HISTORY || Number.isNaN(s.days[doc])) return null;
      const code = doc << 1;
      const holds = terms.every((t) => {
        const at = this.termAt(t);
        return at !== undefined && hasPosting(s.postings, s.offsets[at], s.offsets[at + 1], code);
      });
      return holds ? Math.floor(s.days[doc]) : null;
    }
    const info = this.liveDocs.get(id);
    if (!info || info.kind === 'history' || info.day === null) return null;
    const live = internalsOf(this.live);
    const short = live.idToShortId.get(id);
    if (short === undefined) return null;
    return terms.every((t) => live.index.get(t)?.get(live.fieldIds.title)?.has(short)) ? Math.floor(info.day) : null;
  }

  /** The segment position of an article still in it, or undefined. */
  private segmentDoc(id: string): number | undefined {
    const d = this.segmentDocs.get(id);
    return d === undefined || this.dead.has(d) ? undefined : d;
  }

  has(id: string): boolean {
    return this.liveDocs.has(id) || this.segmentDoc(id) !== undefined;
  }

  /** An article as the ranker reads it, when in memory (every live one; segment ones once read). */
  get(id: string): IndexedArticle | undefined {
    return this.articles.get(id);
  }

  /** The articles in memory: all of them in Node tools; in the worker after `loadAll`. */
  all(): IterableIterator<IndexedArticle> {
    return this.articles.values();
  }

  /** An article's kind, read or not (undefined when it is not in the library). */
  kindOf(id: string): ArticleKind | undefined {
    const live = this.liveDocs.get(id);
    if (live) return live.kind;
    const d = this.segmentDoc(id);
    return d === undefined ? undefined : KINDS[this.segment!.kinds[d]];
  }

  /** Articles per kind over the whole library, read or not. */
  countByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    const add = (kind: string) => (out[kind] = (out[kind] ?? 0) + 1);
    if (this.segment) for (let d = 0; d < this.segment.ids.length; d++) if (!this.dead.has(d)) add(KINDS[this.segment.kinds[d]]);
    for (const { kind } of this.liveDocs.values()) add(kind);
    return out;
  }

  /** What pruning and eviction sort by, for every article, without reading any. */
  summaries(): { id: string; kind: ArticleKind; sortAt: string }[] {
    const out: { id: string; kind: ArticleKind; sortAt: string }[] = [];
    const s = this.segment;
    if (s) for (let d = 0; d < s.ids.length; d++) if (!this.dead.has(d)) out.push({ id: s.ids[d], kind: KINDS[s.kinds[d]], sortAt: iso(s.sortAt[d]) });
    for (const [id, doc] of this.liveDocs) out.push({ id, kind: doc.kind, sortAt: iso(doc.sortAt) });
    return out;
  }

  /**
   * Reads the articles these queries' candidates are, so that rank and match can score them: the
   * worker keeps only the saved segment in memory, not its articles. Without a loader (Node tools
   * hold every article) there is nothing to read.
   */
  async load(queries: readonly (StoryText & { id?: string })[], options: MatchOptions = {}): Promise<void> {
    if (!this.loader) return;
    const want = new Set<string>();
    for (const query of queries) {
      for (const id of this.hits(storyFeatures(query), query.id, options)) if (!this.articles.has(id)) want.add(id);
    }
    await this.read([...want]);
  }

  /** Reads every article not in memory yet (tests, and whatever needs them all). */
  async loadAll(): Promise<void> {
    if (!this.loader || !this.segment) return;
    await this.read(this.segment.ids.filter((id) => this.segmentDoc(id) !== undefined && !this.articles.has(id)));
  }

  /** Reads these articles (segment ones not in memory); used before replacing or comparing them. */
  async read(ids: readonly string[]): Promise<void> {
    const missing = ids.filter((id) => !this.articles.has(id) && this.segmentDoc(id) !== undefined);
    if (!this.loader || missing.length === 0) return;
    const records = await this.loader(missing);
    records.forEach((record, i) => {
      const id = missing[i];
      // Removed while it was read: not put back.
      if (record && record.id === id && this.segmentDoc(id) !== undefined && !this.articles.has(id)) this.articles.set(id, slim(record));
    });
  }

  /** Puts articles already in the index in memory, as `read` would (Node tools that hold them all). */
  addArticles(articles: Iterable<Article>): void {
    for (const article of articles) if (this.has(article.id) && !this.articles.has(article.id)) this.articles.set(article.id, slim(article));
  }

  /** Adds articles; one already present under the same id is replaced. */
  addAll(articles: Iterable<Article>): void {
    const list = [...articles];
    this.removeAll(list.map((a) => a.id).filter((id) => this.has(id)));
    for (const article of list) {
      if (this.liveDocs.has(article.id)) this.removeAll([article.id]);
      const stored = slim(article);
      const features = indexTerms(stored);
      this.live.add({ id: article.id, title: features.titleTerms.join(' '), text: features.textTerms.join(' ') });
      this.liveDocs.set(article.id, { day: features.day, kind: article.kind, sortAt: sortTime(stored) });
      this.articles.set(article.id, stored);
      this.count(features, article.kind, 1);
      this.countDay(features.day, article.kind, 1);
    }
  }

  remove(id: string): void {
    this.removeAll([id]);
  }

  /** Removes articles (unknown ids are ignored); segment ones need not be in memory. */
  removeAll(ids: readonly string[]): void {
    const fromSegment = new Set<number>();
    for (const id of ids) {
      if (this.liveDocs.has(id)) {
        const { day, kind } = this.liveDocs.get(id)!;
        this.count(this.features.get(id) ?? indexTerms(this.articles.get(id)!), kind, -1);
        this.countDay(day, kind, -1);
        this.live.discard(id);
        this.liveDocs.delete(id);
      } else {
        const d = this.segmentDoc(id);
        if (d === undefined) continue;
        fromSegment.add(d);
      }
      this.articles.delete(id);
      this.features.delete(id);
    }
    if (fromSegment.size === 0) return;
    // Reading history is in no statistic: marked dead at once, with no pass over the postings (a
    // pass cost 13-25 ms at 54k articles, and a page could time a history entry being replaced).
    const withTerms = new Set<number>();
    for (const d of fromSegment) {
      const kind = KINDS[this.segment!.kinds[d]];
      if (kind !== 'history') withTerms.add(d);
      else {
        this.count(NO_TERMS, kind, -1);
        this.countDay(this.segment!.days[d], kind, -1);
        this.dead.add(d);
      }
    }
    if (withTerms.size === 0) return;
    // The segment's own terms of each removed article (one pass over the postings).
    for (const [d, terms] of termsOf(this.segment!, withTerms)) {
      const kind = KINDS[this.segment!.kinds[d]];
      this.count(terms, kind, -1);
      this.countDay(this.segment!.days[d], kind, -1);
      this.dead.add(d);
    }
  }

  private count(features: { titleTerms: readonly string[]; textTerms: readonly string[] }, kind: ArticleKind, delta: 1 | -1): void {
    this.idfCache.clear();
    this.generation++;
    if (kind === 'history') {
      this.historyDocs += delta;
      return;
    }
    this.titleLengthSum += delta * features.titleTerms.length;
    this.textLengthSum += delta * features.textTerms.length;
    // Headline and text terms are each distinct and never overlap (see storyFeatures).
    for (const [terms, df] of [
      [features.titleTerms, this.titleDelta],
      [features.textTerms, this.textDelta],
    ] as const) {
      for (const term of terms) {
        const n = (df.get(term) ?? 0) + delta;
        if (n !== 0) df.set(term, n);
        else df.delete(term);
      }
    }
  }

  protected featuresOf(id: string): StoryFeatures | undefined {
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
   * Folds the changes since the segment into a new one (the live articles and the removals) and
   * returns it, to be saved. Synchronous: a change that comes while the segment is written goes
   * into the live part of the new one.
   */
  compact(): Segment {
    const added: SegmentDoc[] = [];
    for (const [id, doc] of this.liveDocs) {
      const f = this.features.get(id) ?? indexTerms(this.articles.get(id)!);
      added.push({ id, day: doc.day, sortAt: doc.sortAt, kind: doc.kind, titleTerms: f.titleTerms, textTerms: f.textTerms });
    }
    this.useSegment(mergeSegment(this.segment, this.dead, added));
    return this.segment!;
  }

  /** Makes `segment` the saved part, with nothing live or removed since; statistics from it. */
  protected useSegment(segment: Segment): void {
    this.segment = segment;
    // One loop, no [id, position] pair per article (a waking worker builds this before it answers).
    const docs = new Map<string, number>();
    const ids = segment.ids;
    for (let d = 0; d < ids.length; d++) docs.set(ids[d], d);
    if (docs.size !== ids.length) throw new SnapshotError('lists an article twice');
    this.segmentDocs = docs;
    this.dead.clear();
    this.live = new MiniSearch(INDEX_OPTIONS);
    this.liveDocs.clear();
    this.titleDelta.clear();
    this.textDelta.clear();
    this.titleLengthSum = 0;
    this.textLengthSum = 0;
    this.historyDocs = 0;
    this.dayCounts.clear();
    for (let d = 0; d < segment.ids.length; d++) {
      if (segment.kinds[d] === HISTORY) {
        this.historyDocs++;
        continue;
      }
      this.titleLengthSum += segment.titleLength[d];
      this.textLengthSum += segment.textLength[d];
    }
    for (const [day, n] of countDays(segment.days, segment.kinds)) this.dayCounts.set(day, n);
    this.idfCache.clear();
    this.generation++;
  }

  /** Builds the segment straight from these articles: faster than adding them one by one. */
  protected buildFrom(articles: Iterable<Article>): void {
    // An id given twice is indexed once, at its first place, as its last version (a Map's order).
    for (const article of articles) this.articles.set(article.id, slim(article));
    const writer = new SegmentWriter(this.articles.size);
    for (const stored of this.articles.values()) {
      const f = indexTerms(stored);
      writer.add({ id: stored.id, day: f.day, sortAt: sortTime(stored), kind: stored.kind, titleTerms: f.titleTerms, textTerms: f.textTerms });
    }
    this.useSegment(writer.finish());
  }

  /** The ids of the query's CANDIDATES best retrieval hits within its window. */
  protected hits(q: StoryFeatures, selfId: string | undefined, options: MatchOptions): string[] {
    if (q.titleTerms.length === 0 && q.textTerms.length === 0) return [];
    const windowDays = options.windowDays ?? DEFAULTS.windowDays;
    const center = q.day ?? (options.now ?? Date.now()) / DAY_MS;
    const lastTitleTerm = q.titleTerms[q.titleTerms.length - 1];
    this.window = { center, centerDay: Math.floor(center), days: windowDays, include: options.include, self: selfId };
    const terms = this.retrievalTerms(q).filter((term) => !!term);
    return this.topHits(terms, (term) => q.truncated && term === lastTitleTerm && term.length >= 3);
  }

  /** A hit's boost: 0 outside the window (or excluded); else the day's distance as a prior. */
  private boost(id: string, day: number | null, kind: ArticleKind): number {
    const w = this.window;
    if (id === w.self) return 0;
    if (day !== null && (day < w.center - w.days || day > w.center + w.days)) return 0;
    if (w.include && !w.include({ kind })) return 0;
    // Time as a prior in retrieval too: of two equal matches, the one of the page's day first.
    return day === null ? RETRIEVAL_UNDATED : 1 / (1 + RETRIEVAL_DAY_DECAY * Math.abs(Math.floor(day) - w.centerDay));
  }

  /** Which kinds the current query's `include` accepts, by KINDS index: asked once a query, not once a posting. */
  private allowedKinds(): boolean[] {
    const include = this.window.include;
    return KINDS.map((kind) => !include || include({ kind }));
  }

  /**
   * The CANDIDATES best ids for the query terms, over the saved segment's postings and the live
   * MiniSearch's: MiniSearch's search arithmetic (BM25 per field, summed per term, terms summed,
   * times the number of query terms matched, prefix matches weighted as MiniSearch weighs them),
   * with the library's word statistics, and without a result object per hit (issue 13: query p95).
   */
  private topHits(terms: readonly string[], prefix: (term: string) => boolean): string[] {
    const n = Math.max(this.documentCount, 1);
    const avg = [this.titleLengthSum / n || 1, this.textLengthSum / n || 1];
    const live = internalsOf(this.live);
    const liveFields = [live.fieldIds.title, live.fieldIds.text];
    const allowed = this.allowedKinds();
    const acc = this.accumulator();
    acc.clear();
    for (const term of terms) {
      const at = this.termAt(term);
      if (at !== undefined) this.segmentScores(at, 1, avg, allowed, acc);
      this.liveScores(live, term, 1, live.index.get(term), liveFields, avg, acc);
      if (prefix(term)) {
        if (this.segment) {
          const [from, to] = prefixRange(this.segment.terms, term);
          for (let i = from; i < to; i++) {
            const derived = this.segment.terms[i];
            if (derived.length > term.length) this.segmentScores(i, prefixWeight(term, derived), avg, allowed, acc);
          }
        }
        for (const [derived, data] of live.index.atPrefix(term)) {
          if (derived.length > term.length) this.liveScores(live, derived, prefixWeight(term, derived), data, liveFields, avg, acc);
        }
      }
      acc.endTerm();
    }
    const segmentKinds = this.segment?.kinds;
    return acc.top(
      CANDIDATES,
      HISTORY_CANDIDATES,
      (doc) => segmentKinds?.[doc] === HISTORY,
      (id) => this.liveDocs.get(id)?.kind === 'history',
    );
  }

  /** The per-query score accumulator, sized to the segment (kept between queries, left clean by `top`). */
  private scores: ScoreAccumulator | null = null;

  private accumulator(): ScoreAccumulator {
    const ids = this.segment?.ids ?? [];
    if (!this.scores || this.scores.segmentIds !== ids) this.scores = new ScoreAccumulator(ids);
    return this.scores;
  }

  /** BM25 of one term in one field, MiniSearch's formula: idf times the term-frequency part. */
  private bm25(matching: number, fieldLength: number, avgLength: number, termFreq = 1): number {
    return this.idfOf(matching) * this.bm25Tf(fieldLength, avgLength, termFreq);
  }

  private idfOf(matching: number): number {
    const total = this.documentCount;
    return Math.log(1 + (total - matching + 0.5) / (matching + 0.5));
  }

  /** BM25's term-frequency part; a segment term occurs once per field (tf 1). */
  private bm25Tf(fieldLength: number, avgLength: number, termFreq = 1): number {
    return BM25_D + (termFreq * (BM25_K + 1)) / (termFreq + BM25_K * (1 - BM25_B + (BM25_B * fieldLength) / avgLength));
  }

  /** Scores of the segment's postings of term `at`. */
  private segmentScores(at: number, weight: number, avg: readonly number[], allowed: readonly boolean[], out: ScoreAccumulator): void {
    const s = this.segment!;
    const term = s.terms[at];
    // Per term, not per posting: the idf of each field and the window's bounds (boost, inlined).
    const idfs = [this.idfOf(this.titleDf(term, at)), this.idfOf(this.textDf(term, at))];
    const w = this.window;
    const from = w.center - w.days;
    const to = w.center + w.days;
    const dead = this.dead.size > 0 ? this.dead : null;
    for (let p = s.offsets[at]; p < s.offsets[at + 1]; p++) {
      const code = s.postings[p];
      const doc = code >>> 1;
      if (dead?.has(doc) || !allowed[s.kinds[doc]]) continue;
      const day = s.days[doc];
      let boost: number;
      if (Number.isNaN(day)) boost = RETRIEVAL_UNDATED;
      else if (day < from || day > to) continue;
      else boost = 1 / (1 + RETRIEVAL_DAY_DECAY * Math.abs(Math.floor(day) - w.centerDay));
      if (w.self !== undefined && s.ids[doc] === w.self) continue;
      const title = (code & 1) === TITLE;
      const field = title ? 0 : 1;
      const raw = idfs[field] * this.bm25Tf(title ? s.titleLength[doc] : s.textLength[doc], avg[field]);
      const weighted = weight * (title ? TITLE_BOOST : 1) * boost * raw;
      out.addSegment(doc, weighted);
    }
  }

  /** Scores of the live MiniSearch's postings of one (derived) term. */
  private liveScores(
    ms: MiniSearchInternals,
    term: string,
    weight: number,
    data: Map<number, Map<number, number>> | undefined,
    fieldIds: readonly number[],
    avg: readonly number[],
    out: ScoreAccumulator,
  ): void {
    if (data == null) return;
    const at = this.termAt(term);
    const matching = [this.titleDf(term, at), this.textDf(term, at)];
    for (let f = 0; f < fieldIds.length; f++) {
      const freqs = data.get(fieldIds[f]);
      if (freqs == null) continue;
      for (const doc of freqs.keys()) {
        const id = ms.documentIds.get(doc);
        if (id === undefined) {
          ms.removeTerm(fieldIds[f], doc, term);
          continue;
        }
        const live = this.liveDocs.get(id);
        if (!live) continue;
        const boost = this.boost(id, live.day, live.kind);
        if (!boost) continue;
        const raw = this.bm25(matching[f], ms.fieldLength.get(doc)![fieldIds[f]], avg[f], freqs.get(doc)!);
        const weighted = weight * (f === 0 ? TITLE_BOOST : 1) * boost * raw;
        out.addLive(id, weighted);
      }
    }
  }

  /**
   * The query terms to retrieve by, rarest first, within a budget of postings: a word in a tenth
   * of the library ("says", "new", "report") makes MiniSearch score thousands of articles for
   * nothing. Rare words always retrieve; common ones only while the budget lasts, except the
   * headline's rarest name, which always does: "Why Twitter kills its music app that never got much
   * play" would otherwise spend the budget on "kills", "never" and "much" (each rarer than
   * "Twitter" in a news library) and miss "Twitter shuts down #Music app". A name is what the
   * features call an entity (capitalised mid-headline, an acronym or a number); one opening the
   * headline reads like any first word and is not one. The name is read whatever its postings
   * (up to about 1,500 at 54k articles: "Google", "2014"). Every query term still counts in the
   * re-ranker.
   */
  private retrievalTerms(q: StoryFeatures): string[] {
    const all = [...new Set([...q.titleTerms, ...q.textTerms.slice(0, 24)])];
    // Each term's frequency looked up once (a binary search each), not once per comparison.
    const df = new Map(all.map((term) => [term, this.documentFrequency(term)]));
    const byRarity = all.sort((a, b) => df.get(a)! - df.get(b)!);
    // Entities are headline terms (storyFeatures), so the name is never a description word.
    const name = byRarity.find((term) => q.entities.includes(term));
    const chosen: string[] = name === undefined ? [] : [name];
    let postings = name === undefined ? 0 : df.get(name)!;
    for (const term of byRarity) {
      if (term === name) continue;
      postings += df.get(term)!;
      if (chosen.length >= RETRIEVAL_MIN_TERMS && postings > RETRIEVAL_POSTINGS) break;
      chosen.push(term);
    }
    return chosen;
  }
}

/**
 * Articles per calendar day of these days (NaN: undated, not counted), as countDay would count
 * them one by one: a histogram over the days' range, or a Map when the range is too wide for one.
 */
function countDays(days: Float64Array, kinds: Uint8Array): Map<number, number> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let d = 0; d < days.length; d++) {
    if (kinds[d] === HISTORY) continue;
    const day = days[d];
    if (day < min) min = day;
    if (day > max) max = day;
  }
  const out = new Map<number, number>();
  if (!(min <= max)) return out;
  const first = Math.floor(min);
  const span = Math.floor(max) - first + 1;
  if (span > 100_000) {
    for (let d = 0; d < days.length; d++) {
      if (Number.isFinite(days[d]) && kinds[d] !== HISTORY) {
        const key = Math.floor(days[d]);
        out.set(key, (out.get(key) ?? 0) + 1);
      }
    }
    return out;
  }
  const counts = new Uint32Array(span);
  for (let d = 0; d < days.length; d++) if (Number.isFinite(days[d]) && kinds[d] !== HISTORY) counts[Math.floor(days[d]) - first]++;
  for (let i = 0; i < span; i++) if (counts[i]) out.set(first + i, counts[i]);
  return out;
}

/**
 * A query's retrieval scores, as MiniSearch sums them: per term, each document's field scores
 * summed (`add*`); at the end of the term (`endTerm`) its sum is added to the document's total and
 * its count of matched terms goes up. Segment documents are counted in typed arrays by position,
 * live ones by id; `top` ranks by total times terms matched, ties in the order documents were
 * first scored (MiniSearch's result order), and leaves the arrays clean for the next query. No Map
 * entry per hit (issue 13: query p95).
 */
class ScoreAccumulator {
  private readonly termScore: Float64Array;
  private readonly total: Float64Array;
  private readonly matched: Uint32Array;
  /** 1: scored in the current term; 2: scored before it. */
  private readonly state: Uint8Array;
  /** Segment positions scored in the current term, in order; live ones as -1 - their number. */
  private touched: number[] = [];
  /** Every document scored so far, in the order first scored (same coding). */
  private order: number[] = [];
  private readonly liveNumbers = new Map<string, number>();
  private readonly liveIds: string[] = [];
  private readonly liveTerm: number[] = [];
  private readonly liveTotal: number[] = [];
  private readonly liveMatched: number[] = [];
  private readonly liveState: number[] = [];

  constructor(readonly segmentIds: readonly string[]) {
    const n = segmentIds.length;
    this.termScore = new Float64Array(n);
    this.total = new Float64Array(n);
    this.matched = new Uint32Array(n);
    this.state = new Uint8Array(n);
  }

  addSegment(doc: number, score: number): void {
    if (this.state[doc] & 1) {
      this.termScore[doc] += score;
    } else {
      this.state[doc] |= 1;
      this.termScore[doc] = score;
      this.touched.push(doc);
    }
  }

  addLive(id: string, score: number): void {
    let k = this.liveNumbers.get(id);
    if (k === undefined) {
      k = this.liveIds.length;
      this.liveNumbers.set(id, k);
      this.liveIds.push(id);
      this.liveTerm.push(0);
      this.liveTotal.push(0);
      this.liveMatched.push(0);
      this.liveState.push(0);
    }
    if (this.liveState[k] & 1) {
      this.liveTerm[k] += score;
    } else {
      this.liveState[k] |= 1;
      this.liveTerm[k] = score;
      this.touched.push(-1 - k);
    }
  }

  endTerm(): void {
    for (const key of this.touched) {
      if (key >= 0) {
        if (this.state[key] & 2) {
          this.total[key] += this.termScore[key];
          this.matched[key]++;
        } else {
          this.total[key] = this.termScore[key];
          this.matched[key] = 1;
          this.order.push(key);
        }
        this.state[key] = 2;
      } else {
        const k = -1 - key;
        if (this.liveState[k] & 2) {
          this.liveTotal[k] += this.liveTerm[k];
          this.liveMatched[k]++;
        } else {
          this.liveTotal[k] = this.liveTerm[k];
          this.liveMatched[k] = 1;
          this.order.push(key);
        }
        this.liveState[k] = 2;
      }
    }
    this.touched = [];
  }

  /** Forgets any scores left (a query that threw half-way); `top` leaves none. */
  clear(): void {
    for (const key of this.touched) if (key >= 0) this.state[key] = 0;
    for (const key of this.order) if (key >= 0) this.state[key] = 0;
    this.touched = [];
    this.order = [];
    this.liveNumbers.clear();
    this.liveIds.length = 0;
    this.liveTerm.length = 0;
    this.liveTotal.length = 0;
    this.liveMatched.length = 0;
    this.liveState.length = 0;
  }

  /**
   * The `limit` best documents' ids and, in places of their own, the `historyLimit` best history
   * records' (told by segment position or live id), best first; the accumulator is then empty.
   */
  top(limit: number, historyLimit = 0, segmentHistory: (doc: number) => boolean = () => false, liveHistory: (id: string) => boolean = () => false): string[] {
    const order = this.order;
    const final = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) {
      const key = order[i];
      final[i] = key >= 0 ? this.total[key] * (this.matched[key] || 1) : this.liveTotal[-1 - key] * (this.liveMatched[-1 - key] || 1);
    }
    // The best of each kind by score, ties by first-scored order: small sorted lists, not a sort of every hit.
    const before = (a: number, b: number) => (final[b] - final[a] || a - b) < 0;
    const insert = (best: number[], i: number, max: number) => {
      if (max === 0 || (best.length === max && !before(i, best[max - 1]))) return;
      let at = best.length < max ? best.length : max - 1;
      while (at > 0 && before(i, best[at - 1])) {
        if (at < max) best[at] = best[at - 1];
        at--;
      }
      best[at] = i;
    };
    const best: number[] = [];
    const history: number[] = [];
    for (let i = 0; i < order.length; i++) {
      const key = order[i];
      const isHistory = historyLimit > 0 && (key >= 0 ? segmentHistory(key) : liveHistory(this.liveIds[-1 - key]));
      if (isHistory) insert(history, i, historyLimit);
      else insert(best, i, limit);
    }
    const ids = [...best, ...history]
      .sort((a, b) => (before(a, b) ? -1 : 1))
      .map((i) => (order[i] >= 0 ? this.segmentIds[order[i]] : this.liveIds[-1 - order[i]]));
    this.clear();
    return ids;
  }
}

/**
 * An article as the index keeps it: what analysis reads (the description and body cut to the
 * characters analysis reads, as one text) and what pruning and change stamps read, nothing else.
 */
function slim(a: Article): IndexedArticle {
  const s = a as IndexedArticle;
  const text = (a.description && a.body ? `${a.description}\n${a.body}` : a.description || a.body || '').slice(0, MAX_TEXT_CHARS);
  const out: IndexedArticle = { id: a.id, kind: a.kind, title: a.title, source: a.source, publishedAt: a.publishedAt, url: a.url };
  if (a.canonicalUrl) out.canonicalUrl = a.canonicalUrl;
  if (text) out.description = text;
  if (a.lang) out.lang = a.lang;
  if (s.sortAt) out.sortAt = s.sortAt;
  if (s.rev) out.rev = s.rev;
  if (s.fetchedAt) out.fetchedAt = s.fetchedAt;
  return out;
}
