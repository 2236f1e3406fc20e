import type { StoryFeatures } from './features';

/** Corpus statistics the pair score needs: document frequency per term. */
export interface TermStats {
  documentCount: number;
  documentFrequency(term: string): number;
  averageTitleLength: number;
  /** Optional memo of idf(term); the index keeps one, cleared whenever its articles change. */
  idfCache?: Map<string, number>;
  /** Changes whenever the articles change; memoised headline weights are valid while it holds. */
  generation?: number;
}

const weightCache = new WeakMap<StoryFeatures, { generation: number; weight: number }>();

/** Sum of idf over a headline's terms, memoised per story while the library is unchanged. */
function headlineWeight(f: StoryFeatures, stats: TermStats): number {
  const cached = weightCache.get(f);
  if (cached && stats.generation !== undefined && cached.generation === stats.generation) return cached.weight;
  let weight = 0;
  for (const term of f.titleTerms) weight += idf(stats, term);
  if (stats.generation !== undefined) weightCache.set(f, { generation: stats.generation, weight });
  return weight;
}

/** Below about this many articles, document frequencies say little about how rare a word is. */
const IDF_PRIOR_DOCS = 50;

/**
 * BM25's idf, always positive, shrunk towards 1 in a small library: in the four seed articles
 * every one mentions Ukraine, which says nothing about how common the word is in the news.
 */
export function idf(stats: TermStats, term: string): number {
  const cached = stats.idfCache?.get(term);
  if (cached !== undefined) return cached;
  const n = Math.max(stats.documentCount, 1);
  const df = Math.min(stats.documentFrequency(term), n);
  const raw = Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const value = (n * raw + IDF_PRIOR_DOCS) / (n + IDF_PRIOR_DOCS);
  stats.idfCache?.set(term, value);
  return value;
}

/** Names of the pair signals, in the order of the learned weights. */
export const SIGNALS = [
  'cosine',
  'bm25n',
  'coverage',
  'entities',
  'numberConflict',
  'bigrams',
  'sameDayOverlap',
  'dayGapOverlap',
  'sameSource',
  'sharedTerms',
] as const;
export type Signal = (typeof SIGNALS)[number];

export interface PairSignals {
  values: number[];
  /** Query terms found in the candidate's headline (the candidate's own spelling). */
  matched: string[];
  /** idf-weighted cosine over headline + description/body terms: topic closeness. */
  topic: number;
}

const K1 = 1.2;
const B = 0.75;

function termMatches(term: string, other: StoryFeatures, prefixOk: boolean): string | null {
  if (other.titleTerms.includes(term)) return term;
  if (prefixOk && term.length >= 3) return other.titleTerms.find((t) => t.startsWith(term)) ?? null;
  return null;
}

/**
 * Signals for "is candidate c the same story as query q", each roughly in [0, 1].
 * Pure: the same numbers in the service worker, the tests and the benchmark.
 */
export function pairSignals(q: StoryFeatures, c: StoryFeatures, stats: TermStats): PairSignals {
  const lastQ = q.titleTerms.length - 1;
  const lastC = c.titleTerms.length - 1;
  let sharedIdf = 0;
  let bm25 = 0;
  let bm25Max = 0;
  let sharedCount = 0;
  let qWeight = 0;
  const matchedInC = new Set<string>();
  const lenNormC = 1 + K1 * (1 - B + (B * c.titleTerms.length) / stats.averageTitleLength);
  const lenNormQ = 1 + K1 * (1 - B + (B * q.titleTerms.length) / stats.averageTitleLength);
  for (let i = 0; i <= lastQ; i++) {
    const term = q.titleTerms[i];
    const w = idf(stats, term);
    qWeight += w;
    bm25Max += (w * (K1 + 1)) / lenNormQ;
    const hit = termMatches(term, c, q.truncated && i === lastQ);
    if (hit) {
      sharedIdf += w;
      sharedCount++;
      bm25 += (w * (K1 + 1)) / lenNormC;
      matchedInC.add(hit);
    }
  }
  // A cut-off last word of the candidate can match a whole word of the query.
  if (c.truncated && lastC >= 0 && !matchedInC.has(c.titleTerms[lastC])) {
    const cut = c.titleTerms[lastC];
    if (cut.length >= 3 && q.titleTerms.some((t) => t !== cut && t.startsWith(cut))) {
      const w = idf(stats, cut);
      sharedIdf += w;
      sharedCount++;
      matchedInC.add(cut);
    }
  }
  const cWeight = headlineWeight(c, stats);
  const cosine = qWeight > 0 && cWeight > 0 ? sharedIdf / Math.sqrt(qWeight * cWeight) : 0;
  const coverage = Math.min(qWeight, cWeight) > 0 ? Math.min(1, sharedIdf / Math.min(qWeight, cWeight)) : 0;

  let entityShared = 0;
  for (const e of q.entities) if (c.titleTerms.includes(e)) entityShared++;
  for (const e of c.entities) if (q.titleTerms.includes(e)) entityShared++;
  const entityTotal = q.entities.length + c.entities.length;
  const entities = entityTotal > 0 ? entityShared / entityTotal : 0;

  let numberConflict = 0;
  if (q.numbers.length > 0 && c.numbers.length > 0) {
    numberConflict = 1;
    for (const n of q.numbers) if (c.numbers.includes(n)) numberConflict = 0;
  }

  let bigramShared = 0;
  for (const bg of q.bigrams) if (c.bigrams.includes(bg)) bigramShared++;
  const bigramBase = Math.min(q.bigrams.length, c.bigrams.length);
  const bigrams = bigramBase > 0 ? bigramShared / bigramBase : 0;

  // Unknown time (a page that states none, a typed search): neither close nor far.
  const known = q.day !== null && c.day !== null;
  const gap = known ? Math.abs(q.day! - c.day!) : 0.5;
  const sameDay = known ? (gap < 1 ? 1 : 0) : 0.5;
  const dayGap = Math.min(gap, 7) / 7;
  const sameSource = q.source && q.source === c.source ? 1 : 0;

  const values = [
    cosine,
    bm25Max > 0 ? bm25 / bm25Max : 0,
    coverage,
    entities,
    numberConflict,
    bigrams,
    // Time only counts together with shared words: two unrelated stories of one day are not one story.
    sameDay * coverage,
    dayGap * coverage,
    sameSource,
    Math.log1p(sharedCount) / Math.log(8),
  ];
  const matched: string[] = [];
  c.titleTerms.forEach((term, i) => {
    if (matchedInC.has(term)) matched.push(c.surfaces[i]);
  });
  return { values, matched, topic: topicSimilarity(q, c, stats) };
}

/**
 * Topic closeness: idf-weighted cosine over the names, places and acronyms of headline,
 * description and body. Two stories about one war share Kyiv, Moscow and Zelensky even when
 * their headlines share nothing. At least two shared names are needed; one is coincidence.
 */
export function topicSimilarity(q: StoryFeatures, c: StoryFeatures, stats: TermStats): number {
  if (q.topicEntities.length < 2 || c.topicEntities.length < 2) return 0;
  let shared = 0;
  let sharedCount = 0;
  let qw = 0;
  let cw = 0;
  for (const t of q.topicEntities) {
    const w = idf(stats, t);
    qw += w * w;
    if (c.topicEntities.includes(t)) {
      shared += w * w;
      sharedCount++;
    }
  }
  if (sharedCount < 2) return 0;
  for (const t of c.topicEntities) {
    const w = idf(stats, t);
    cw += w * w;
  }
  return shared / Math.sqrt(qw * cw);
}

/** The names two stories share through their descriptions or bodies, as the candidate wrote them. */
export function sharedTopicNames(q: StoryFeatures, c: StoryFeatures, max = 5): string[] {
  const names: string[] = [];
  c.topicEntities.forEach((term, i) => {
    if (names.length < max && q.topicEntities.includes(term)) names.push(c.topicSurfaces[i]);
  });
  return names;
}
