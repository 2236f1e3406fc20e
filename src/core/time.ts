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

/** A time of day and zone after a date: " 10:00", "T10:00:00.123+01:00", ", 10:00 am GMT", " at 9:30 PM EST". */
const TIME_PART = String.raw`(?:(?:[T ]|,?\s+(?:at\s+)?)(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(am|pm)?\s*(z|utc|gmt|[+-]\d{2}(?::?\d{2})?|[ecmp][sd]t)?)?`;
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const WEEKDAY = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?`;
/** 2024-03-10, 2024/03/10, 2024.03.10, with a time or not. */
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME_PART}$`, 'i');
/** 10.03.2024: day first, as Europe writes it (a slash date, 03/10/2024, could be either: no date). */
const DOTTED = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME_PART}$`, 'i');
/** 10 March 2024, Tue, 10 Mar 2024 10:00:00 GMT, 10-Mar-2024, and RFC 822's two-digit year with a time. */
const DAY_MONTH = new RegExp(String.raw`^${WEEKDAY}(\d{1,2})(?:st|nd|rd|th)?[\s-]+${MONTH}[\s-]+(\d{4}|\d{2}(?=[ ,]+\d))${TIME_PART}$`, 'i');
/** March 10, 2024, Sunday, Mar 10 2024 10:00 AM. */
const MONTH_DAY = new RegExp(String.raw`^${WEEKDAY}${MONTH}[\s-]+(\d{1,2})(?:st|nd|rd|th)?,?[\s-]+(\d{4})${TIME_PART}$`, 'i');
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** North American zones, as RSS writes them. */
const ZONES: Record<string, number> = { est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7 };

/** Minutes east of UTC of a stated zone ("+05:30" -> 330); none is read as UTC. */
function zoneMinutes(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named * 60;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
  return zone[0] === '-' ? -minutes : minutes;
}

/** A calendar date and time that exist (no 31 February, no 25:00), as a time in UTC, or NaN. */
function calendar(y: number, m: number, d: number, time: (string | undefined)[]): number {
  const [hh, mm, ss, fraction, half, zone] = time;
  let h = Number(hh ?? 0);
  if (half) {
    if (h < 1 || h > 12) return NaN;
    h = (h % 12) + (/pm/i.test(half) ? 12 : 0);
  }
  const mi = Number(mm ?? 0);
  const s = Number(ss ?? 0);
  if (y < 1900 || y >= 2200 || m < 1 || m > 12 || h > 23 || mi > 59 || s > 60) return NaN;
  const at = Date.UTC(y, m - 1, d, h, mi, s, Math.round(Number(fraction ?? 0) * 1000));
  const date = new Date(at);
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? at - zoneMinutes(zone) * 60_000 : NaN;
}

/**
 * A date a page, a listing, a feed or a file states, as an ISO date-time, or null when it does not
 * say which day: ISO 8601 and its year-first kin ("2024-03-10", "2024/03/10 10:00", "2024-03-10
 * 10:00:00 +0100"), a day.month.year date ("10.03.2024", as Europe writes it), or an English
 * month's name with its day and year ("Tue, 10 Mar 2024 10:00:00 GMT", "March 10, 2024 at 9:30 PM
 * EST", "10-Mar-2024"). Parsed here, not by Date.parse, which guessed ("12 March" became 12 March
 * 2001, "10.03.2024" 3 October, "Decision 2024" 1 December: attack review, helper-38; review,
 * helper-39) and guesses differently in each browser. A time without a zone is read as UTC,
 * whatever the reader's own zone.
 */
export function statedDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text || text.length > 80) return null;
  let time = NaN;
  let m: RegExpExecArray | null;
  if ((m = YEAR_FIRST.exec(text))) time = calendar(+m[1], +m[3], +m[4], m.slice(5));
  else if ((m = DOTTED.exec(text))) time = calendar(+m[3], +m[2], +m[1], m.slice(4));
  else if ((m = DAY_MONTH.exec(text))) time = calendar(fullYear(m[3]), monthOf(m[2]), +m[1], m.slice(4));
  else if ((m = MONTH_DAY.exec(text))) time = calendar(+m[3], monthOf(m[1]), +m[2], m.slice(4));
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** RFC 822's two-digit year: "14" is 2014, "99" 1999. */
function fullYear(year: string): number {
  return year.length === 2 ? (Number(year) < 50 ? 2000 : 1900) + Number(year) : Number(year);
}
