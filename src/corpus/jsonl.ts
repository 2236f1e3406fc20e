import type { Article, ArticleKind } from '../core/article';
import { statedDate } from '../core/time';
import { safeHttpUrl } from '../core/links';
import type { AppError } from '../messaging/errors';
import { MAX_IMPORT_LINE_CHARS } from '../messaging/library-io';
import { cleanText } from '../messaging/validate';
import { hasVisibleText } from '../extract/entities';

/** A bad line's reason twice: in English (`error`, for the Node tools) and as a code (`problem`, for the options page). */
export type ParsedLine = { ok: true; article: Article } | { ok: false; error: string; problem: AppError };

const bad = (problem: AppError, error: string): ParsedLine => ({ ok: false, error, problem });

const MAX_TITLE = 500;
const MAX_DESCRIPTION = 2000;

/**
 * One JSONL line in the shared/data article format (id, title, source, publishedAt, url, optional
 * description, optional lang): parsed and validated, never trusted. Never throws.
 */
export function parseArticleLine(line: string, kind: ArticleKind): ParsedLine {
  if (line.length > MAX_IMPORT_LINE_CHARS) return bad({ code: 'lineTooLong', limit: MAX_IMPORT_LINE_CHARS }, `longer than ${MAX_IMPORT_LINE_CHARS} characters`);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return bad({ code: 'lineNotJson' }, 'not valid JSON');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad({ code: 'lineNotObject' }, 'not a JSON object');
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !r.id.trim()) return bad({ code: 'lineNeedsText', field: 'id' }, '"id" must be a non-empty string');
  if (typeof r.title !== 'string' || !r.title.trim()) return bad({ code: 'lineNeedsText', field: 'title' }, '"title" must be a non-empty string');
  if (typeof r.source !== 'string') return bad({ code: 'lineNeedsString', field: 'source' }, '"source" must be a string');
  let publishedAt: string | null = null;
  if (r.publishedAt !== undefined && r.publishedAt !== null) {
    // Read as every stated date is (statedDate): "12 March" is no date, not 12 March 2001.
    publishedAt = statedDate(r.publishedAt);
    if (publishedAt === null) return bad({ code: 'lineNeedsDate', field: 'publishedAt' }, '"publishedAt" must be an ISO date-time');
  }
  // Text as feeds and pages get it: control and bidi-override characters (a title that reads
  // backwards in the popup and badges) removed, whitespace folded, lengths capped.
  const title = cleanText(r.title, MAX_TITLE);
  // A title of zero-width or blank characters only would be an empty link.
  if (!title || !hasVisibleText(title)) return bad({ code: 'lineNeedsText', field: 'title' }, '"title" must be a non-empty string');
  const article: Article = {
    id: r.id.trim().slice(0, 200),
    title,
    source: cleanText(r.source, 200) ?? '',
    publishedAt,
    url: safeHttpUrl(r.url),
    kind,
  };
  const description = cleanText(r.description, MAX_DESCRIPTION);
  if (description) article.description = description;
  if (typeof r.lang === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(r.lang)) article.lang = r.lang;
  return { ok: true, article };
}

export interface JsonlReport {
  articles: Article[];
  /** 1-based line numbers of lines that were not valid articles, with the reason. */
  bad: { line: number; error: string }[];
}

/** A whole JSONL text: good lines kept, bad lines counted with their numbers. */
export function parseJsonl(text: string, kind: ArticleKind): JsonlReport {
  const report: JsonlReport = { articles: [], bad: [] };
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = parseArticleLine(line, kind);
    if (parsed.ok) report.articles.push(parsed.article);
    else report.bad.push({ line: i + 1, error: parsed.error });
  });
  return report;
}
