import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { launchWithExtension, openPopup, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';

/**
 * Issue 9, finding 3, end to end: a page must not learn whether you read a story. A hostile page
 * titled like a story looks at its own headline's badge (the host element is all a page can see
 * of it) before and after the person reads that story on another page. Reading history is in
 * the library after the visit (the popup lists it), and must change nothing the page sees.
 */
const seeds = loadSeedDirectory('seeds');
const [lead] = seeds;

const article = (site: string, description: string | null) => `<!doctype html><html lang="en"><head><title>${escapeHtml(lead.title)}</title>
<meta property="og:type" content="article"><meta property="og:title" content="${escapeHtml(lead.title)}">
<meta property="og:site_name" content="${site}"><meta property="article:published_time" content="${lead.publishedAt}">
${description ? `<meta name="description" content="${escapeHtml(description)}">` : ''}</head>
<body><main><article><h1>${escapeHtml(lead.title)}</h1><p>Text of the article.</p></article></main></body></html>`;

let site: DemoSite;
let browser: ExtensionBrowser;

beforeAll(async () => {
  site = await startDemoSite(seeds, 0, {
    '/probe': article('Evil', null),
    '/elsewhere': article('Elsewhere', lead.body!.split('\n')[0]),
  });
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** What the page's own script sees: how many badge hosts sit in its headline, once the extension has answered. */
async function probe(): Promise<number> {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/probe`);
  let seen = 0;
  // The badge comes after the worker's answer; wait for it, or long enough that it would have come.
  const deadline = Date.now() + 6_000;
  while (Date.now() < deadline) {
    seen = await page.evaluate(() => document.querySelectorAll('h1 storyline-badge').length);
    if (seen > 0) break;
    await page.waitForTimeout(200);
  }
  await page.close();
  return seen;
}

async function popupSources(path: string): Promise<string> {
  const page: Page = await browser.context.newPage();
  await page.goto(`${site.origin}${path}`);
  const popup = await openPopup(browser, await tabIdOf(browser, page));
  await expect.poll(() => popup.getByRole('link').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  const text = (await popup.textContent('body')) ?? '';
  await popup.close();
  await page.close();
  return text;
}

describe('a page cannot tell a read story from an unread one (Chromium; issue 9, finding 3)', () => {
  it('shows the same headline badge before and after the story is read elsewhere', async () => {
    // One story per list, so a reading ranked first would take the only place.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByLabel('Most stories to list').fill('1');
    await expect.poll(() => options.getByRole('status').last().textContent()).toBe('Saved.');
    await options.close();

    const unread = await probe();
    expect(unread).toBe(1);

    // The person reads the story at another site: it goes into reading history. (Its own badge is
    // not waited for: before the fix, the probe page's visit, in history too, took it away.)
    const reading = await browser.context.newPage();
    await reading.goto(`${site.origin}/elsewhere`);
    // The person's own view of the probe page lists the reading (so history is in play) ...
    await expect.poll(() => popupSources('/probe'), { timeout: 15_000 }).toContain('Elsewhere');
    await reading.close();

    // ... and the page sees exactly what it saw before.
    expect(await probe()).toBe(unread);
  });
});
