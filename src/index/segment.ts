import type { ArticleKind } from '../core/article';

/**
 * The saved index as a frozen segment in typed arrays (issue 13). MiniSearch's own saved form is
 * a tree of small objects: reviving it at 54k articles builds 1.5 million Map entries, seconds on a
 * cold worker. A segment is read from IndexedDB as a handful of ArrayBuffers (a structured clone
 * of a typed array is a copy, not a parse) plus two JSON string lists, and is searched as it is:
 *
 * - the documents: id, publication day, sort time, kind, headline and text length;
 * - the terms, sorted (prefix matches are a binary search), each with its postings: the documents
 *   it occurs in, with the field (headline or text) in the lowest bit.
 *
 * Terms of a document occur once per field (analysis keeps each field's terms distinct), so a
 * posting needs no term frequency. Articles themselves stay in the article store and are read by id
 * for the candidates an answer ranks.
 */
export const KINDS: readonly ArticleKind[] = ['seed', 'feed', 'history', 'import'];
/**
 * The kind whose articles count in no statistic (document frequencies, lengths, articles per day):
 * reading history. A web page sees its badges, and badges are scored with these statistics, so a
 * page that lists a headline could otherwise tell from its badge whether you had read anything
 * (issue 9, finding 3). History is still indexed and found in Storyline's own pages.
 */
export const HISTORY = KINDS.indexOf('history');
export const TITLE = 0;
export const TEXT = 1;

export interface Segment {
  ids: string[];
  /** Days since the epoch of publication; NaN when undated. */
  days: Float64Array;
  /** What pruning sorts by (ms since the epoch): publication, else when stored. */
  sortAt: Float64Array;
  kinds: Uint8Array;
  titleLength: Uint16Array;
  textLength: Uint16Array;
  terms: string[];
  /** Postings of term i: postings[offsets[i] .. offsets[i + 1]), each `doc << 1 | field`. */
  offsets: Uint32Array;
  postings: Uint32Array;
  /** Documents per term with it in the headline, and in the text. */
  titleDf: Uint32Array;
  textDf: Uint32Array;
}

/** A document on its way into a segment: its analysed terms and what the segment keeps of it. */
export interface SegmentDoc {
  id: string;
  day: number | null;
  sortAt: number;
  kind: ArticleKind;
  titleTerms: readonly string[];
  textTerms: readonly string[];
}

/**
 * Writes a segment document by document: `keep` copies the documents of a base segment not in
 * `dead`, `add` appends one (each id once), `finish` returns the segment. Postings are gathered as
 * (term number, code) pairs in typed arrays, in the order the segment lists them, and placed by a
 * stable counting sort over the sorted terms: no list per term (at 54k articles that was 30k arrays
 * to grow), and a document's analysed terms are garbage as soon as it is added.
 */
export class SegmentWriter {
  private readonly ids: string[] = [];
  private readonly days: Float64Array;
  private readonly sortAt: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly titleLength: Uint16Array;
  private readonly textLength: Uint16Array;
  private readonly termIds = new Map<string, number>();
  private readonly names: string[] = [];
  private postingTerms: Uint32Array;
  private postingCodes: Uint32Array;
  private count = 0;

  /** `capacity`: how many documents the segment will hold (kept and added). */
  constructor(private readonly capacity: number) {
    this.days = new Float64Array(capacity);
    this.sortAt = new Float64Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.titleLength = new Uint16Array(capacity);
    this.textLength = new Uint16Array(capacity);
    this.postingTerms = new Uint32Array(Math.max(1024, capacity * 8));
    this.postingCodes = new Uint32Array(this.postingTerms.length);
  }

  private idOf(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.names.length;
      this.termIds.set(term, id);
      this.names.push(term);
    }
    return id;
  }

  private push(term: number, code: number): void {
    if (this.count === this.postingTerms.length) {
      const terms = new Uint32Array(this.count * 2);
      terms.set(this.postingTerms);
      this.postingTerms = terms;
      const codes = new Uint32Array(this.count * 2);
      codes.set(this.postingCodes);
      this.postingCodes = codes;
    }
    this.postingTerms[this.count] = term;
    this.postingCodes[this.count] = code;
    this.count++;
  }

  private slot(): number {
    if (this.ids.length >= this.capacity) throw new RangeError('segment over its capacity');
    return this.ids.length;
  }

  /** Copies the documents of `base` not in `dead`, with their postings (before any `add`). */
  keep(base: Segment, dead: ReadonlySet<number>): void {
    const remap = new Int32Array(base.ids.length).fill(-1);
    for (let d = 0; d < base.ids.length; d++) {
      if (dead.has(d)) continue;
      const nd = this.slot();
      remap[d] = nd;
      this.ids.push(base.ids[d]);
      this.days[nd] = base.days[d];
      this.sortAt[nd] = base.sortAt[d];
      this.kinds[nd] = base.kinds[d];
      this.titleLength[nd] = base.titleLength[d];
      this.textLength[nd] = base.textLength[d];
    }
    for (let t = 0; t < base.terms.length; t++) {
      let id = -1;
      for (let p = base.offsets[t]; p < base.offsets[t + 1]; p++) {
        const nd = remap[base.postings[p] >>> 1];
        if (nd < 0) continue;
        if (id < 0) id = this.idOf(base.terms[t]);
        this.push(id, (nd << 1) | (base.postings[p] & 1));
      }
    }
  }

  add(doc: SegmentDoc): void {
    const d = this.slot();
    this.ids.push(doc.id);
    this.days[d] = doc.day ?? Number.NaN;
    this.sortAt[d] = doc.sortAt;
    this.kinds[d] = KINDS.indexOf(doc.kind);
    this.titleLength[d] = Math.min(doc.titleTerms.length, 0xffff);
    this.textLength[d] = Math.min(doc.textTerms.length, 0xffff);
    for (const term of doc.titleTerms) this.push(this.idOf(term), (d << 1) | TITLE);
    for (const term of doc.textTerms) this.push(this.idOf(term), (d << 1) | TEXT);
  }

  finish(): Segment {
    const n = this.ids.length;
    const { names, termIds, count, postingTerms, postingCodes } = this;
    const terms = names.slice().sort();
    // Each term number's place in the sorted terms.
    const place = new Uint32Array(names.length);
    terms.forEach((term, i) => (place[termIds.get(term)!] = i));
    const offsets = new Uint32Array(terms.length + 1);
    const perTerm = new Uint32Array(terms.length);
    // Document frequencies leave reading history out (see STATISTICS_KINDS); postings keep it.
    const titleDf = new Uint32Array(terms.length);
    const textDf = new Uint32Array(terms.length);
    const kinds = this.kinds;
    for (let p = 0; p < count; p++) {
      const i = place[postingTerms[p]];
      perTerm[i]++;
      if (kinds[postingCodes[p] >>> 1] === HISTORY) continue;
      if ((postingCodes[p] & 1) === TITLE) titleDf[i]++;
      else textDf[i]++;
    }
    let total = 0;
    for (let i = 0; i < terms.length; i++) {
      offsets[i] = total;
      total += perTerm[i];
    }
    offsets[terms.length] = total;
    const postings = new Uint32Array(total);
    const next = offsets.slice(0, terms.length);
    for (let p = 0; p < count; p++) postings[next[place[postingTerms[p]]]++] = postingCodes[p];
    // Fewer documents than the capacity (a caller's estimate): the arrays are cut to the count.
    const cut = <T extends Float64Array | Uint8Array | Uint16Array>(a: T): T => (a.length === n ? a : (a.slice(0, n) as T));
    return {
      ids: this.ids,
      days: cut(this.days),
      sortAt: cut(this.sortAt),
      kinds: cut(this.kinds),
      titleLength: cut(this.titleLength),
      textLength: cut(this.textLength),
      terms,
      offsets,
      postings,
      titleDf,
      textDf,
    };
  }
}

/**
 * A segment of the documents of `base` not in `dead`, then `added` (each id once): the saved index
 * after the changes since it, built without reading any article (a document's terms come from the
 * postings). `buildSegment(docs)` is the same from nothing.
 */
export function mergeSegment(base: Segment | null, dead: ReadonlySet<number>, added: readonly SegmentDoc[]): Segment {
  const writer = new SegmentWriter((base ? base.ids.length - dead.size : 0) + added.length);
  if (base) writer.keep(base, dead);
  for (const doc of added) writer.add(doc);
  return writer.finish();
}

export function buildSegment(docs: readonly SegmentDoc[]): Segment {
  return mergeSegment(null, new Set(), docs);
}

/** The first index of the sorted terms not below `key` (a binary search). */
export function lowerBound(terms: readonly string[], key: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (terms[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indexes [from, to) of the terms that start with `prefix` (sorted terms: a binary search). */
export function prefixRange(terms: readonly string[], prefix: string): [number, number] {
  const lo = lowerBound(terms, prefix);
  let end = lo;
  while (end < terms.length && terms[end].startsWith(prefix)) end++;
  return [lo, end];
}

/**
 * Every term of some documents, per document and field, from the postings (one pass over them):
 * what removing a document from the word statistics needs, without reading the article.
 */
export function termsOf(segment: Segment, docs: ReadonlySet<number>): Map<number, { titleTerms: string[]; textTerms: string[] }> {
  const out = new Map<number, { titleTerms: string[]; textTerms: string[] }>();
  if (docs.size === 0) return out;
  // Which documents are wanted, by position: a typed array read per posting, not a Map (a waking
  // worker replaying a feed poll runs this over every posting, before its code is optimised).
  const entries: { titleTerms: string[]; textTerms: string[] }[] = [];
  const wanted = new Int32Array(segment.ids.length).fill(-1);
  for (const d of docs) {
    const entry = { titleTerms: [], textTerms: [] };
    out.set(d, entry);
    if (d >= 0 && d < wanted.length) {
      wanted[d] = entries.length;
      entries.push(entry);
    }
  }
  const { offsets, postings, terms } = segment;
  for (let t = 0; t < terms.length; t++) {
    for (let p = offsets[t]; p < offsets[t + 1]; p++) {
      const k = wanted[postings[p] >>> 1];
      if (k >= 0) ((postings[p] & 1) === TITLE ? entries[k].titleTerms : entries[k].textTerms).push(terms[t]);
    }
  }
  return out;
}

/** The segment as IndexedDB stores it: typed arrays as they are, the two string lists as JSON. */
export interface SavedSegment extends Omit<Segment, 'ids' | 'terms'> {
  version: number;
  fingerprint: string;
  savedAt: string;
  ids: string;
  terms: string;
}

export function toSaved(segment: Segment, stamp: { version: number; fingerprint: string; savedAt: string }): SavedSegment {
  return { ...segment, ...stamp, ids: JSON.stringify(segment.ids), terms: JSON.stringify(segment.terms) };
}

export class SnapshotError extends Error {
  constructor(what: string) {
    super(`Storyline: saved index ${what}; rebuild it.`);
    this.name = 'SnapshotError';
  }
}

const stringList = (json: unknown, what: string): string[] => {
  let list: unknown;
  try {
    list = typeof json === 'string' ? JSON.parse(json) : null;
  } catch {
    list = null;
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new SnapshotError(`has corrupt ${what}`);
  return list;
};

/**
 * The stored segment checked at the storage boundary: its version and options, every array of the
 * right type and length, offsets in order and within the postings, every posting naming a document.
 * Throws SnapshotError otherwise (the library then rebuilds).
 */
export function parseSegment(raw: unknown, expect: { version: number; fingerprint: string }): Segment & { savedAt: string } {
  if (!raw || typeof raw !== 'object') throw new SnapshotError('is missing');
  const s = raw as Record<string, unknown>;
  if (s.version !== expect.version) throw new SnapshotError(`version ${String(s.version)} is not ${expect.version}`);
  if (s.fingerprint !== expect.fingerprint) throw new SnapshotError('was built with other index options');
  if (typeof s.savedAt !== 'string') throw new SnapshotError('is corrupt');
  const ids = stringList(s.ids, 'ids');
  const terms = stringList(s.terms, 'terms');
  const n = ids.length;
  const typed = <T>(value: unknown, type: new (...args: never[]) => T, length: number, what: string): T => {
    if (!(value instanceof type) || (value as unknown as { length: number }).length !== length) throw new SnapshotError(`has corrupt ${what}`);
    return value;
  };
  const days = typed(s.days, Float64Array, n, 'days');
  const sortAt = typed(s.sortAt, Float64Array, n, 'sort times');
  const kinds = typed(s.kinds, Uint8Array, n, 'kinds');
  const titleLength = typed(s.titleLength, Uint16Array, n, 'lengths');
  const textLength = typed(s.textLength, Uint16Array, n, 'lengths');
  const offsets = typed(s.offsets, Uint32Array, terms.length + 1, 'offsets');
  const titleDf = typed(s.titleDf, Uint32Array, terms.length, 'statistics');
  const textDf = typed(s.textDf, Uint32Array, terms.length, 'statistics');
  if (!(s.postings instanceof Uint32Array)) throw new SnapshotError('has corrupt postings');
  const postings = s.postings;
  if (offsets[0] !== 0 || offsets[terms.length] !== postings.length) throw new SnapshotError('has corrupt offsets');
  for (let i = 0; i < terms.length; i++) {
    if (offsets[i] > offsets[i + 1]) throw new SnapshotError('has corrupt offsets');
    // Prefix matching is a binary search: the terms must be in order.
    if (i > 0 && !(terms[i - 1] < terms[i])) throw new SnapshotError('has terms out of order');
  }
  // Indexed loops: a waking worker runs these once, before its code is optimised, where an
  // iterator over 54k kinds took longer than the loop over half a million postings.
  for (let p = 0; p < postings.length; p++) if (postings[p] >>> 1 >= n) throw new SnapshotError('has corrupt postings');
  for (let d = 0; d < n; d++) if (kinds[d] >= KINDS.length) throw new SnapshotError('has corrupt kinds');
  return { ids, days, sortAt, kinds, titleLength, textLength, terms, offsets, postings, titleDf, textDf, savedAt: s.savedAt };
}
