import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage, Page, WebError } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { badgeTextOf, launchWithExtension, openPopup, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';
import { BADGE_TAG } from '../../src/ui/badge/badge';

const when = '2025-06-02T10:00:00Z';
const headlines = [
  { slug: 'drone', title: 'Zelensky says drone strike destroyed 40 Russian planes' },
  { slug: 'talks', title: 'Ukraine and Russia to hold peace talks in Istanbul on Monday' },
  { slug: 'rates', title: 'Central bank holds interest rates steady for third month' },
];
const cards = headlines
  .map((h) => `<article class="card"><h2><a href="/story/${h.slug}">${escapeHtml(h.title)}</a></h2><time datetime="${when}">2 June</time></article>`)
  .join('');
const page = (body: string) =>
  `<!doctype html><html lang="en"><head><title>Front page</title><meta property="og:type" content="website"></head><body>${body}</body></html>`;

// Two headlines with related stories, and a button that adds a third (infinite scroll).
const front = page(`<main id="feed">${cards}</main><button id="more" onclick="more()">Load more</button>
<script>function more() {
  const a = document.createElement('article');
  a.className = 'card';
  a.innerHTML = '<h2><a href="/story/delegations">Russia and Ukraine delegations meet in Istanbul</a></h2><time datetime="${when}">2 June</time>';
  document.getElementById('feed').append(a);
}</script>`);

// A framework that owns its list: whenever something else is inserted into it (our badge), it
// schedules a render of the list from its own state, which throws the badge away (React
// hydration, again and again).
const fighting = page(`<main id="feed">${cards}</main>
<script>
window.badgeInsertions = 0;
window.renders = 0;
const feed = document.getElementById('feed');
let scheduled = false;
new MutationObserver((records) => {
  let foreign = 0;
  for (const record of records) for (const node of record.addedNodes) if (node.nodeType === 1 && node.localName === ${JSON.stringify(BADGE_TAG)}) foreign++;
  if (!foreign) return;
  window.badgeInsertions += foreign;
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    window.renders++;
    feed.innerHTML = ${JSON.stringify(cards)};
  }, 300);
}).observe(feed, { childList: true, subtree: true });
</script>`);

// A single-page site: the first article, then another one shown with history.pushState and no load.
const seeds = loadSeedDirectory('seeds');
const spaArticle = (title: string) => `<h1>${escapeHtml(title)}</h1><p>First paragraph of the story.</p><p>Second paragraph.</p><p>Third paragraph.</p>`;
const nextTitle = 'Central bank holds interest rates steady for a third month';
const spa = `<!doctype html><html lang="en"><head><title>${escapeHtml(seeds[0].title)}</title><meta property="og:type" content="article">
<meta property="article:published_time" content="${seeds[0].publishedAt}"></head><body><main id="story">${spaArticle(seeds[0].title)}</main>
<button id="next" onclick="next()">Next story</button>
<script>function next() {
  history.pushState({}, '', '/spa/rates');
  // The framework renders the new article a moment after the address changes.
  setTimeout(() => {
    document.title = ${JSON.stringify(nextTitle)};
    document.getElementById('story').innerHTML = ${JSON.stringify(spaArticle(nextTitle))};
  }, 300);
}
addEventListener('popstate', () => {
  document.title = ${JSON.stringify(seeds[0].title)};
  document.getElementById('story').innerHTML = ${JSON.stringify(spaArticle(seeds[0].title))};
});</script></body></html>`;

let browser: ExtensionBrowser;
let site: DemoSite;
const badges = (p: Page) => p.locator(BADGE_TAG).count();

/** Errors any page or the extension's worker logs while `run` runs, and unhandled rejections in the worker. */
async function errorsDuring(run: () => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    // A missing favicon is the test site's, not a script's.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  };
  const onPageError = (error: WebError) => errors.push(`page: ${error.error().message}`);
  browser.context.on('console', onConsole);
  browser.context.on('weberror', onPageError);
  const sw = await browser.worker();
  await sw.evaluate(() => {
    const g = globalThis as unknown as { testRejections?: string[] };
    if (g.testRejections) return;
    g.testRejections = [];
    globalThis.addEventListener('unhandledrejection', (event) => g.testRejections!.push(String((event as PromiseRejectionEvent).reason)));
  });
  try {
    await run();
  } finally {
    browser.context.off('console', onConsole);
    browser.context.off('weberror', onPageError);
  }
  const rejections = await (await browser.worker()).evaluate(() => (globalThis as unknown as { testRejections?: string[] }).testRejections ?? []);
  return [...errors, ...rejections.map((r) => `worker rejection: ${r}`)];
}

async function setClickOnly(on: boolean): Promise<void> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const box = options.getByRole('checkbox', { name: /Click-only/ });
  await (on ? box.check() : box.uncheck());
  await expect.poll(() => options.getByRole('status').last().textContent()).toBe('Saved.');
  await options.close();
}

beforeAll(async () => {
  site = await startDemoSite(seeds, 0, { '/front': front, '/fighting': fighting, '/spa/lead': spa });
  // Playwright turns the back/forward cache off by default; row 8 needs it on.
  browser = await launchWithExtension({ bfcache: true });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('pages that come back, fight back, or have no script (Chromium)', () => {
  it('keeps its badges and keeps working when a page is restored from the back/forward cache (row 8)', async () => {
    const tab = await browser.context.newPage();
    await tab.addInitScript(() => {
      const w = window as unknown as { shows: boolean[] };
      w.shows = [];
      addEventListener('pageshow', (event) => w.shows.push(event.persisted));
    });
    const errors = await errorsDuring(async () => {
      await tab.goto(`${site.origin}/front`);
      await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(2);
      await tab.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
      await tab.goto(`${site.origin}/`);
      // While the page sits in the cache, the worker is stopped (as after 30 s idle): nothing is left
      // to reconnect to, and the restored page must still reach the new one.
      await stopServiceWorkers(browser, tab);
      await tab.goBack({ waitUntil: 'commit' });
      await expect.poll(() => tab.evaluate(() => (window as unknown as { shows: boolean[] }).shows)).toEqual([false, true]);
    });
    // The same document, restored (event.persisted), not a new load: the page's own state survived...
    expect(await tab.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    // ...and so did the badges, with no new pass needed.
    expect(await badges(tab)).toBe(2);
    // The restored session still follows the page and reaches the (restarted) worker.
    await tab.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(3);
    expect(errors).toEqual([]);
    await tab.close();
  });

  it('follows a single-page site to its next article: the popup and toolbar show the page on screen (helper-40)', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${site.origin}/spa/lead`);
    const tabId = await tabIdOf(browser, tab);
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe('3');
    await tab.getByRole('button', { name: 'Next story' }).click();
    // The toolbar follows: the rates story has no related stories in the sample library.
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe('');
    const popup = await openPopup(browser, tabId);
    await expect.poll(() => popup.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 }).toBe(nextTitle);
    await popup.close();
    // Back to the first article within the site (popstate): its stories again.
    await tab.goBack();
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe('3');
    await tab.close();
  });

  it('keeps the toolbar count when the site rewrites the address of the same article (?page=2, #comments), clears it on a load', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${site.origin}/spa/lead`);
    const tabId = await tabIdOf(browser, tab);
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe('3');
    await tab.evaluate(() => history.replaceState({}, '', '?page=2'));
    await tab.evaluate(() => history.pushState({}, '', '#comments'));
    await tab.evaluate(() => (location.hash = '#top'));
    // Longer than the session's look at the page after a move (its settle looks) and the worker's answer.
    await tab.waitForTimeout(6_000);
    expect(await badgeTextOf(browser, tabId)).toBe('3');
    // A load of another page, one without Storyline's script: the worker forgets the article (the
    // browser itself clears the toolbar on a load, so the popup tells).
    await tab.goto('about:blank');
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe('');
    const popup = await openPopup(browser, tabId);
    await expect.poll(() => popup.getByText(/^Storyline cannot read this page\./).count(), { timeout: 10_000 }).toBe(1);
    expect(await popup.getByRole('heading', { level: 1 }).count()).toBe(0);
    await popup.close();
    await tab.close();
  });

  it('in click-only mode, takes a tab without its script (a data: page, a browser page) as a quiet "cannot read" (row 6)', async () => {
    await setClickOnly(true);
    try {
      for (const url of ['data:text/html,<title>Local note</title><h1>Not a web page</h1>', 'chrome://version/']) {
        const tab = await browser.context.newPage();
        const opened = await tab.goto(url).then(
          () => true,
          () => false,
        );
        if (!opened) {
          await tab.close();
          continue;
        }
        const tabId = await tabIdOf(browser, tab);
        let popup: Page | undefined;
        const errors = await errorsDuring(async () => {
          // Opening the popup is the toolbar press: the worker asks the tab's script to read the page.
          popup = await openPopup(browser, tabId);
          await expect.poll(() => popup!.getByText(/^Storyline cannot read this page\./).count(), { timeout: 10_000 }).toBe(1);
          await popup.waitForTimeout(300);
        });
        expect(errors, url).toEqual([]);
        await popup?.close();
        await tab.close();
      }
    } finally {
      await setClickOnly(false);
    }
  });

  it('a page that throws its badges away on every render gets each back at most 3 times, then is left alone (row 15)', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`${site.origin}/fighting`);
    const fight = () =>
      tab.evaluate(() => {
        const w = window as unknown as { badgeInsertions: number; renders: number };
        return { badgeInsertions: w.badgeInsertions, renders: w.renders };
      });
    await expect.poll(async () => (await fight()).badgeInsertions, { timeout: 10_000 }).toBeGreaterThan(0);
    await tab.waitForTimeout(2500);
    const settled = await fight();
    await tab.waitForTimeout(2500);
    // No feedback loop: the fight has stopped, and the page is still responsive.
    expect(await fight()).toEqual(settled);
    // Two headlines with related stories: each badge put back after a re-render, at most 3 times in all.
    expect(settled.badgeInsertions).toBeGreaterThanOrEqual(4);
    expect(settled.badgeInsertions).toBeLessThanOrEqual(2 * 3);
    const started = Date.now();
    await tab.evaluate(() => 1);
    expect(Date.now() - started).toBeLessThan(500);
    await tab.close();
  });
});
