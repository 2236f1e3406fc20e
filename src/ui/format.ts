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
