export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Calendar units as relative times count them: a month is 30 days, a year 365. */
const UNIT_MS = {
  second: SECOND_MS,
  minute: MINUTE_MS,
  hour: HOUR_MS,
  day: DAY_MS,
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  year: 365 * DAY_MS,
} as const;
export type TimeUnit = keyof typeof UNIT_MS;

const WORD_NUMBERS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5 };

/**
 * Parses an English relative time as aggregator pages print it ("2 days ago", "an hour ago",
 * "yesterday", "just now") into milliseconds before the capture. Null when it is not one.
 */
export function parseRelativeTime(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'just now' || t === 'now') return 0;
  if (t === 'yesterday') return UNIT_MS.day;
  const m = /^(\d+|an?|one|two|three|four|five)\s*(second|minute|hour|day|week|month|year)s?\s+ago$/.exec(t);
  if (!m) return null;
  const count = /^\d+$/.test(m[1]) ? Number(m[1]) : WORD_NUMBERS[m[1]];
  return count * UNIT_MS[m[2] as TimeUnit];
}

/** Picks the largest unit that fits, for Intl.RelativeTimeFormat ("2 days ago"). */
export function relativeTimeParts(iso: string | null, now: number): { value: number; unit: TimeUnit } | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  const diff = at - now;
  const abs = Math.abs(diff);
  const order: TimeUnit[] = ['year', 'month', 'week', 'day', 'hour', 'minute'];
  for (const unit of order) {
    if (abs >= UNIT_MS[unit]) return { value: Math.trunc(diff / UNIT_MS[unit]), unit };
  }
  return { value: 0, unit: 'minute' };
}

/** How many of a unit make the next one up, for gapParts (weeks give way to months by length alone). */
const WHOLE_NEXT: Partial<Record<TimeUnit, number>> = { minute: 60, hour: 24, day: 7, month: 12 };

/**
 * How far a story's time is from the page's, in the largest unit that fits (days by calendar day): "4 hours" earlier,
 * "2 days" later. Null when either time is unknown; "same" under a minute apart.
 */
export function gapParts(iso: string | null, pageIso: string | null): { value: number; unit: TimeUnit; direction: 'earlier' | 'later' | 'same' } | null {
  if (!iso || !pageIso) return null;
  const a = Date.parse(iso);
  const b = Date.parse(pageIso);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  const diff = a - b;
  const abs = Math.abs(diff);
  if (abs < UNIT_MS.minute) return { value: 0, unit: 'minute', direction: 'same' };
  const order: TimeUnit[] = ['year', 'month', 'week', 'day', 'hour', 'minute'];
  const direction = diff < 0 ? 'earlier' : 'later';
  let at = order.findIndex((u) => abs >= UNIT_MS[u]);
  // Days are calendar days (UTC, as storyDate shows them): Sat 09:00 to Mon 05:00 is "2 days",
  // beside dates two days apart, and Sat 01:00 to Sun 13:00 is "1 day". Other units to the nearest.
  let value = order[at] === 'day' ? Math.abs(Math.floor(a / DAY_MS) - Math.floor(b / DAY_MS)) : Math.round(abs / UNIT_MS[order[at]]);
  // Rounded up to a whole next unit, say it in that unit: "1 hour", not "60 minutes".
  if (value >= (WHOLE_NEXT[order[at]] ?? Infinity)) {
    at--;
    value = 1;
  }
  return { value, unit: order[at], direction };
}

const STATED_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const STATED_DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const MONTH_NAME = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?=[\s,.\d]|$)/i;
const FULL_YEAR = /(?:^|\D)(?:1[89]|2[01])\d\d(?:\D|$)/;
/** RFC 822's two-digit year, as old feeds write it: "Mon, 10 Mar 14 10:00:00 GMT". */
const RFC822_SHORT_YEAR = /^(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2}\s+\d{1,2}:\d{2}/i;

/** The zone of an ISO date-time as Date.parse reads it: "+0100" -> "+01:00", "UTC" -> "Z", none -> local. */
function isoZone(zone: string | undefined): string {
  if (!zone) return '';
  if (/^(z|utc|gmt)$/i.test(zone)) return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2) || '00'}`;
}

/** A calendar date that exists (no 31 February), as a time, or NaN. */
function calendar(y: number, m: number, d: number, h: number, mi: number, s: number): number {
  const time = Date.UTC(y, m - 1, d, h, mi, s);
  const date = new Date(time);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 61 ? time : NaN;
}

/**
 * A date a page, a listing or a feed states, as an ISO date-time, or null when it does not say
 * which day: ISO 8601 ("2024-03-10", "2024-03-10 10:00:00 +0100"), a day.month.year date
 * ("10.03.2024", as Europe writes it), or text with a month's name and a four-digit year ("Tue, 10
 * Mar 2024 10:00:00 GMT", "March 10, 2024"). Date.parse alone guessed: "12 March" became 12 March
 * 2001 and "10.03.2024" 3 October (attack review, helper-38); a wrong day matches the page against
 * the wrong week, where no date matches it against today's.
 */
export function statedDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text || text.length > 80) return null;
  let time = NaN;
  const iso = STATED_ISO.exec(text);
  const dotted = iso ? null : STATED_DOTTED.exec(text);
  if (iso) {
    const [, y, m, d, h, mi, s, zone] = iso;
    if (!Number.isNaN(calendar(+y, +m, +d, +(h ?? 0), +(mi ?? 0), +(s ?? 0)))) {
      // A date alone is that day in UTC, as Date.parse reads "2024-03-10"; a time without a zone is local.
      time = Date.parse(h === undefined ? `${y}-${m}-${d}T00:00:00Z` : `${y}-${m}-${d}T${h}:${mi}:${s ?? '00'}${isoZone(zone)}`);
    }
  } else if (dotted) {
    const [, d, m, y, h, mi, s] = dotted;
    time = calendar(+y, +m, +d, +(h ?? 0), +(mi ?? 0), +(s ?? 0));
  } else if (MONTH_NAME.test(text) && (FULL_YEAR.test(text) || RFC822_SHORT_YEAR.test(text))) {
    time = Date.parse(text);
  }
  if (Number.isNaN(time)) return null;
  const year = new Date(time).getUTCFullYear();
  return year >= 1900 && year < 2200 ? new Date(time).toISOString() : null;
}
