/**
 * `npm run bench:library [-- --articles FILE] [--copies N]`: the live library at scale, in real Chromium with
 * the built extension, beside a full re-index measured in the same run.
 *
 * - import: the corpus through the options page's file input, until "Imported N articles.";
 * - cold start: a reader's page (a corpus article as another outlet's page on a local site); stop
 *   the service worker, then time the popup's list for its tab (the message that wakes the worker,
 *   to its reply) and a reload of the page to its toolbar badge; once with the saved index (revived)
 *   and once with it deleted (full re-index from IndexedDB); the worker's memory over DevTools;
 * - snapshot: how long after the import's last batch the worker's snapshot was saved, and how long
 *   the write took in the worker;
 * - trickles: 10 stop/wake cycles with a feed poll (new items from a local feed server) between
 *   them; each wake must replay the items from the journal, and full rebuilds are counted;
 * - saved index size, build and revive time and memory, measured in Node on the same articles.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { DAY_MS } from '../src/core/time';
import { INDEX_FINGERPRINT, INDEX_VERSION, StoryIndex } from '../src/index/engine';
import { parseSegment, toSaved } from '../src/index/segment';
import { readArticlesFile } from './articles-file';
import { badgeTextOf, launchWithExtension, stopServiceWorkers, tabIdOf } from './browser';
import { startDemoSite } from './demo-site';
import { FeedServer } from './feed-server';

const { values } = parseArgs({
  options: { articles: { type: 'string', default: '../shared/data/corpus/uci-news-2014-03-10_27.jsonl.gz' }, copies: { type: 'string', default: '1' } },
});
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const copies = Number(values.copies);
if (!Number.isInteger(copies) || copies < 1 || copies > 10) throw new Error('--copies must be a whole number from 1 to 10');

// Node: build, serialise, revive, heap.
const corpus = readArticlesFile(values.articles!).articles;
/**
 * `--copies N`: a library N times the corpus, for the 100k figure. Copy k is the corpus moved 21
 * days later per copy, with its own ids and addresses (an import stores one record per address).
 */
const articles = Array.from({ length: copies }, (_, k) =>
  corpus.map((a) =>
    k === 0
      ? a
      : {
          ...a,
          id: `${a.id}-c${k}`,
          url: a.url ? `${a.url}${a.url.includes('?') ? '&' : '?'}storyline-copy=${k}` : null,
          publishedAt: a.publishedAt ? new Date(Date.parse(a.publishedAt) + k * 21 * DAY_MS).toISOString() : null,
        },
  ),
).flat();
const file = copies === 1 ? values.articles! : join(mkdtempSync(join(tmpdir(), 'storyline-bench-')), `library-x${copies}.jsonl`);
if (copies > 1) writeFileSync(file, `${articles.map((a) => JSON.stringify(a)).join('\n')}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
/** JS heap plus the typed arrays' backing stores (outside the JS heap), MB. */
const heapNow = () => {
  // Twice: one collection can leave what a finaliser or weak reference kept alive.
  gc?.();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 1048576;
};
const stamp = { version: INDEX_VERSION, fingerprint: INDEX_FINGERPRINT, savedAt: new Date().toISOString() };
let heapBefore = heapNow();
let t = performance.now();
let built: StoryIndex | null = StoryIndex.build(articles);
const rebuildMs = performance.now() - t;
const builtHeapMb = heapNow() - heapBefore;
const savedBytes = v8.serialize(toSaved(built.compact(), stamp));
built = null;
// What the worker holds after a wake-up: the saved segment, without the articles.
heapBefore = heapNow();
t = performance.now();
const revivedInNode = StoryIndex.revive(parseSegment(v8.deserialize(savedBytes), stamp));
const reviveMs = performance.now() - t;
const heapMb = heapNow() - heapBefore;
if (revivedInNode.size !== articles.length) throw new Error('the revived index lost articles');

// Chromium: import through the options page, then cold starts.
log('building the extension…');
// As the end-to-end tests build it: host permission for the local feed server (headless Chromium
// cannot answer a permission prompt).
execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore', env: { ...process.env, STORYLINE_E2E: '1' } });
const browser = await launchWithExtension();
const options = await browser.context.newPage();
await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
log(`importing ${articles.length} articles through the options page…`);
t = performance.now();
await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
// The page says how far it got (a stall is visible in the log rather than a silent 10-minute wait).
const imported = options.getByText(/^Imported [\d,.\u00a0\u202f ]+ articles\./);
for (let waited = 0; !(await imported.count()); waited += 1000) {
  if (waited >= 600_000) throw new Error('the import did not finish in 10 minutes');
  if (waited % 15_000 === 0)
    log(
      `  ${(
        await options
          .getByText(/^Importing|^Imported|failed/i)
          .first()
          .textContent({ timeout: 1000 })
          .catch(() => '?')
      )?.trim()}`,
    );
  await options.waitForTimeout(1000);
}
const importMs = performance.now() - t;
const importEnd = Date.now();
type Stats = { startup: string; indexSavedAt: string | null; indexSaveMs?: number | null; replayed?: number; total: number };
const workerStats = () =>
  options.evaluate(async () => {
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ value: unknown }> } } }).chrome.runtime;
    return (await runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} })).value;
  }) as Promise<Stats>;
// The snapshot is written SAVE_DELAY_MS after the last batch; poll until it covers the import.
let saved: Stats = await workerStats();
for (let i = 0; i < 120 && !(saved.indexSavedAt && Date.parse(saved.indexSavedAt) >= importEnd - 3000 && saved.indexSaveMs != null); i++) {
  await options.waitForTimeout(250);
  saved = await workerStats();
}
// savedAt is stamped when the write starts; the write itself took indexSaveMs.
const savedAfterMs = saved.indexSavedAt ? Date.parse(saved.indexSavedAt) + (saved.indexSaveMs ?? 0) - importEnd : Number.NaN;

// A reader's page: an article of the corpus's middle day, as another outlet's page on a local site.
const source = articles[Math.floor(articles.length / 2)];
const site = await startDemoSite([{ ...source, id: 'bench-page', source: 'Bench Times', url: null, kind: 'seed' }]);
const reader = await browser.context.newPage();
await reader.goto(site.articleUrl('bench-page'));
const tabId = await tabIdOf(browser, reader);
type Breakdown = { boot?: number; open?: number; read: number; parse: number; index: number } | null;
type Cold = { ms: number; badgeMs: number; startup: string; results: number; sameStory: number; breakdown: Breakdown };
/**
 * Two cold starts: the popup's list for the tab (the `tabStories` message that wakes the worker, to
 * its reply), and the page loaded again (from the reload to the toolbar badge's count).
 */
async function coldMatch(): Promise<Cold> {
  await stopServiceWorkers(browser, options);
  const popup = await options.evaluate(async (id) => {
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ value: unknown }> } } }).chrome.runtime;
    const started = performance.now();
    const reply = (await runtime.sendMessage({ channel: 'storyline', type: 'tabStories', payload: { tabId: id } })).value as { stories: { label: string }[] };
    const ms = performance.now() - started;
    const stats = (await runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} })).value as {
      startup: string;
      startupMs?: Breakdown;
    };
    const stories = reply.stories;
    return {
      ms,
      startup: stats.startup,
      results: stories.length,
      sameStory: stories.filter((s) => s.label === 'same-story').length,
      breakdown: stats.startupMs ?? null,
    };
  }, tabId);
  await (
    await browser.worker()
  ).evaluate(
    (id) => (globalThis as unknown as { chrome: { action: { setBadgeText(d: unknown): Promise<void> } } }).chrome.action.setBadgeText({ tabId: id, text: '' }),
    tabId,
  );
  await stopServiceWorkers(browser, options);
  const started = Date.now();
  await reader.reload({ waitUntil: 'commit' });
  let badgeMs = Number.NaN;
  for (let i = 0; i < 600; i++) {
    if (await badgeTextOf(browser, tabId).catch(() => '')) {
      badgeMs = Date.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { ...popup, badgeMs };
}
/**
 * The worker's memory after a garbage collection (MB): its used JS heap plus the backing stores of
 * its typed arrays (the saved index lives there, outside the JS heap), through the DevTools
 * protocol: the page's session attaches to the service worker target and relays the commands.
 */
async function workerHeapMb(): Promise<number> {
  const cdp = await browser.context.newCDPSession(options);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string; targetId: string }[] };
  const target = targetInfos.find((info) => info.type === 'service_worker' && info.url.includes(browser.extensionId));
  if (!target) throw new Error('no running service worker to measure');
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let next = 0;
  const call = (method: string) =>
    new Promise<Record<string, number>>((resolve) => {
      const id = ++next;
      const listener = (event: { message: string }) => {
        const reply = JSON.parse(event.message) as { id?: number; result?: Record<string, number> };
        if (reply.id !== id) return;
        cdp.off('Target.receivedMessageFromTarget', listener);
        resolve(reply.result ?? {});
      };
      cdp.on('Target.receivedMessageFromTarget', listener);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
  await call('HeapProfiler.collectGarbage');
  const { usedSize, backingStorageSize } = await call('Runtime.getHeapUsage');
  await cdp.send('Target.detachFromTarget', { sessionId });
  await cdp.detach();
  if (backingStorageSize === undefined) log("  (this Chromium does not report typed arrays' backing stores: JS heap only)");
  return (usedSize + (backingStorageSize ?? 0)) / 1048576;
}
/** Sends a typed search: the whole library's window. */
const searchAll = () =>
  options.evaluate(async (headline) => {
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ value: unknown }> } } }).chrome.runtime;
    const started = performance.now();
    await runtime.sendMessage({ channel: 'storyline', type: 'search', payload: { query: headline } });
    return performance.now() - started;
  }, source.title);

const revived = await coldMatch();
const heapFirstAnswer = await workerHeapMb();
// Four more cold wakes with nothing to replay: the median of five is the figure.
const wakes = [revived];
for (let i = 0; i < 4; i++) wakes.push(await coldMatch());
const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const searchAllMs = await searchAll();
const heapAfterSearch = await workerHeapMb();
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

// Trickles: 10 stop/wake cycles with a feed poll between them (the snapshot above is the rebuilt one).
await options.waitForTimeout(4000);
const feeds = new FeedServer();
const feedUrl = await feeds.start();
const send = (type: string, payload: unknown) =>
  options.evaluate(
    async ([kind, body]) => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; value: unknown; error?: string }> } } })
        .chrome.runtime;
      return runtime.sendMessage({ channel: 'storyline', type: kind, payload: body });
    },
    [type, payload] as const,
  );
const pollDay = articles[Math.floor(articles.length / 2)].publishedAt ?? new Date().toISOString();
const addItems = (cycle: number) => {
  for (let i = 0; i < 30; i++) {
    const a = articles[(cycle * 997 + i * 31) % articles.length];
    feeds.items.push({ title: `${a.title} (update ${cycle}.${i})`, link: `https://wire.example/c${cycle}/${i}`, pubDate: new Date(pollDay).toUTCString() });
  }
};
addItems(0);
const followed = (await send('addFeed', { url: feedUrl, confirmedPrivate: true })) as { ok: boolean; value: { id: string }; error?: string };
if (!followed.ok) throw new Error(`could not follow the bench feed: ${followed.error}`);
const cycles: { ms: number; badgeMs: number; startup: string; replayed: number; breakdown: Breakdown }[] = [];
for (let cycle = 1; cycle <= 10; cycle++) {
  addItems(cycle);
  const polled = (await send('refreshFeeds', { feedId: followed.value.id })) as { ok: boolean; value: { itemCount: number; lastError: string | null }[] };
  if (!polled.ok || polled.value[0]?.lastError) throw new Error(`the bench feed's poll failed: ${JSON.stringify(polled)}`);
  const woke = await coldMatch();
  const s = await workerStats();
  cycles.push({ ms: woke.ms, badgeMs: woke.badgeMs, startup: woke.startup, replayed: s.replayed ?? 0, breakdown: woke.breakdown });
}
await feeds.stop();
await site.close();
await browser.close();
const fullRebuilds = cycles.filter((c) => c.startup !== 'revived').length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const row = (name: string, library: string, reindex: string) => console.log(`${name.padEnd(34)} ${library.padEnd(16)} ${reindex}`);
console.log(`\nlibrary benchmark: ${articles.length} articles from ${file}\n`);
row('', 'saved index', 'full re-index');
row('cold worker -> popup list (ms)', `${revived.ms.toFixed(0)} (${revived.startup})`, `${rebuilt.ms.toFixed(0)} (${rebuilt.startup})`);
row('  median of 5 wakes (ms)', `${medianOf(wakes.map((w) => w.ms)).toFixed(0)} (${wakes.map((w) => w.ms.toFixed(0)).join(', ')})`, '');
row('page reload -> toolbar badge (ms)', revived.badgeMs.toFixed(0), rebuilt.badgeMs.toFixed(0));
row('  median of 5 wakes (ms)', medianOf(wakes.map((w) => w.badgeMs)).toFixed(0), '');
row('  stories listed (same story)', `${revived.results} (${revived.sameStory})`, `${rebuilt.results} (${rebuilt.sameStory})`);
const parts = (b: Breakdown) => (b ? `${b.boot ?? '?'} / ${b.open ?? '?'} / ${b.read} / ${b.parse} / ${b.index}` : 'n/a');
row('  boot / open / read / parse / index (ms)', parts(revived.breakdown), parts(rebuilt.breakdown));
for (const [i, w] of wakes.entries()) row(`  wake ${i + 1}: boot / open / read / parse / index`, parts(w.breakdown), '');
row('index ready in Node (ms)', reviveMs.toFixed(0), rebuildMs.toFixed(0));
row('import via options page (ms)', importMs.toFixed(0), '');
row('saved index (MB)', (savedBytes.length / 1048576).toFixed(1), '');
row('heap in Node: revived / built (MB)', heapMb.toFixed(1), builtHeapMb.toFixed(1));
row('worker memory after the first answer (MB)', heapFirstAnswer.toFixed(1), '');
row('worker memory after a typed search (MB)', heapAfterSearch.toFixed(1), '');
row('the typed search, warm (ms)', searchAllMs.toFixed(0), '');
row('snapshot saved after import (ms)', savedAfterMs.toFixed(0), '');
row('snapshot write in the worker (ms)', String(saved.indexSaveMs ?? 'n/a'), '');
console.log(`\n10 stop/wake cycles, a feed poll of 30 new items before each:`);
row('full rebuilds', String(fullRebuilds), '');
row('replayed per wake (median / max)', `${median(cycles.map((c) => c.replayed))} / ${Math.max(...cycles.map((c) => c.replayed))}`, '');
row('cold worker -> popup list (median ms)', median(cycles.map((c) => c.ms)).toFixed(0), '');
row('page reload -> toolbar badge (median ms)', median(cycles.map((c) => c.badgeMs)).toFixed(0), '');
const mid = [...cycles].sort((a, b) => a.ms - b.ms)[Math.floor(cycles.length / 2)];
row('  boot / open / read / parse / index (ms)', parts(mid.breakdown), '');
