/**
 * `npm run feed -- FILE [--url URL] [--type CONTENT-TYPE]`: what Storyline reads from a saved feed,
 * through the worker's own parse path, as JSON { title, items: [{ title, url, publishedAt }] }.
 * A feed Storyline refuses prints one line, "error: <reason>", and exits 1 (2 for bad usage).
 */
import { parseArgs } from 'node:util';
import { safeHttpUrl } from '../src/core/links';
import { FeedError } from '../src/corpus/feeds/parse';
import { readFeedFile } from './feed-file';

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

let args;
try {
  args = parseArgs({ options: { url: { type: 'string' }, type: { type: 'string' } }, allowPositionals: true });
} catch (error) {
  fail(`usage: npm run feed -- FILE [--url URL] (${(error as Error).message})`, 2);
}
const { values, positionals } = args;
if (positionals.length !== 1) fail('usage: npm run feed -- FILE [--url URL]', 2);
const url = values.url === undefined ? undefined : safeHttpUrl(values.url);
if (url === null) fail('usage: --url must be an http(s) address', 2);
try {
  console.log(JSON.stringify(readFeedFile(positionals[0], url, values.type ?? ''), null, 2));
} catch (error) {
  fail(`error: ${error instanceof FeedError ? error.message : String(error).split('\n')[0]}`, 1);
}
