import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Article } from '../src/core/article';
import { parseArticleLine } from '../src/corpus/jsonl';

export interface LabelledArticle extends Article {
  story?: string;
}

/** Reads a JSONL or JSONL.gz file in the shared/data article format; bad lines are reported and skipped. */
export function readArticlesFile(path: string): { articles: LabelledArticle[]; badLines: number[] } {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const articles: LabelledArticle[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = parseArticleLine(line, 'import');
    if (!parsed.ok) {
      badLines.push(i + 1);
      return;
    }
    const story = (JSON.parse(line) as { story?: unknown }).story;
    articles.push(typeof story === 'string' ? { ...parsed.article, story } : parsed.article);
  });
  return { articles, badLines };
}

export interface Pair {
  a: string;
  b: string;
  label: 0 | 1;
}

export function readPairsFile(path: string): Pair[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const { a, b, label } = JSON.parse(l) as Pair;
      return { a, b, label: label ? 1 : 0 };
    });
}
