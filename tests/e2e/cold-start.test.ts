import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { launchWithExtension, stopServiceWorkers, type ExtensionBrowser } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';
import { BADGE_TAG } from '../../src/ui/badge/badge';
import { DAY_MS } from '../../src/core/time';

/**
 * RELIABILITY row 36 and the "Badge latency (cold SW)" budget: with a persisted index of 10,000
 * articles and the worker stopped (as Chrome does after 30 s idle), the first answer comes within
 * 500 ms. Two clocks, five cold starts each, medians (one slow start on a busy machine does not
 * fail the run; each is logged):
 * - the worker's first answer, timed from the message that wakes it to its reply (the budget);
 * - what a reader sees, from DOMContentLoaded (the headlines are in the page) to the first badge:
 *   the same cold start plus the content script's own start at document_idle, settings and page
 *   reading and a second message (warm, that part alone is 130-160 ms here), held to 1 s.
 */
const ARTICLES = 10_000;
const COLD_BUDGET_MS = 500;
const FIRST_BADGE_CEILING_MS = 1000;
const RUNS = 5;

// Deterministic filler articles: different words, sources and days, none about the pages' stories.
function library(count: number): string {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  const subjects = [
    'Council',
    'Museum',
    'Harbour',
    'University',
    'Orchestra',
    'Rail operator',
    'Hospital',
    'Football club',
    'Library',
    'Bakery',
    'Airline',
    'Startup',
  ];
  const verbs = ['opens', 'delays', 'expands', 'celebrates', 'reviews', 'announces', 'cancels', 'renovates', 'funds', 'wins'];
  const objects = [
    'summer festival',
    'new wing',
    'night service',
    'research centre',
    'heritage trail',
    'cycling lanes',
    'concert series',
    'training ground',
    'reading room',
    'farmers market',
  ];
  const places = ['in Leeds', 'in Porto', 'in Gdansk', 'in Lyon', 'in Bergen', 'in Graz', 'in Malmo', 'in Cork', 'in Turin', 'in Ghent'];
  const start = Date.parse('2025-05-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `filler-${i}`,
      title: `${pick(subjects)} ${pick(verbs)} ${pick(objects)} ${pick(places)} (${i})`,
      source: pick(['Daily Courier', 'Evening Post', 'City Herald', 'Metro Wire']),
      publishedAt: new Date(start + Math.floor(next() * 40 * DAY_MS)).toISOString(),
    }),
  ).join('\n');
}

// A front page whose first headline has related stories among the seeds.
const front = `<!doctype html><html lang="en"><head><title>Front page</title><meta property="og:type" content="website"></head><body><main>
<article class="card"><h2><a href="/story/drone">${escapeHtml('Zelensky says drone strike destroyed 40 Russian planes')}</a></h2><time datetime="2025-06-02T10:00:00Z">2 June</time></article>
<article class="card"><h2><a href="/story/talks">${escapeHtml('Ukraine and Russia to hold peace talks in Istanbul on Monday')}</a></h2><time datetime="2025-06-02T10:00:00Z">2 June</time></article>
</main></body></html>`;

let browser: ExtensionBrowser;
let site: DemoSite;
let options: Page;
const dir = mkdtempSync(join(tmpdir(), 'storyline-cold-'));

declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
const stats = async () =>
  (
    (await options.evaluate(() => chrome.runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} }))) as {
      value: { total: number; indexSavedAt: string | null; startup: string | null };
    }
  ).value;

/** Polls until `ready` says yes (expect.poll works only inside a test, not in beforeAll). */
async function until(ready: () => Promise<boolean>, timeout: number, what: string): Promise<void> {
  for (const end = Date.now() + timeout; Date.now() < end; await new Promise((r) => setTimeout(r, 500))) {
    if (await ready().catch(() => false)) return;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Opens the front page in a new tab; ms from DOMContentLoaded to the first badge in the page. */
async function firstBadgeMs(): Promise<number> {
  const page = await browser.context.newPage();
  await page.addInitScript((tag) => {
    const w = window as unknown as { firstBadgeAt?: number };
    new MutationObserver((records, observer) => {
      if (records.some((r) => [...r.addedNodes].some((n) => n.nodeType === 1 && (n as Element).localName === tag))) {
        w.firstBadgeAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, BADGE_TAG);
  await page.goto(`${site.origin}/front`);
  await expect.poll(() => page.evaluate(() => (window as unknown as { firstBadgeAt?: number }).firstBadgeAt ?? null), { timeout: 15_000 }).not.toBeNull();
  const ms = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return (window as unknown as { firstBadgeAt: number }).firstBadgeAt - nav.domContentLoadedEventStart;
  });
  await page.close();
  return ms;
}

beforeAll(async () => {
  site = await startDemoSite(loadSeedDirectory('seeds'), 0, { '/front': front });
  browser = await launchWithExtension();
  options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const file = join(dir, 'library.jsonl');
  writeFileSync(file, `${library(ARTICLES)}\n`);
  const importedAt = Date.now();
  await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
  // The count is written with the locale's digit grouping ("Imported 10,000 articles.").
  const imported = async () =>
    (await options.getByText(/^Imported [\d,.\u00a0\u202f ]+ articles\./).textContent())?.replace(/(\d)[,.\u00a0\u202f](?=\d{3}\b)/g, '$1');
  await until(async () => (await imported()) === `Imported ${ARTICLES} articles.`, 120_000, 'the import to finish');
  // The index snapshot is written a few seconds after the last change: wait for it.
  await until(async () => Date.parse((await stats()).indexSavedAt ?? '') >= importedAt, 60_000, 'the index snapshot');
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`cold start with a saved index of ${ARTICLES.toLocaleString('en')} articles (RELIABILITY row 36)`, () => {
  it(`answers within ${COLD_BUDGET_MS} ms, and shows the first badge within ${FIRST_BADGE_CEILING_MS} ms of the page loading, with the worker stopped before`, async () => {
    const worker = () => browser.worker();
    /** Stops the worker, runs `measure` (which wakes it), and checks that a new worker revived the saved index. */
    const cold = async (measure: () => Promise<number>): Promise<number> => {
      await (await worker()).evaluate(() => ((globalThis as unknown as { warm?: boolean }).warm = true));
      await stopServiceWorkers(browser, options);
      const ms = await measure();
      expect(await (await worker()).evaluate(() => (globalThis as unknown as { warm?: boolean }).warm ?? false)).toBe(false);
      expect(await stats()).toMatchObject({ startup: 'revived' });
      return ms;
    };
    const firstAnswer = () =>
      options.evaluate(async () => {
        const started = performance.now();
        await chrome.runtime.sendMessage({ channel: 'storyline', type: 'search', payload: { query: 'Zelensky says drone strike destroyed Russian planes' } });
        return performance.now() - started;
      });
    const warmBadge = await firstBadgeMs();
    const answers: number[] = [];
    const badges: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      answers.push(await cold(firstAnswer));
      badges.push(await cold(firstBadgeMs));
    }
    const median = (list: number[]) => list.toSorted((a, b) => a - b)[Math.floor(list.length / 2)];
    const ms = (list: number[]) => list.map((v) => v.toFixed(0)).join(', ');
    console.log(
      `cold worker, first answer: ${ms(answers)} ms (median ${median(answers).toFixed(0)}); first badge after DOMContentLoaded: cold ${ms(badges)} ms (median ${median(badges).toFixed(0)}), warm ${warmBadge.toFixed(0)} ms`,
    );
    expect((await stats()).total).toBeGreaterThanOrEqual(ARTICLES);
    expect(median(answers)).toBeLessThanOrEqual(COLD_BUDGET_MS);
    expect(median(badges)).toBeLessThanOrEqual(FIRST_BADGE_CEILING_MS);
  });
});
