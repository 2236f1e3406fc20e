/**
 * `npm run match -- --library FILE (--queries FILE | --pairs FILE) --out FILE [--window-days N] [--level 1-5]`
 *
 * The product's own decision as a command: the library is built as an import builds it, and each
 * query line is answered as the worker answers a page it read (`storiesForPage`, default settings
 * unless the flags say otherwise).
 *
 * - queries: one JSON line per query, in input order:
 *   {"query": ID, "shown": [{"id", "label", "score", "title", "source"}], "ranked": [{"id", "score"}]}
 *   `shown` is exactly what the popup would list; `ranked` the top 10 candidates before any threshold.
 * - pairs: lines {"a": ID, "b": ID} naming library articles; one line per pair, in order:
 *   {"a", "b", "score", "label"}: the engine's score that b is a's story, and the label b would get
 *   on page a (null when it would not be shown).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { matchOptions, queryOf, storiesForPage } from '../src/background/answer';
import { parseArticleLine } from '../src/corpus/jsonl';
import { labelFor, relatedAlone, RELEVANCE_LEVELS, type RelevanceLevel } from '../src/index/model';
import { DEFAULTS, LIMITS, type Settings } from '../src/settings/schema';
import type { LabelledArticle } from './articles-file';
import { importLibrary, pageOf } from './reader-eval';

export class UsageError extends Error {}

function lines(path: string): string[] {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let text: string;
  try {
    text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  } catch {
    throw new UsageError(`${path}: not a gzip file`);
  }
  return text.replace(/^\ufeff/, '').split(/\r?\n/);
}

/** Articles of a JSONL(.gz) file in the shared/data format; the first bad line is an error naming it. */
export function readArticles(path: string): LabelledArticle[] {
  const out: LabelledArticle[] = [];
  lines(path).forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = parseArticleLine(line, 'import');
    if (!parsed.ok) throw new UsageError(`${path}:${i + 1}: ${parsed.error}`);
    out.push(parsed.article);
  });
  if (out.length === 0) throw new UsageError(`${path}: no articles`);
  return out;
}

export function readPairs(path: string): { a: string; b: string; line: number }[] {
  const out: { a: string; b: string; line: number }[] = [];
  lines(path).forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new UsageError(`${path}:${i + 1}: not valid JSON`);
    }
    const { a, b } = (raw ?? {}) as { a?: unknown; b?: unknown };
    if (typeof a !== 'string' || typeof b !== 'string') throw new UsageError(`${path}:${i + 1}: "a" and "b" must be article ids (strings)`);
    out.push({ a, b, line: i + 1 });
  });
  return out;
}

export interface MatchRun {
  library: string;
  queries?: string;
  pairs?: string;
  windowDays?: number;
  level?: number;
}

/** Runs the command and returns its output lines (pure apart from reading the files). */
export function runMatch(run: MatchRun): string[] {
  const settings: Settings = { ...DEFAULTS };
  if (run.windowDays !== undefined) {
    const [min, max] = LIMITS.windowDays;
    if (!Number.isFinite(run.windowDays) || run.windowDays < min || run.windowDays > max)
      throw new UsageError(`--window-days must be a number from ${min} to ${max}`);
    settings.windowDays = run.windowDays;
  }
  if (run.level !== undefined) {
    if (!RELEVANCE_LEVELS.includes(run.level as RelevanceLevel)) throw new UsageError('--level must be 1, 2, 3, 4 or 5');
    settings.minRelevance = run.level as RelevanceLevel;
  }
  if (!run.queries === !run.pairs) throw new UsageError('give exactly one of --queries FILE or --pairs FILE');
  const articles = readArticles(run.library);
  const lib = importLibrary(articles);
  const fileIdOf = (storedId: string) => lib.fileId.get(storedId) ?? storedId;

  if (run.queries) {
    return readArticles(run.queries).map((q) => {
      const page = pageOf(q);
      const shown = storiesForPage(lib.index, page, settings).map((s) => ({
        id: fileIdOf(s.id),
        label: s.label,
        score: s.score,
        title: s.title,
        source: s.source,
      }));
      const ranked = lib.index
        .rank(queryOf(page), matchOptions(settings))
        .slice(0, 10)
        .map((c) => ({ id: fileIdOf(c.id), score: Math.round(c.score * 10000) / 10000 }));
      return JSON.stringify({ query: q.id, shown, ranked });
    });
  }
  const pairs = readPairs(run.pairs!);
  const unknown = pairs.flatMap((p) => [p.a, p.b].filter((id) => !lib.storedId.has(id)).map((id) => `${run.pairs}:${p.line}: unknown article id "${id}"`));
  if (unknown.length)
    throw new UsageError(`${unknown.slice(0, 10).join('\n')}${unknown.length > 10 ? `\n... and ${unknown.length - 10} more unknown ids` : ''}`);
  const options = matchOptions(settings);
  return pairs.map((p) => {
    const a = lib.index.get(lib.storedId.get(p.a)!)!;
    const b = lib.index.get(lib.storedId.get(p.b)!)!;
    const c = lib.index.scoreStories(a, b, options);
    // "Related" that does not stand alone needs a "Same story" on page a (labelsFor): asked only then.
    const ruled = labelFor(c, settings.minRelevance);
    const anchored = ruled !== 'related' || relatedAlone(c, settings.minRelevance) || lib.index.match(a, options).some((s) => s.label === 'same-story');
    const label = anchored ? ruled : null;
    return JSON.stringify({ a: p.a, b: p.b, score: Math.round(c.score * 10000) / 10000, label: a.id === b.id ? null : label });
  });
}
