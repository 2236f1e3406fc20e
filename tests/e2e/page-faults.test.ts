import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage, Page, WebError } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { badgeTextOf, launchWithExtension, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * Faults around a page and the worker, in real Chromium with the back/forward cache on (issue 9,
 * leftovers): the worker killed between a page's load and its badge query (row 1), a page that
 * cannot enter the cache (row 8, the other half), and a page forging messages to the extension (row 26).
 */
const when = '2025-06-02T10:00:00Z';
const card = (slug: string, title: string) =>
  `<article class="card"><h2><a href="/story/${slug}">${escapeHtml(title)}</a></h2><time datetime="${when}">2 June</time></article>`;
// Two headlines the seeds have related stories for (as in page-lifecycle.test.ts), one they have none for.
const drone = card('drone', 'Zelensky says drone strike destroyed 40 Russian planes');
const talks = card('talks', 'Ukraine and Russia to hold peace talks in Istanbul on Monday');
const rates = card('rates', 'Central bank holds interest rates steady for third month');
const page = (body: string, head = '') =>
  `<!doctype html><html lang="en"><head><title>Front page</title><meta property="og:type" content="website">${head}</head><body>${body}</body></html>`;

// One headline at load; the second only when the test calls more(), as an infinite scroll would.
const late = page(`<main id="feed">${drone}${rates}</main>
<script>function more() { document.getElementById('feed').insertAdjacentHTML('beforeend', ${JSON.stringify(talks)}); }</script>`);

// Counts every pageshow, and has an unload listener; served with Cache-Control: no-store.
const uncacheable = page(
  `<main>${drone}${talks}${rates}</main>`,
  `<script>
  window.shows = JSON.parse(sessionStorage.getItem('shows') || '[]');
  addEventListener('pageshow', (e) => { window.shows.push(e.persisted); sessionStorage.setItem('shows', JSON.stringify(window.shows)); });
  addEventListener('unload', () => {});
</script>`,
);

let browser: ExtensionBrowser;
let site: DemoSite;
let plain: Server;
let plainOrigin: string;
const badges = (p: Page) => p.locator(BADGE_TAG).count();

/** Errors any page or the extension's worker logs while `run` runs. */
async function errorsDuring(run: () => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  };
  const onPageError = (error: WebError) => errors.push(`page: ${error.error().message}`);
  browser.context.on('console', onConsole);
  browser.context.on('weberror', onPageError);
  try {
    await run();
  } finally {
    browser.context.off('console', onConsole);
    browser.context.off('weberror', onPageError);
  }
  return errors;
}

/** The extension's service-worker targets, as CDP lists them. */
async function workerTargets(tab: Page): Promise<{ targetId: string; url: string }[]> {
  const cdp = await browser.context.newCDPSession(tab);
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.includes(browser.extensionId));
  } finally {
    await cdp.detach();
  }
}

/** Kills the worker as a crash or Chrome's idle rule would, by closing its target (CDP Target.closeTarget). */
async function closeWorkerTarget(tab: Page): Promise<void> {
  const targets = await workerTargets(tab);
  expect(targets.length).toBeGreaterThan(0);
  const cdp = await browser.context.newCDPSession(tab);
  try {
    for (const target of targets) await cdp.send('Target.closeTarget', { targetId: target.targetId });
  } finally {
    await cdp.detach();
  }
  await expect.poll(async () => (await workerTargets(tab)).length, { timeout: 5000 }).toBe(0);
}

/** What the worker holds: the library's counts, asked from an extension page. */
async function libraryStats(): Promise<unknown> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const reply = (await options.evaluate(() => chrome.runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} }))) as { value: unknown };
  await options.close();
  return reply.value;
}

beforeAll(async () => {
  site = await startDemoSite(loadSeedDirectory('seeds'), 0, { '/late': late, '/front': page(`<main>${drone}${talks}${rates}</main>`) });
  plain = createServer((req, res) => {
    if (req.url === '/uncacheable') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(uncacheable);
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('<p>Elsewhere.</p>'));
    }
  });
  await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
  plainOrigin = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  browser = await launchWithExtension({ bfcache: true });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await new Promise((done) => plain?.close(done));
});

describe('the worker and the page under faults (Chromium)', () => {
  it('badges a headline queried after the worker was killed between page load and the query (row 1)', async () => {
    const tab = await browser.context.newPage();
    const errors = await errorsDuring(async () => {
      await tab.goto(`${site.origin}/late`);
      // The page was read and its first headline badged: the content script is running.
      await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(1);
      await closeWorkerTarget(tab);
      // The next headline's query finds no worker: sending it starts a new one, which answers.
      await tab.evaluate(() => (window as unknown as { more(): void }).more());
      await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(2);
    });
    expect(errors).toEqual([]);
    expect((await workerTargets(tab)).length).toBe(1);
    // The toolbar count is stored by the new worker from the page's report, not lost with the old one.
    await expect.poll(async () => badgeTextOf(browser, await tabIdOf(browser, tab)), { timeout: 5000 }).toBe('2');
    await tab.close();
  });

  it('restarts cleanly on a page the back/forward cache cannot keep (no-store, unload), badging it once (row 8)', async () => {
    const tab = await browser.context.newPage();
    const errors = await errorsDuring(async () => {
      await tab.goto(`${plainOrigin}/uncacheable`);
      await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(2);
      await tab.goto(`${plainOrigin}/elsewhere`);
      await tab.goBack();
      // A new load, not a restore: the page's scripts ran again and saw persisted = false twice.
      await expect.poll(() => tab.evaluate(() => (window as unknown as { shows: boolean[] }).shows), { timeout: 5000 }).toEqual([false, false]);
      await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(2);
      // Left a while: still one badge per headline, no second session adding its own.
      await tab.waitForTimeout(1500);
    });
    expect(await badges(tab)).toBe(2);
    for (const slug of ['drone', 'talks']) expect(await tab.locator(`article:has(a[href="/story/${slug}"]) ${BADGE_TAG}`).count(), slug).toBe(1);
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('answers nothing to a page posting window messages and firing made-up events, and changes nothing (row 26)', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${site.origin}/front`);
    await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(2);
    const tabId = await tabIdOf(browser, tab);
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 5000 }).toBe('2');
    const before = await libraryStats();
    const elements = () => tab.evaluate(() => document.querySelectorAll('*').length);
    const elementsBefore = await elements();
    const heard = await tab.evaluate(async (extensionId) => {
      // Everything that reaches the page's window other than what it posted itself.
      // (A window message arrives as a copy: compared as JSON.)
      const own = new Set<string>();
      const foreign: unknown[] = [];
      addEventListener('message', (event) => {
        if (!own.has(JSON.stringify(event.data))) foreign.push(event.data);
      });
      const headline = { text: 'Zelensky says drone strike destroyed 40 Russian planes', url: `${location.origin}/story/drone`, publishedAt: null };
      const forged: unknown[] = [
        { type: 'match', headlines: [headline] },
        { channel: 'storyline', type: 'matchHeadlines', payload: { headlines: [headline] } },
        { channel: 'storyline', type: 'pageRead', payload: { url: 'https://evil.example/read', headline: 'Forged page that was never read', kind: 'article' } },
        { channel: 'storyline', type: 'badgesShown', payload: { count: 99 } },
        { channel: 'storyline', type: 'tabStories', payload: { tabId: 1 } },
        { channel: 'storyline-activate', type: 'activate', payload: {} },
        { channel: 'storyline', type: 'activate', payload: {} },
        { channel: 'storyline', type: 'showing', payload: {} },
      ];
      for (const message of forged) {
        own.add(JSON.stringify(message));
        postMessage(message, '*');
      }
      // Custom events a script might listen for, on the window, the document and each badge.
      const names = ['storyline', 'storyline:match', 'storyline:open', 'match', 'activate', `${extensionId}:storyline`];
      for (const name of names) {
        for (const target of [window, document, ...document.querySelectorAll('storyline-badge')]) {
          target.dispatchEvent(new CustomEvent(name, { detail: forged[1], bubbles: true, composed: true }));
        }
      }
      for (const badge of document.querySelectorAll('storyline-badge')) {
        badge.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
        badge.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return foreign;
    }, browser.extensionId);
    expect(heard).toEqual([]);
    // Nothing changed: the same badges, nothing opened (no element the page can see was added), the
    // toolbar count and the library as they were (no forged page read into history).
    expect(await badges(tab)).toBe(2);
    expect(await elements()).toBe(elementsBefore);
    expect(await badgeTextOf(browser, tabId)).toBe('2');
    expect(await libraryStats()).toEqual(before);
    await tab.close();
  });
});

// Code passed to evaluate() on an extension page runs where `chrome` exists.
declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
