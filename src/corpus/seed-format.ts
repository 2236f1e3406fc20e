import type { Article } from '../core/article';
import { stableId } from '../core/ids';
import { parseRelativeTime } from '../core/time';
import { parseArticleLine } from './jsonl';

/**
 * Parser for seed files: captured news-aggregator pages (a lead article, then "Related Articles")
 * and JSONL article lists. Runs at build time (tools/build/seeds-plugin.ts), never in the browser.
 */

export class SeedParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'SeedParseError';
  }
}

/** The sidecar `<seed>.meta.json`: when the page was captured, so relative times can be resolved. */
export interface SeedMeta {
  capturedAt: string;
  lang?: string;
}

export function parseSeedMeta(file: string, text: string): SeedMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SeedParseError(file, 1, `not valid JSON (${(error as Error).message})`);
  }
  const meta = raw as Partial<SeedMeta>;
  if (!meta || typeof meta.capturedAt !== 'string' || Number.isNaN(Date.parse(meta.capturedAt))) {
    throw new SeedParseError(file, 1, 'needs "capturedAt": an ISO date-time such as "2025-06-02T09:00:00Z"');
  }
  if (meta.lang !== undefined && typeof meta.lang !== 'string') {
    throw new SeedParseError(file, 1, '"lang" must be a language tag such as "en"');
  }
  return { capturedAt: meta.capturedAt, lang: meta.lang };
}

/** Page furniture of aggregator captures: never part of an article. Matched on the whole line. */
const CHROME = [
  /^logo$/i,
  /^orange background$/i,
  /^try our ai features$/i,
  /^explore what .{1,40} can do for you:?$/i,
  /^comments$/i,
  /^no comments yet\.*$/i,
  /^download the app$/i,
  /^get started now:.*$/i,
  /^ready to dive into .*download .*$/i,
  /^(app-?store|play-?store)+$/i,
  /^(share|advertisement|sponsored|read more|see more)$/i,
];
const RELATED_MARKER = /^related articles$/i;
const BULLET_SOURCE = /^[•·\-*]\s*(.+)$/;

interface Line {
  text: string;
  number: number;
}

function isChrome(text: string): boolean {
  return CHROME.some((re) => re.test(text));
}

/** "NBC News2 days ago" -> outlet and age; "time4 hours ago" -> age only. */
function splitOutletAndAge(text: string): { outlet: string; ageMs: number } | null {
  const m = /^(.*?)\s*((?:\d+|an?|one|two|three|four|five)\s*(?:second|minute|hour|day|week|month|year)s?\s+ago|yesterday|just now)$/i.exec(text);
  if (!m) return null;
  const ageMs = parseRelativeTime(m[2]);
  return ageMs === null ? null : { outlet: m[1].replace(/^time$/i, '').trim(), ageMs };
}

export function parseAggregatorPage(file: string, text: string, meta: SeedMeta): Article[] {
  const captured = Date.parse(meta.capturedAt);
  const lines: Line[] = text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), number: i + 1 }))
    .filter((l) => l.text !== '');
  const articles: Article[] = [];
  let i = 0;

  const makeArticle = (headline: string, outlet: string, ageMs: number, body: string[]): Article => ({
    id: `seed-${stableId(`${outlet}\n${headline}`)}`,
    title: headline,
    source: outlet,
    publishedAt: new Date(captured - ageMs).toISOString(),
    url: null,
    body: body.join('\n'),
    lang: meta.lang ?? 'en',
    kind: 'seed',
  });

  // An article starts where a headline line is immediately repeated (the capture shows it twice).
  const startsArticle = (at: number) => at + 1 < lines.length && lines[at].text === lines[at + 1].text && !isChrome(lines[at].text);

  // Lead article.
  while (i < lines.length && !startsArticle(i)) {
    if (RELATED_MARKER.test(lines[i].text)) break;
    i++;
  }
  if (i >= lines.length || !startsArticle(i)) {
    throw new SeedParseError(file, lines[0]?.number ?? 1, 'no lead headline found (expected a headline line shown twice)');
  }
  {
    const headline = lines[i].text;
    i += 2;
    const byline = lines[i] ? splitOutletAndAge(lines[i].text) : null;
    if (!byline || !byline.outlet) {
      throw new SeedParseError(file, lines[i]?.number ?? lines[i - 1].number, 'expected the outlet and age after the lead headline, like "NBC News2 days ago"');
    }
    i++;
    const body: string[] = [];
    while (i < lines.length && !isChrome(lines[i].text) && !RELATED_MARKER.test(lines[i].text)) body.push(lines[i++].text);
    if (body.length === 0) throw new SeedParseError(file, lines[i - 1].number, 'the lead article has no body text');
    articles.push(makeArticle(headline, byline.outlet, byline.ageMs, body));
  }

  // Related articles.
  while (i < lines.length && !RELATED_MARKER.test(lines[i].text)) i++;
  i++;
  while (i < lines.length) {
    if (isChrome(lines[i].text)) break;
    if (!startsArticle(i)) {
      throw new SeedParseError(file, lines[i].number, `expected a related article's headline (shown twice), got "${lines[i].text.slice(0, 60)}"`);
    }
    const headline = lines[i].text;
    i += 2;
    const outlet = lines[i]?.text;
    const age = lines[i + 1] ? splitOutletAndAge(lines[i + 1].text) : null;
    if (!outlet || !age) {
      throw new SeedParseError(
        file,
        lines[i + 1]?.number ?? lines[i - 1].number,
        'expected the outlet, then its age like "time4 hours ago", after a related headline',
      );
    }
    i += 2;
    const bullet = lines[i] ? BULLET_SOURCE.exec(lines[i].text) : null;
    if (bullet && bullet[1].trim() === outlet) i++;
    if (lines[i]?.text === headline) i++;
    const body: string[] = [];
    while (i < lines.length && !startsArticle(i) && !isChrome(lines[i].text)) body.push(lines[i++].text);
    articles.push(makeArticle(headline, outlet, age.ageMs, body));
  }
  return articles;
}

/** A JSONL seed file: one article per line in the shared/data article format. */
export function parseSeedJsonl(file: string, text: string): Article[] {
  const articles: Article[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parseArticleLine(line, 'seed');
    if (!parsed.ok) throw new SeedParseError(file, index + 1, parsed.error);
    articles.push(parsed.article);
  });
  return articles;
}
