import type { ArticleKind } from '../core/article';

/**
 * The library's recent days (issue 10, item 3): where a headline with no date at all is matched.
 *
 * The content script lends an undated headline the page's date, or the median of the page's dated
 * headlines (src/extract/headline-dates.ts). A page with no date anywhere (an archive, a saved page)
 * sends its headlines undated, and the engine matched them around now: against a library whose
 * newest stories are of 2014 (an imported archive) or of the seeds' days, nothing was in the window
 * and the page showed no badge. The content script cannot see the library; the worker can, so it
 * matches such headlines around the library's newest story instead, when that is older than now.
 *
 * The newest publication time is kept per kind (the badges draw on some kinds only: never reading
 * history, seeds only while switched on). Pure: no browser API.
 */
export type NewestByKind = Partial<Record<Exclude<ArticleKind, 'history'>, string>>;

const KINDS = ['seed', 'feed', 'import'] as const;

/** A stored record, checked: anything else counts as nothing known. */
export function parseNewest(raw: unknown): NewestByKind {
  const out: NewestByKind = {};
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  for (const kind of KINDS) {
    const value = r[kind];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) out[kind] = new Date(Date.parse(value)).toISOString();
  }
  return out;
}

/**
 * `newest` with these articles' publication times taken in: a later one replaces its kind's time.
 * Times after `now` count as now (a feed's clock ahead of ours is not the library's future).
 * Returns the same object when nothing changed, so the caller knows whether to store it.
 */
export function noteNewest(newest: NewestByKind, articles: Iterable<{ kind: ArticleKind; publishedAt: string | null }>, now: number): NewestByKind {
  let next = newest;
  for (const { kind, publishedAt } of articles) {
    if (kind === 'history' || !publishedAt) continue;
    const at = Math.min(Date.parse(publishedAt), now);
    if (Number.isNaN(at)) continue;
    const known = next[kind];
    if (known !== undefined && Date.parse(known) >= at) continue;
    if (next === newest) next = { ...newest };
    next[kind] = new Date(at).toISOString();
  }
  return next;
}

/**
 * The time an undated headline is matched around: the newest story of the kinds the badges may
 * show (`include`), when it is older than now; else now (a library that is up to date, or knows no
 * dates, matches around today as before).
 */
export function undatedCenter(newest: NewestByKind, include: ((article: { kind: ArticleKind }) => boolean) | undefined, now: number): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const kind of KINDS) {
    const at = newest[kind];
    if (at === undefined || (include && !include({ kind }))) continue;
    latest = Math.max(latest, Date.parse(at));
  }
  return Number.isFinite(latest) ? Math.min(latest, now) : now;
}
