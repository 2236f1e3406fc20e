import type { Article, ArticleKind } from '../core/article';

/**
 * The saved index, split by time (issue 13). A wake-up reads the small head and only the shards
 * the page's window covers, so the first answer never waits for the whole library:
 *
 * - the head: version, fingerprint, the word statistics of the whole library (documents per term
 *   and field, field lengths) and a catalogue of every article (id, shard, kind);
 * - one shard per calendar week of publication (and one for undated articles, which every window
 *   covers): its MiniSearch index and the articles as the ranker reads them.
 *
 * Word statistics are the library's, not the shard's, so a query scores the same whether one shard
 * is loaded or all of them.
 */
export const SHARD_DAYS = 7;
export const UNDATED = 'undated';
export const KINDS: readonly ArticleKind[] = ['seed', 'feed', 'history', 'import'];

/** The shard an article of this day (days since the epoch; null: undated) belongs to. */
export function shardOf(day: number | null): string {
  return day === null ? UNDATED : `w${Math.floor(day / SHARD_DAYS)}`;
}

/** Every shard a window of days (inclusive) reads: its weeks and the undated shard. */
export function shardsBetween(from: number, to: number): string[] {
  const out = [UNDATED];
  for (let week = Math.floor(from / SHARD_DAYS); week <= Math.floor(to / SHARD_DAYS); week++) out.push(`w${week}`);
  return out;
}

export interface SavedHead {
  version: number;
  fingerprint: string;
  savedAt: string;
  titleLengthSum: number;
  textLengthSum: number;
  /** Documents per term in headlines and in text, parallel to `terms`. */
  terms: string[];
  titleDf: number[];
  textDf: number[];
  /** The catalogue: every article's id, its shard (an index into `shards`) and kind (into KINDS). */
  ids: string[];
  shardOf: number[];
  kindOf: number[];
  shards: string[];
}

/** An article as the ranker reads it: its text cut to what analysis reads, plus what pruning sorts by. */
export type IndexedArticle = Article & { sortAt?: string; rev?: string; fetchedAt?: string };

export interface SavedShard {
  key: string;
  search: unknown;
  articles: IndexedArticle[];
}

export class SnapshotError extends Error {
  constructor(what: string) {
    super(`Storyline: saved index ${what}; rebuild it.`);
    this.name = 'SnapshotError';
  }
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isCounts = (v: unknown, length: number, max = Number.MAX_SAFE_INTEGER): v is number[] =>
  Array.isArray(v) && v.length === length && v.every((x) => Number.isInteger(x) && x >= 0 && x <= max);

/** The stored head parsed and checked at the storage boundary; throws SnapshotError when it is not one. */
export function parseHead(raw: unknown, expect: { version: number; fingerprint: string }): SavedHead {
  if (typeof raw !== 'string') throw new SnapshotError('is missing');
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new SnapshotError('does not parse');
  }
  if (!h || typeof h !== 'object') throw new SnapshotError('is not an object');
  if (h.version !== expect.version) throw new SnapshotError(`version ${String(h.version)} is not ${expect.version}`);
  if (h.fingerprint !== expect.fingerprint) throw new SnapshotError('was built with other index options');
  if (typeof h.savedAt !== 'string' || !isStrings(h.terms) || !isStrings(h.ids) || !isStrings(h.shards)) throw new SnapshotError('is corrupt');
  const ok =
    isCounts([h.titleLengthSum, h.textLengthSum], 2) &&
    isCounts(h.titleDf, h.terms.length) &&
    isCounts(h.textDf, h.terms.length) &&
    isCounts(h.shardOf, h.ids.length, h.shards.length - 1) &&
    isCounts(h.kindOf, h.ids.length, KINDS.length - 1);
  if (!ok) throw new SnapshotError('is corrupt');
  return h as unknown as SavedHead;
}

/** A stored shard parsed and checked; its index itself is checked by MiniSearch as it loads. */
export function parseShard(raw: unknown, key: string): SavedShard {
  if (typeof raw !== 'string') throw new SnapshotError(`lacks shard ${key}`);
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw new SnapshotError(`shard ${key} does not parse`);
  }
  if (!s || s.key !== key || !s.search || typeof s.search !== 'object' || !Array.isArray(s.articles)) throw new SnapshotError(`shard ${key} is corrupt`);
  for (const a of s.articles as unknown[]) {
    const r = a as Record<string, unknown> | null;
    if (!r || typeof r.id !== 'string' || typeof r.title !== 'string' || !KINDS.includes(r.kind as ArticleKind)) throw new SnapshotError(`shard ${key} is corrupt`);
  }
  return s as unknown as SavedShard;
}
