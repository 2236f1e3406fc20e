/**
 * `npm run extract -- PAGE.html [--url URL]`: prints what Storyline reads from a saved page,
 * as one JSON object { headline, siteName, publishedAt, description, canonicalUrl, lang, isArticle }.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readPageMeta } from '../src/extract/page';
import { parseHtml } from './dom';

const { values, positionals } = parseArgs({ options: { url: { type: 'string' } }, allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: npm run extract -- PAGE.html [--url URL]');
  process.exit(2);
}
const url = values.url ?? null;
const doc = parseHtml(readFileSync(positionals[0], 'utf8'), url ?? undefined);
console.log(JSON.stringify(readPageMeta(doc, url), null, 2));
