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
 * A segment of the documents of `base` not in `dead`, then `added` (each id once): the saved index
 * after the changes since it, built without reading any article (a document's terms come from the
 * postings). `buildSegment(docs)` is the same from nothing.
 */
export function mergeSegment(base: Segment | null, dead: ReadonlySet<number>, added: readonly SegmentDoc[]): Segment {
  const kept = base ? base.ids.length - dead.size : 0;
  const n = kept + added.length;
  const ids: string[] = [];
  const days = new Float64Array(n);
  const sortAt = new Float64Array(n);
  const kinds = new Uint8Array(n);
  const titleLength = new Uint16Array(n);
  const textLength = new Uint16Array(n);
  const lists = new Map<string, number[]>();
  if (base) {
    const remap = new Int32Array(base.ids.length).fill(-1);
    for (let d = 0; d < base.ids.length; d++) {
      if (dead.has(d)) continue;
      const nd = ids.length;
      remap[d] = nd;
      ids.push(base.ids[d]);
      days[nd] = base.days[d];
      sortAt[nd] = base.sortAt[d];
      kinds[nd] = base.kinds[d];
      titleLength[nd] = base.titleLength[d];
      textLength[nd] = base.textLength[d];
    }
    for (let t = 0; t < base.terms.length; t++) {
      let list: number[] | undefined;
      for (let p = base.offsets[t]; p < base.offsets[t + 1]; p++) {
        const nd = remap[base.postings[p] >>> 1];
        if (nd < 0) continue;
        if (!list) lists.set(base.terms[t], (list = []));
        list.push((nd << 1) | (base.postings[p] & 1));
      }
    }
  }
  for (const doc of added) {
    const d = ids.length;
    ids.push(doc.id);
    days[d] = doc.day ?? Number.NaN;
    sortAt[d] = doc.sortAt;
    kinds[d] = KINDS.indexOf(doc.kind);
    titleLength[d] = Math.min(doc.titleTerms.length, 0xffff);
    textLength[d] = Math.min(doc.textTerms.length, 0xffff);
    for (const [terms, field] of [
      [doc.titleTerms, TITLE],
      [doc.textTerms, TEXT],
    ] as const) {
      for (const term of terms) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = []));
        list.push((d << 1) | field);
      }
    }
  }
  const terms = [...lists.keys()].sort();
  const offsets = new Uint32Array(terms.length + 1);
  let total = 0;
  terms.forEach((term, i) => {
    offsets[i] = total;
    total += lists.get(term)!.length;
  });
  offsets[terms.length] = total;
  const postings = new Uint32Array(total);
  const titleDf = new Uint32Array(terms.length);
  const textDf = new Uint32Array(terms.length);
  terms.forEach((term, i) => {
    const list = lists.get(term)!;
    postings.set(list, offsets[i]);
    for (const p of list) {
      if ((p & 1) === TITLE) titleDf[i]++;
      else textDf[i]++;
    }
  });
  return { ids, days, sortAt, kinds, titleLength, textLength, terms, offsets, postings, titleDf, textDf };
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
  for (const d of docs) out.set(d, { titleTerms: [], textTerms: [] });
  if (docs.size === 0) return out;
  const { offsets, postings, terms } = segment;
  for (let t = 0; t < terms.length; t++) {
    for (let p = offsets[t]; p < offsets[t + 1]; p++) {
      const entry = out.get(postings[p] >>> 1);
      if (entry) ((postings[p] & 1) === TITLE ? entry.titleTerms : entry.textTerms).push(terms[t]);
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
  for (let p = 0; p < postings.length; p++) if (postings[p] >>> 1 >= n) throw new SnapshotError('has corrupt postings');
  for (const kind of kinds) if (kind >= KINDS.length) throw new SnapshotError('has corrupt kinds');
  return { ids, days, sortAt, kinds, titleLength, textLength, terms, offsets, postings, titleDf, textDf, savedAt: s.savedAt };
}
