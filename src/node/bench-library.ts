/**
 * `npm run bench:library [-- --articles FILE]`: the live library at scale, in real Chromium with
 * the built extension, beside a full re-index measured in the same run.
 *
 * - import: the corpus through the options page's file input, until "Imported N articles.";
 * - cold start: stop the service worker, then time the first answered match; once with the saved
 *   index (revived) and once with the snapshot deleted (full re-index from IndexedDB);
 * - serialised index size and heap, measured in Node on the same engine and articles.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { StoryIndex } from '../index/engine';
import { readArticlesFile } from './articles-file';
import { launchWithExtension, stopServiceWorkers } from './browser';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '../shared/data/corpus/uci-news-2014-03-10_27.jsonl.gz' } } });
const file = values.articles!;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

// Node: build, serialise, revive, heap.
const { articles } = readArticlesFile(file);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
let t = performance.now();
const index = new StoryIndex();
index.addAll(articles);
const rebuildMs = performance.now() - t;
gc?.();
const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
const json = JSON.stringify(index.toJSON());
t = performance.now();
StoryIndex.fromJSON(JSON.parse(json), articles);
const reviveMs = performance.now() - t;

// Chromium: import through the options page, then cold starts.
log('building the extension…');
execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
const browser = await launchWithExtension();
const options = await browser.context.newPage();
await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
log(`importing ${articles.length} articles through the options page…`);
t = performance.now();
await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
await options.getByText(/^Imported \d+ articles\./).waitFor({ timeout: 600_000 });
const importMs = performance.now() - t;
await options.waitForTimeout(4000); // the snapshot is written 2 s after the last change

const query = articles[Math.floor(articles.length / 2)].title;
async function coldMatch(): Promise<{ ms: number; startup: string; results: number }> {
  await stopServiceWorkers(browser, options);
  return options.evaluate(async (headline) => {
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ value: unknown }> } } }).chrome.runtime;
    const started = performance.now();
    const reply = await runtime.sendMessage({ channel: 'storyline', type: 'search', payload: { query: headline } });
    const ms = performance.now() - started;
    const stats = (await runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} })).value as { startup: string };
    return { ms, startup: stats.startup, results: (reply.value as unknown[]).length };
  }, query);
}
const revived = await coldMatch();
// Delete the snapshot: the next start must re-index every stored article.
await options.evaluate(
  () =>
    new Promise<void>((done, fail) => {
      const open = indexedDB.open('storyline-library');
      open.onsuccess = () => {
        const tx = open.result.transaction('meta', 'readwrite');
        tx.objectStore('meta').delete('index');
        tx.oncomplete = () => done();
        tx.onerror = () => fail(tx.error);
      };
    }),
);
const rebuilt = await coldMatch();
await browser.close();

const row = (name: string, library: string, reindex: string) => console.log(`${name.padEnd(34)} ${library.padEnd(16)} ${reindex}`);
console.log(`\nlibrary benchmark: ${articles.length} articles from ${file}\n`);
row('', 'saved index', 'full re-index');
row('cold worker -> first match (ms)', `${revived.ms.toFixed(0)} (${revived.startup})`, `${rebuilt.ms.toFixed(0)} (${rebuilt.startup})`);
row('index ready in Node (ms)', reviveMs.toFixed(0), rebuildMs.toFixed(0));
row('import via options page (ms)', importMs.toFixed(0), '');
row('serialised index (MB)', (Buffer.byteLength(json) / 1048576).toFixed(1), '');
row('heap of the index in Node (MB)', heapMb.toFixed(1), '');
row('results for the cold query', String(revived.results), String(rebuilt.results));
