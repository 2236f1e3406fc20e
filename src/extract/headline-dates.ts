/**
 * When a headline without a date of its own was published, as best the page tells (issue 10,
 * item 3). The worker reads a headline with no date as published now and matches it against the
 * days around today, so an archive page, or an old article's "Read also" box, found nothing: every
 * story in the library of its days was outside the window. Pure: no DOM, no browser API.
 *
 * The rule, first that applies:
 * 1. the headline's own date (a `<time datetime>` in its card: listing.ts) stays;
 * 2. else the page's own published date, when the page states one (an article's related links
 *    were chosen around its day);
 * 3. else, on a listing page with dated headlines elsewhere, the median of their dates (a
 *    front page of 10 March 2014 lends its undated teasers 10 March 2014, and one stray old or
 *    future date does not move a median);
 * 4. else none: the worker takes it as now.
 */
import { statedDate } from '../core/time';

/** Dated headlines kept for the median at most: a page scrolled for hours keeps its latest. */
export const MAX_KNOWN_DATES = 2000;

/** The median of ISO date-times (the earlier middle one of an even count), or null for none. */
export function medianDate(dates: readonly string[]): string | null {
  const times = dates.map((d) => Date.parse(d)).filter((t) => !Number.isNaN(t));
  if (!times.length) return null;
  times.sort((a, b) => a - b);
  return new Date(times[Math.floor((times.length - 1) / 2)]).toISOString();
}

/**
 * The headlines with a date lent to each undated one. `pageDate` is what the page states of
 * itself (PageMeta.publishedAt); `datedOnPage` the dates of every dated headline found on the
 * page so far, this batch's included (a page badged in several passes, infinite scroll, lends
 * the later ones what the earlier ones said).
 */
export function lendDates<T extends { publishedAt: string | null }>(headlines: readonly T[], pageDate: string | null, datedOnPage: readonly string[]): T[] {
  const lent = statedDate(pageDate) ?? medianDate(datedOnPage);
  return headlines.map((h) => (h.publishedAt || !lent ? h : { ...h, publishedAt: lent }));
}
