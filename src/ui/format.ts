import { DAY_MS, gapParts, relativeTimeParts } from '../core/time';
import { t } from './i18n';
import { uiLanguage } from './i18n';

/** "2 days ago", "yesterday", in the browser's language; empty when the time is unknown. */
export function timeAgo(iso: string | null, now = Date.now()): string {
  const parts = relativeTimeParts(iso, now);
  if (!parts) return '';
  return new Intl.RelativeTimeFormat(uiLanguage(), { numeric: 'auto' }).format(parts.value, parts.unit);
}

const RECENT_MS = 7 * DAY_MS;

/**
 * When a story was published, for a badge's card: "3 hours ago", "yesterday" within a week, its
 * date after that ("Mon, Jun 2, 2025"; "last year" says too little); empty when unknown.
 */
export function storyWhen(iso: string | null, now = Date.now()): string {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return '';
  return Math.abs(now - at) < RECENT_MS ? timeAgo(iso, now) : storyDate(iso);
}

export function listOf(items: string[]): string {
  return new Intl.ListFormat(uiLanguage(), { style: 'long', type: 'conjunction' }).format(items);
}

/** "14:02" (or "2:02 PM") for a time today, with the date before it for any other day; empty when unknown. */
export function clockTime(iso: string | null, now = Date.now()): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return '';
  const today = new Date(now).toDateString() === at.toDateString();
  return new Intl.DateTimeFormat(uiLanguage(), today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/** "Mon, Jun 2, 2025": a story's day, in the browser's language and the UTC calendar the library keeps. */
export function storyDate(iso: string | null): string {
  const at = iso ? new Date(iso) : null;
  if (!at || Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(uiLanguage(), { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(at);
}

/** "4 hours earlier", "2 days later", "at the same time"; empty when either time is unknown. */
export function gapToPage(iso: string | null, pageIso: string | null): string {
  const gap = gapParts(iso, pageIso);
  if (!gap) return '';
  if (gap.direction === 'same') return t('sameTimeAsPage');
  const amount = new Intl.NumberFormat(uiLanguage(), { style: 'unit', unit: gap.unit, unitDisplay: 'long' }).format(gap.value);
  return t(gap.direction === 'earlier' ? 'earlierThanPage' : 'laterThanPage', amount);
}
