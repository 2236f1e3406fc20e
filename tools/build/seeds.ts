import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/core/article';
import { parseAggregatorPage, parseSeedJsonl, parseSeedMeta, SeedParseError } from '../../src/corpus/seed-format';

/**
 * Reads every seed file in a folder: `*.txt` captured aggregator pages (each with a
 * `<name>.meta.json` sidecar) and `*.jsonl` article lists. Throws SeedParseError naming the
 * file, line and reason on the first file that does not parse.
 */
export function loadSeedDirectory(dir: string): Article[] {
  const files = readdirSync(dir).sort();
  const articles: Article[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const path = join(dir, name);
    let parsed: Article[];
    if (name.endsWith('.txt')) {
      const metaPath = join(dir, name.replace(/\.txt$/, '.meta.json'));
      if (!existsSync(metaPath)) {
        throw new SeedParseError(path, 1, `missing sidecar ${metaPath} with "capturedAt" (needed to resolve "2 days ago")`);
      }
      const meta = parseSeedMeta(metaPath, readFileSync(metaPath, 'utf8'));
      parsed = parseAggregatorPage(path, readFileSync(path, 'utf8'), meta);
    } else if (name.endsWith('.jsonl')) {
      parsed = parseSeedJsonl(path, readFileSync(path, 'utf8'));
    } else {
      continue;
    }
    for (const article of parsed) {
      const other = seen.get(article.id);
      if (other) throw new SeedParseError(path, 1, `article id ${article.id} ("${article.title}") is already in ${other}`);
      seen.set(article.id, path);
      articles.push(article);
    }
  }
  return articles;
}
