import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { launchWithExtension, type ExtensionBrowser } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';
import { traceMainThread, type MainThreadTrace } from '../../tools/long-tasks';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * RELIABILITY row 14: a big listing page and an infinite scroll cost the page no task over 50 ms
 * attributable to the extension. Chromium's tracer splits the main thread into tasks and V8's CPU
 * profiler charges each with the samples that have the content script on the stack
 * (tools/long-tasks.ts), so the page's own work (parsing 600 cards, its clock) is not blamed on
 * us, and our work is not hidden in it. Sampling slows scripts a little: figures err high.
 */
const BUDGET_MS = 50;
/**
 * The first pass over a 600-link page found its headlines in one task and mounted its 200 badges in
 * another, 37-49 ms each on this 2-core machine, and was held to the Budgets table's 100 ms ceiling.
 * It now runs in slices of 8 ms (src/content/slices.ts; issue 9, leftovers item 4): worst extension
 * task 25.8 ms in the run that lowered this to the budget.
 */
const FIRST_PASS_CEILING_MS = BUDGET_MS;

// A third of the headlines are stories the seeds know (they get badges), the rest are not.
const RELATED = [
  'Zelensky says drone strike destroyed {n} Russian planes',
  'Ukraine and Russia to hold peace talks in Istanbul, round {n}',
  'North Korea sends {n} more troops to help Russia in Ukraine war',
];
const OTHER = [
  'Regional council approves budget plan {n} for new schools',
  'Local bakery wins award number {n} for its sourdough bread',
  'City marathon draws {n} runners despite the heavy rain',
];
const headline = (i: number) => (i % 3 === 0 ? RELATED[(i / 3) % 3] : OTHER[i % 3]).replace('{n}', String(i));
const card = (i: number) =>
  `<article class="card"><h3><a href="/story/${i}">${escapeHtml(headline(i))}</a></h3><time datetime="2025-06-02T10:00:00Z">2 June</time></article>`;

const LINKS = 600;
const BATCHES = 40;
const PER_BATCH = 35;

const page600 = `<!doctype html><html lang="en"><head><title>Latest news</title><meta property="og:type" content="website"></head><body>
<main id="feed">${Array.from({ length: LINKS }, (_, i) => card(i)).join('')}</main>
<p>Updated <time id="clock"></time></p>
<script>
// A ticking clock: text-only changes, every 50 ms, all the time.
setInterval(() => { document.getElementById('clock').textContent = new Date().toISOString(); }, 50);
// Infinite scroll: ${BATCHES} batches of ${PER_BATCH} cards, one every 100 ms.
const RELATED = ${JSON.stringify(RELATED)};
const OTHER = ${JSON.stringify(OTHER)};
function card(i) {
  const article = document.createElement('article');
  article.className = 'card';
  const h3 = article.appendChild(document.createElement('h3'));
  const a = h3.appendChild(document.createElement('a'));
  a.href = '/story/' + i;
  a.textContent = (i % 3 === 0 ? RELATED[(i / 3) % 3] : OTHER[i % 3]).replace('{n}', String(i));
  const time = article.appendChild(document.createElement('time'));
  time.dateTime = '2025-06-02T10:00:00Z';
  time.textContent = '2 June';
  return article;
}
window.scrollMore = () => new Promise((done) => {
  let batch = 0;
  const timer = setInterval(() => {
    const cards = [];
    for (let k = 0; k < ${PER_BATCH}; k++) cards.push(card(${LINKS} + batch * ${PER_BATCH} + k));
    document.getElementById('feed').append(...cards);
    if (++batch === ${BATCHES}) { clearInterval(timer); done(); }
  }, 100);
});
</script></body></html>`;

let browser: ExtensionBrowser;
let site: DemoSite;
let page: Page;

const badgeCount = () => page.locator(BADGE_TAG).count();
const worst = (trace: MainThreadTrace) => Math.max(0, ...trace.tasks.map((t) => t.extensionMs));
const summary = (trace: MainThreadTrace) => {
  const ours = trace.tasks.toSorted((a, b) => b.extensionMs - a.extensionMs)[0];
  const where = ours?.extensionStacks.map(([stack, ms]) => `${stack} ${ms.toFixed(1)} ms`).join('; ') ?? '';
  const longest = trace.tasks
    .toSorted((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((t) => `${t.ms.toFixed(0)}/${t.extensionMs.toFixed(0)}`)
    .join(', ');
  return `${trace.tasks.length} tasks, extension ${trace.extensionMs.toFixed(1)} ms in all, worst task ${worst(trace).toFixed(1)} ms (${where}); longest tasks (ms, of which extension): ${longest}`;
};

beforeAll(async () => {
  site = await startDemoSite(loadSeedDirectory('seeds'), 0, { '/latest': page600, '/blank': '<!doctype html><title>Blank</title>' });
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  // The page's renderer is the site's from here on (the profile follows one renderer process).
  await page.goto(`${site.origin}/blank`);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('responsiveness on big pages (RELIABILITY row 14)', () => {
  it(`reads a ${LINKS}-link page and badges it with no extension task over ${FIRST_PASS_CEILING_MS} ms`, async () => {
    const trace = await traceMainThread(browser.context, page, async () => {
      await page.goto(`${site.origin}/latest`);
      await expect.poll(badgeCount, { timeout: 15_000 }).toBe(LINKS / 3);
      await page.waitForTimeout(500);
    });
    console.log(`load: ${summary(trace)}`);
    // The trace saw the content script at work (else the figure below would prove nothing).
    expect(trace.extensionSamples).toBeGreaterThan(10);
    expect(worst(trace)).toBeLessThanOrEqual(FIRST_PASS_CEILING_MS);
  });

  it('ignores a clock rewriting <time> text every 50 ms', async () => {
    const trace = await traceMainThread(browser.context, page, () => page.waitForTimeout(2000));
    console.log(`clock: ${summary(trace)}`);
    // 40 text rewrites: nothing scanned, nothing sent; at most the few-second liveness check.
    expect(trace.extensionMs).toBeLessThan(5);
  });

  it(`follows an infinite scroll of ${BATCHES} batches with no extension task over ${BUDGET_MS} ms`, async () => {
    const trace = await traceMainThread(browser.context, page, async () => {
      await page.evaluate(() => (window as unknown as { scrollMore: () => Promise<void> }).scrollMore());
      const total = LINKS + BATCHES * PER_BATCH;
      await expect.poll(badgeCount, { timeout: 15_000 }).toBe(Math.ceil(total / 3));
      await page.waitForTimeout(500);
    });
    const added = BATCHES * PER_BATCH;
    console.log(`scroll: ${summary(trace)}; ${(trace.extensionMs / added).toFixed(3)} ms per added headline`);
    expect(trace.extensionSamples).toBeGreaterThan(0);
    expect(worst(trace)).toBeLessThanOrEqual(BUDGET_MS);
  });
});
