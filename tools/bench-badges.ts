/**
 * `npm run bench:badges`: inline badges on a heavy front page, in real Chromium, beside the same
 * page with the extension off, in the same run.
 *
 * Library: the 54k corpus imported through the options page. Page: 300 headline links drawn from
 * the corpus (each with its <time>) and 300 links that are not headlines (navigation, "Read more",
 * bylines, tags, comment counts). Reports detection precision/recall (the content script's own
 * detector on the same HTML), badges shown, extension main-thread time, longest task, layout shift,
 * and the time until every badge is in place.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findHeadlineLinks } from '../src/extract/listing';
import { readArticlesFile } from './articles-file';
import { CHROMIUM, launchWithExtension, QUIET_CHROMIUM_ARGS } from './browser';
import { escapeHtml } from './demo-site';
import { parseHtml } from './dom';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '../shared/data/corpus/uci-news-2014-03-10_27.jsonl.gz' } } });
const file = values.articles!;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const { articles } = readArticlesFile(file);
const picks = articles.filter((_, i) => i % Math.floor(articles.length / 300) === 0).slice(0, 300);
const noise = Array.from({ length: 300 }, (_, i) => {
  const kinds = [
    `<nav><a href="/section/${i}">Section ${i}</a></nav>`,
    `<a class="read-more" href="/more/${i}">Read more</a>`,
    `<div class="byline"><a href="/author/${i}">By Reporter Number ${i} and colleagues</a></div>`,
    `<ul class="tags"><li><a href="/tag/${i}">Topic ${i}</a></li></ul>`,
    `<a class="comments" href="/c/${i}">${i} comments</a>`,
  ];
  return kinds[i % kinds.length];
});
const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Front page</title><meta property="og:type" content="website">
<style>body{font:16px/1.5 Georgia,serif;max-width:900px;margin:0 auto} article{border-bottom:1px solid #ddd;padding:8px 0} h3{margin:0;font-size:19px}</style></head>
<body><main>${picks
  .map(
    (a, i) =>
      `<article><h3><a data-expect="headline" href="/story/${i}">${escapeHtml(a.title)}</a></h3><time datetime="${a.publishedAt}">${a.publishedAt?.slice(0, 10)}</time>${noise[i]}</article>`,
  )
  .join('\n')}</main></body></html>`;

// Detection precision/recall, by the content script's own detector on this HTML.
const doc = parseHtml(page, 'http://127.0.0.1/');
const expected = new Set([...doc.querySelectorAll('a[data-expect]')].map((a) => new URL(a.getAttribute('href')!, 'http://127.0.0.1/').href));
const detected = findHeadlineLinks(doc, 'http://127.0.0.1/');
const hits = detected.filter((d) => expected.has(d.url)).length;

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
});
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const INIT = () => {
  const w = window as unknown as { perf: { longest: number; tasks: number; shift: number } };
  w.perf = { longest: 0, tasks: 0, shift: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      w.perf.longest = Math.max(w.perf.longest, e.duration);
      w.perf.tasks++;
    }
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.perf.shift += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
};

async function measure(context: BrowserContext, withExtension: boolean) {
  const tab: Page = await context.newPage();
  await tab.addInitScript(INIT);
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Performance.enable');
  const started = Date.now();
  await tab.goto(url);
  let badges = 0;
  let settledAt = Date.now();
  // Wait until the badge count has not changed for 1.5 s.
  for (let stable = 0; stable < 15;) {
    await tab.waitForTimeout(100);
    const n = await tab.locator('storyline-badge').count();
    if (n !== badges) {
      badges = n;
      settledAt = Date.now();
      stable = 0;
    } else stable++;
  }
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  const perf = await tab.evaluate(() => (window as unknown as { perf: { longest: number; tasks: number; shift: number } }).perf);
  const nextToHeadlines = await tab.locator('h3 storyline-badge').count();
  await tab.close();
  return {
    scriptMs: metric('ScriptDuration'),
    taskMs: metric('TaskDuration'),
    longestTaskMs: perf.longest,
    longTasks: perf.tasks,
    layoutShift: perf.shift,
    badges,
    nextToHeadlines,
    allBadgesMs: withExtension && badges ? settledAt - started : 0,
  };
}

log('building the extension…');
execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore' });
const browser = await launchWithExtension();
const options = await browser.context.newPage();
await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
log(`importing ${articles.length} articles…`);
await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
// Counts have the UI language's digit grouping ("Imported 54,019 articles.").
await options.getByText(/^Imported [\d,.\u00a0\u202f ]+ articles\./).waitFor({ timeout: 600_000 });
await options.close();
log('measuring with the extension…');
await measure(browser.context, true); // warm-up: the worker and index are hot afterwards, as in use
const on = await measure(browser.context, true);
await browser.close();

log('measuring with the extension off…');
const plain = await chromium.launchPersistentContext('', {
  executablePath: CHROMIUM,
  headless: true,
  args: [...QUIET_CHROMIUM_ARGS],
});
const off = await measure(plain, false);
await plain.close();
server.close();

const row = (name: string, a: string, b: string) => console.log(`${name.padEnd(44)} ${a.padEnd(14)} ${b}`);
console.log(`\nbadge benchmark: ${picks.length} headline links + ${noise.length} other links; library ${articles.length} articles\n`);
console.log(`detection: precision ${(hits / detected.length).toFixed(3)}, recall ${(hits / expected.size).toFixed(3)} (${detected.length} found)\n`);
row('', 'extension on', 'extension off');
row('badges shown (beside headlines)', `${on.badges} (${on.nextToHeadlines})`, String(off.badges));
row('main-thread script time (ms)', on.scriptMs.toFixed(1), off.scriptMs.toFixed(1));
row('extension script time, on - off (ms)', (on.scriptMs - off.scriptMs).toFixed(1), '');
row('main-thread task time (ms)', on.taskMs.toFixed(1), off.taskMs.toFixed(1));
row('longest task (ms; 0 = none over 50 ms)', on.longestTaskMs.toFixed(0), off.longestTaskMs.toFixed(0));
row('layout shift (CLS sum)', on.layoutShift.toFixed(4), off.layoutShift.toFixed(4));
row('time until all badges are in place (ms)', String(on.allBadgesMs), '');
