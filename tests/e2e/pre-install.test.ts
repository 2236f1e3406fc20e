import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { CHROME_BUILD, CHROMIUM, QUIET_CHROMIUM_ARGS } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * A tab opened before Storyline was installed (issue 9, leftovers item 3; RELIABILITY row 6).
 * Chromium starts without the extension; a news page is opened; then the extension is installed
 * over DevTools (Extensions.loadUnpacked, which needs --enable-unsafe-extension-debugging). Chrome
 * runs no manifest content script in that tab: opening the popup on it injects one.
 */
const when = '2025-06-02T10:00:00Z';
const card = (slug: string, title: string) =>
  `<article class="card"><h2><a href="/story/${slug}">${escapeHtml(title)}</a></h2><time datetime="${when}">2 June</time></article>`;
const front = `<!doctype html><html lang="en"><head><title>Front page</title><meta property="og:type" content="website"></head><body><main>${card(
  'drone',
  'Zelensky says drone strike destroyed 40 Russian planes',
)}${card('talks', 'Ukraine and Russia to hold peace talks in Istanbul on Monday')}${card('rates', 'Central bank holds interest rates steady for third month')}</main></body></html>`;

declare const chrome: any;

let site: DemoSite;
let context: BrowserContext;
const badges = (p: Page) => p.locator(BADGE_TAG).count();

beforeAll(async () => {
  site = await startDemoSite(loadSeedDirectory('seeds'), 0, { '/front': front });
  context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: true,
    // Playwright starts Chromium with extensions disabled unless told otherwise.
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...QUIET_CHROMIUM_ARGS, '--enable-unsafe-extension-debugging'],
  });
});
afterAll(async () => {
  await context?.close();
  await site?.close();
});

describe('a tab opened before install (Chromium)', () => {
  it('gets the content script when its popup opens, and its headlines their badges (row 6)', async () => {
    const tab = await context.newPage();
    await tab.goto(`${site.origin}/front`);
    const session = await context.browser()!.newBrowserCDPSession();
    const { id } = (await session.send('Extensions.loadUnpacked' as never, { path: CHROME_BUILD } as never)) as { id: string };
    // Installed: no script runs in the tab that was already open.
    await tab.waitForTimeout(1500);
    expect(await badges(tab)).toBe(0);
    // The tab's id, asked from an extension page (Playwright has no tab ids).
    const extensionPage = await context.newPage();
    await extensionPage.goto(`chrome-extension://${id}/options.html`);
    const tabId = (await extensionPage.evaluate(
      async (url) => (await chrome.tabs.query({})).find((t: { url?: string }) => t.url === url)?.id,
      tab.url(),
    )) as number;
    expect(typeof tabId).toBe('number');
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${id}/popup.html?tabId=${tabId}`);
    await expect.poll(() => popup.getByText(/^This is a front page: 2 headlines here have related stories/).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => badges(tab), { timeout: 10_000 }).toBe(2);
    await tab.waitForTimeout(1000);
    expect(await badges(tab)).toBe(2);
  });
});
