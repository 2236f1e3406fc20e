import { relativeTimeParts } from '../core/time';
import { uiLanguage } from './i18n';

/** "2 days ago", "yesterday", in the browser's language; empty when the time is unknown. */
export function timeAgo(iso: string | null, now = Date.now()): string {
  const parts = relativeTimeParts(iso, now);
  if (!parts) return '';
  return new Intl.RelativeTimeFormat(uiLanguage(), { numeric: 'auto' }).format(parts.value, parts.unit);
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
