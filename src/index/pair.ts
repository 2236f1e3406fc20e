import { CALENDAR, extTerms, type StoryFeatures } from './features';

/** Corpus statistics the pair score needs: document frequency per term. */
export interface TermStats {
  documentCount: number;
  documentFrequency(term: string): number;
  averageTitleLength: number;
  /** Optional memo of idf(term); the index keeps one, cleared whenever its articles change. */
  idfCache?: Map<string, number>;
  /** Changes whenever the articles change; memoised headline weights are valid while it holds. */
  generation?: number;
  /** Articles the library holds for a calendar day (UTC day number); unknown when absent. */
  articlesOnDay?(day: number): number;
  /** Articles within `days` of `day` whose headline holds every one of `terms`, and how many are of that day (see IndexStore). */
  headlinesWith?(terms: readonly string[], day: number, days: number, exclude: ReadonlySet<string>): { around: number; onDay: number };
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
  'slugCosine',
  'coverage',
  'evidence',
  'beyondOne',
  'rarest',
  'entities',
  'numberConflict',
  'bigrams',
  'support',
  'explained',
  'sameDay',
  'sameDayCosine',
  'sameDaySupport',
  'sameDayExplained',
  'dayGap',
  'sameSource',
  'dayCrowd',
  'sameDayCrowd',
  'wordDayShare',
  'wordWeek',
  'pairDayShare',
  'pairWeek',
  'otherEvent',
  'sameDayOtherEvent',
] as const;

export interface PairSignals {
  values: number[];
  /** Query terms found in the candidate's headline (the candidate's own spelling). */
  matched: string[];
  /** idf-weighted cosine over headline + description/body terms: topic closeness. */
  topic: number;
  /** Whether a name the two share is told in a description or body (see sharesNameInText). */
  topicInText: boolean;
  /** Headline terms the two share, and the idf of each: the evidence rules read these. */
  shared: { count: number; idf: number; maxIdf: number; rarity: number; beyond: number; names: number; words?: number; cosine?: number; gap?: number | null };
}

/**
 * The library around a query: its closest retrieved stories and how close each is. A candidate
 * that several of these also resemble is corroborated by the library (a story many outlets
 * covered); one that shares a single word with the page and nothing with its neighbours is not.
 */
export interface Neighbourhood {
  stories: StoryFeatures[];
  /** extSimilarity(query, stories[i]). */
  closeness: number[];
  /**
   * Ids of the library's records of the page itself, left out of every count (see burst): the query's
   * own id and the retrieval hits that are the page. A record of it outside the page's window or of
   * a kind the query leaves out is not among the hits, so not left out.
   */
  self: ReadonlySet<string>;
  /** headlinesWith answers for this page, by words and day: its candidates share many of them. */
  counts: Map<string, { around: number; onDay: number }>;
}

/** Stories that make up a neighbourhood: the query's closest retrieved stories. */
export const NEIGHBOURS = 12;
/**
 * Articles in one day at which that day counts as fully crowded (a wire service's day). The more
 * articles a day holds, the more of them share a word or two with any page by chance: two same-day
 * headlines sharing "obesity" say more in a library of 75 articles a day than in one of 3,000.
 */
const DAY_CROWD = 4000;

/** How crowded the candidate's day is, in [0, 1] on a log scale; 0.5 when unknown. */
function dayCrowd(c: StoryFeatures, stats: TermStats): number {
  if (c.day === null || !stats.articlesOnDay) return 0.5;
  return Math.min(1, Math.log1p(stats.articlesOnDay(Math.floor(c.day))) / Math.log1p(DAY_CROWD));
}

/** `self`: ids of the library's records of the page itself (see Neighbourhood). */
export function neighbourhood(q: StoryFeatures, retrieved: readonly StoryFeatures[], stats: TermStats, self: ReadonlySet<string> = new Set()): Neighbourhood {
  const scored = retrieved.map((c) => ({ c, sim: extSimilarity(q, c, stats) })).filter((x) => x.sim > 0);
  scored.sort((a, b) => b.sim - a.sim);
  const top = scored.slice(0, NEIGHBOURS);
  return { stories: top.map((x) => x.c), closeness: top.map((x) => x.sim), self, counts: new Map() };
}

/** Days either side of a candidate's day over which its shared words' headlines are counted. */
const BURST_DAYS = 7;
/** Headlines in a fortnight at which a shared word counts as fully common (log scale). */
const BURST_FULL = 500;

/**
 * Is what two headlines share an event's words or a running topic's? For the rarest shared word,
 * and for the two rarest together: the share of the library's headlines holding them within a
 * week of the candidate's day that are of that very day, and how many there are (log scale). An
 * event fills one day's headlines ("Chris Brown jailed": dozens that day); a topic or a common
 * word is spread over every day ("Kim Kardashian", "rates drop"), so a same-day match on it is
 * chance. Zeros when the candidate is undated or the library cannot count.
 */
function burst(c: StoryFeatures, shared: readonly string[], stats: TermStats, around: Neighbourhood | undefined): number[] {
  if (c.day === null || !stats.headlinesWith || shared.length === 0) return [0, 0, 0, 0];
  const day = Math.floor(c.day);
  const rarest = [...shared].sort((a, b) => idf(stats, b) - idf(stats, a) || (a < b ? -1 : 1));
  const out: number[] = [];
  for (const words of [rarest.slice(0, 1), rarest.slice(0, 2)]) {
    const n = headlines(words, day, stats, around);
    out.push((n.onDay + 1) / (n.around + 2), Math.min(1, Math.log1p(n.around) / Math.log1p(BURST_FULL)));
  }
  return out;
}
const EMPTY: ReadonlySet<string> = new Set();

/** stats.headlinesWith over BURST_DAYS, the page's own records left out; asked once per page for each word set and day. */
function headlines(words: readonly string[], day: number, stats: TermStats, around: Neighbourhood | undefined): { around: number; onDay: number } {
  const key = `${words.join(' ')}@${day}`;
  let n = around?.counts.get(key);
  if (!n) {
    n = stats.headlinesWith!(words, day, BURST_DAYS, around?.self ?? EMPTY);
    around?.counts.set(key, n);
  }
  return n;
}

/** Headlines of one day from which a word counts as a whole day's event (log scale). */
const EVENT_FULL = 50;
/**
 * Words in more than this share of the library's articles, and more than EVENT_MIN_DF of them, are
 * no one event's own (and the longest to count); in a small library every word is counted.
 */
const EVENT_MAX_SHARE = 0.01;
const EVENT_MIN_DF = 20;

/**
 * Is the candidate's own event another one? Of the candidate's headline words the page lacks, the
 * one that most fills the candidate's day: the share of the library's headlines holding it within
 * a week of that day that are of that day, times how many there are that day (log scale). A page
 * sharing "skin cancer" with "Homeland actor James Rebhorn died of skin cancer" lacks "Rebhorn",
 * which fills that day's headlines: the candidate's story is an event the page does not report.
 * A page of the same event shares its words, so what it lacks is the incidental ("clips", "cover").
 * The page's own records are left out of the counts, and the candidate itself when `counted` (it
 * is one of the library's counted articles). 0 when the candidate is undated.
 */
function otherEvent(q: StoryFeatures, c: StoryFeatures, counted: boolean, stats: TermStats, around: Neighbourhood | undefined): number {
  if (c.day === null || !stats.headlinesWith) return 0;
  const day = Math.floor(c.day);
  const page = extTerms(q);
  const maxDf = Math.max(EVENT_MIN_DF, EVENT_MAX_SHARE * stats.documentCount);
  const own = counted ? 1 : 0;
  let best = 0;
  for (const term of c.titleTerms) {
    if (page.includes(term)) continue;
    // Its headlines that day are at most its articles: skip a word that cannot beat the best.
    const df = stats.documentFrequency(term);
    if (df > maxDf || Math.min(1, Math.log1p(df - own) / Math.log1p(EVENT_FULL)) <= best) continue;
    const n = headlines([term], day, stats, around);
    const onDay = Math.max(0, n.onDay - own);
    const value = ((onDay + 1) / (Math.max(0, n.around - own) + 2)) * Math.min(1, Math.log1p(onDay) / Math.log1p(EVENT_FULL));
    if (value > best) best = value;
  }
  return best;
}

/** idf-weighted cosine of two stories' headline + slug terms. */
export function extSimilarity(a: StoryFeatures, b: StoryFeatures, stats: TermStats): number {
  return weightedSimilarity(weighted(a, stats), weighted(b, stats));
}

function weightedSimilarity(wa: Weighted, wb: Weighted): number {
  let shared = 0;
  for (let i = 0; i < wa.terms.length; i++) if (wb.terms.includes(wa.terms[i])) shared += wa.weights[i];
  return shared > 0 ? shared / Math.sqrt(wa.sum * wb.sum) : 0;
}

/** idf-weighted cosine of two headlines' terms. */
export function headlineSimilarity(a: StoryFeatures, b: StoryFeatures, stats: TermStats): number {
  let shared = 0;
  for (const t of a.titleTerms) if (b.titleTerms.includes(t)) shared += idf(stats, t);
  return shared > 0 ? shared / Math.sqrt(headlineWeight(a, stats) * headlineWeight(b, stats)) : 0;
}

interface Weighted {
  generation: number | undefined;
  terms: string[];
  weights: number[];
  sum: number;
}
const weightedCache = new WeakMap<StoryFeatures, Weighted>();

/**
 * A story's headline + slug terms with their idf, memoised while the library is unchanged: the
 * neighbourhood compares each candidate with a dozen others, so each is weighed once per query.
 */
function weighted(f: StoryFeatures, stats: TermStats): Weighted {
  const cached = weightedCache.get(f);
  if (cached && stats.generation !== undefined && cached.generation === stats.generation) return cached;
  const terms = extTerms(f);
  const weights = terms.map((t) => idf(stats, t));
  const value = { generation: stats.generation, terms, weights, sum: weights.reduce((x, y) => x + y, 0) };
  weightedCache.set(f, value);
  return value;
}

/**
 * How the library around the page bears on candidate c:
 * - support: the mean, over the three best neighbours d (other than c), of min(similarity(q, d),
 *   similarity(c, d)). High when q and c sit in one cluster of coverage; near zero when their only
 *   link is a word they happen to share.
 * - explained: the share of the page's headline weight found in c or in c's close neighbours. A
 *   page about an event the library lacks shares the topic's name with a cluster ("Amazing
 *   Spider-Man 2") but not the event's own words ("postponed on Xbox One").
 */
function corroboration(q: StoryFeatures, c: StoryFeatures, around: Neighbourhood | undefined, stats: TermStats): { support: number; explained: number } {
  const cluster: StoryFeatures[] = [c];
  const best = [0, 0, 0];
  if (around) {
    // The candidate's shared weight with every neighbour in one pass over its terms, summed in the
    // order weightedSimilarity sums it (so the same numbers), instead of a term scan per neighbour.
    const wc = weighted(c, stats);
    const { neighbours, byTerm } = neighbourTerms(around, stats);
    const shared = new Float64Array(neighbours.length);
    for (let k = 0; k < wc.terms.length; k++) {
      const holders = byTerm.get(wc.terms[k]);
      if (holders) for (const i of holders) shared[i] += wc.weights[k];
    }
    around.stories.forEach((d, i) => {
      if (d === c) return;
      const sim = shared[i] > 0 ? shared[i] / Math.sqrt(wc.sum * neighbours[i].sum) : 0;
      if (sim >= CLUSTER_SIMILARITY) cluster.push(d);
      const v = Math.min(around.closeness[i], sim);
      if (v > best[2]) {
        best[2] = v;
        best.sort((x, y) => y - x);
      }
    });
  }
  let found = 0;
  let total = 0;
  for (const t of q.titleTerms) {
    const w = idf(stats, t);
    total += w;
    if (cluster.some((d) => extTerms(d).includes(t))) found += w;
  }
  return { support: (best[0] + best[1] + best[2]) / 3, explained: total > 0 ? found / total : 0 };
}

const neighbourTermsCache = new WeakMap<Neighbourhood, { neighbours: Weighted[]; byTerm: Map<string, number[]> }>();

/** The neighbourhood's stories weighed, and which of them hold each term: built once per page, read for each of its candidates. */
function neighbourTerms(around: Neighbourhood, stats: TermStats): { neighbours: Weighted[]; byTerm: Map<string, number[]> } {
  let cached = neighbourTermsCache.get(around);
  if (!cached) {
    const neighbours = around.stories.map((d) => weighted(d, stats));
    const byTerm = new Map<string, number[]>();
    neighbours.forEach((w, i) => {
      for (const term of w.terms) {
        const holders = byTerm.get(term);
        if (holders) holders.push(i);
        else byTerm.set(term, [i]);
      }
    });
    cached = { neighbours, byTerm };
    neighbourTermsCache.set(around, cached);
  }
  return cached;
}

/** Similarity from which a neighbour counts as part of a candidate's cluster of coverage. */
const CLUSTER_SIMILARITY = 0.3;

/**
 * Shared idf that counts as full evidence, in units of the rarest word this library can have
 * (so a library of 40 articles and one of 40,000 read alike): about three fairly rare words.
 */
const FULL_EVIDENCE = 1.5;

/**
 * Written with a capital letter. A word capitalised in both headlines may be a name even where
 * neither can say so: in a title-case headline ("Glen Campbell Moved To Long-Term Care Facility")
 * or at the start of one ("Campbell in Alzheimer's unit") every word has a capital. A word either
 * headline writes in lower case ("a terrible idea") is no name.
 */
const CAPITAL = /^\p{Lu}/u;

function termMatches(term: string, other: StoryFeatures, prefixOk: boolean): string | null {
  if (other.titleTerms.includes(term)) return term;
  if (prefixOk && term.length >= 3) return other.titleTerms.find((t) => t.startsWith(term)) ?? null;
  return null;
}

/** A shared headline word that is a word: not a number (nor a cut-off one, "201..."), a day or a month. */
function isWord(term: string, numbers: readonly string[]): boolean {
  return !CALENDAR.has(term) && !numbers.includes(term) && !/^[$\d]/.test(term);
}

/**
 * Signals for "is candidate c the same story as query q", each roughly in [0, 1]. Evidence is
 * what the two headlines share, weighted by how rare each word is in the library, and how the
 * library's other coverage corroborates it; the time gap is a prior on top, never evidence alone.
 * Pure: the same numbers in the service worker, the tests and the benchmark. `counted`: c is one
 * of the library's counted articles (not reading history, nor a story from outside it), so left out
 * of its own counts.
 */
export function pairSignals(q: StoryFeatures, c: StoryFeatures, stats: TermStats, around?: Neighbourhood, counted = false): PairSignals {
  const lastQ = q.titleTerms.length - 1;
  const lastC = c.titleTerms.length - 1;
  let sharedIdf = 0;
  let maxIdf = 0;
  let sharedCount = 0;
  let sharedNames = 0;
  let sharedWords = 0;
  let qWeight = 0;
  const matchedInC = new Set<string>();
  const sharedTerms: string[] = [];
  for (let i = 0; i <= lastQ; i++) {
    const term = q.titleTerms[i];
    const w = idf(stats, term);
    qWeight += w;
    const hit = termMatches(term, c, q.truncated && i === lastQ);
    if (hit) {
      if (hit === term) sharedTerms.push(term);
      sharedIdf += w;
      maxIdf = Math.max(maxIdf, w);
      sharedCount++;
      if (isWord(term, q.numbers) && isWord(hit, c.numbers)) sharedWords++;
      matchedInC.add(hit);
      if (
        !q.numbers.includes(term) &&
        (q.entities.includes(term) || c.entities.includes(hit) || (CAPITAL.test(q.surfaces[i]) && CAPITAL.test(c.surfaces[c.titleTerms.indexOf(hit)])))
      ) {
        sharedNames++;
      }
    }
  }
  // A cut-off last word of the candidate can match a whole word of the query.
  if (c.truncated && lastC >= 0 && !matchedInC.has(c.titleTerms[lastC])) {
    const cut = c.titleTerms[lastC];
    const whole = cut.length >= 3 ? q.titleTerms.find((t) => t !== cut && t.startsWith(cut)) : undefined;
    if (whole !== undefined) {
      const w = idf(stats, cut);
      sharedIdf += w;
      maxIdf = Math.max(maxIdf, w);
      sharedCount++;
      if (isWord(whole, q.numbers) && isWord(cut, c.numbers)) sharedWords++;
      matchedInC.add(cut);
    }
  }
  const cWeight = headlineWeight(c, stats);
  const cosine = qWeight > 0 && cWeight > 0 ? sharedIdf / Math.sqrt(qWeight * cWeight) : 0;
  const coverage = Math.min(qWeight, cWeight) > 0 ? Math.min(1, sharedIdf / Math.min(qWeight, cWeight)) : 0;
  const slugCosine = extTerms(q) === q.titleTerms && extTerms(c) === c.titleTerms ? cosine : extSimilarity(q, c, stats);

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
  // In calendar days (UTC): a page stamped 14:00 and a story stamped midnight are the same day's news.
  const gap = known ? Math.abs(Math.floor(q.day!) - Math.floor(c.day!)) : 3.5;
  const sameDay = known ? (gap === 0 ? 1 : 0) : 0.5;
  const sameSource = q.source && q.source === c.source ? 1 : 0;
  const corr = corroboration(q, c, around, stats);
  const crowdedDay = dayCrowd(c, stats);
  const maxPossible = Math.log(1 + (Math.max(stats.documentCount, 1) + 0.5) / 1.5);
  const rarity = maxPossible > 0 ? Math.min(1, maxIdf / maxPossible) : 0;
  const bursts = burst(c, sharedTerms, stats, around);
  const elsewhere = otherEvent(q, c, counted, stats, around);

  const values = [
    cosine,
    slugCosine,
    coverage,
    Math.min(1, sharedIdf / (FULL_EVIDENCE * maxPossible)),
    Math.min(1, (sharedIdf - maxIdf) / ((FULL_EVIDENCE / 2) * maxPossible)),
    rarity,
    entities,
    numberConflict,
    bigrams,
    corr.support,
    corr.explained,
    sameDay,
    sameDay * slugCosine,
    sameDay * corr.support,
    sameDay * corr.explained,
    Math.min(gap, 7) / 7,
    sameSource,
    crowdedDay,
    sameDay * crowdedDay,
    ...bursts,
    elsewhere,
    sameDay * elsewhere,
  ];
  const matched: string[] = [];
  c.titleTerms.forEach((term, i) => {
    if (matchedInC.has(term)) matched.push(c.surfaces[i]);
  });
  const topic = topicSimilarity(q, c, stats);
  return {
    values,
    matched,
    topic,
    topicInText: topic > 0 && sharesNameInText(q, c),
    shared: {
      count: sharedCount,
      idf: sharedIdf,
      maxIdf,
      rarity,
      beyond: maxPossible > 0 ? (sharedIdf - maxIdf) / maxPossible : 0,
      names: sharedNames,
      words: sharedWords,
      cosine,
      gap: known ? gap : null,
    },
  };
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

/**
 * Whether a name the two share is told in a description or body, of either. Names found only in
 * headlines are the headlines' own evidence, which the model's score already weighs.
 */
export function sharesNameInText(q: StoryFeatures, c: StoryFeatures): boolean {
  return q.topicEntities.some((t) => c.topicEntities.includes(t) && (q.textNames.includes(t) || c.textNames.includes(t)));
}

/** The names two stories share through their descriptions or bodies, as the candidate wrote them. */
export function sharedTopicNames(q: StoryFeatures, c: StoryFeatures, max = 5): string[] {
  const names: string[] = [];
  c.topicEntities.forEach((term, i) => {
    if (names.length < max && q.topicEntities.includes(term)) names.push(c.topicSurfaces[i]);
  });
  return names;
}
