/**
 * `npm start`: builds the extension, serves a demo news site made from seeds/ on 127.0.0.1,
 * and opens Chromium with Storyline loaded on the lead article. With a display the browser stays
 * open; without one it runs headless, prints what it found and saves screenshots under .output/:
 * the article, the popup, the side panel, the options page and the badged front page with a card
 * open, each in the light and the dark colour scheme (`<surface>.png`, `<surface>-dark.png`; the
 * README's images in .github/ are copies of the light ones).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from './build/seeds';
import { Ax, BADGE_NAME } from './ax';
import { badgeTextOf, launchWithExtension, openPopup, tabIdOf } from './browser';
import { startDemoSite } from './demo-site';

// Code passed to worker.evaluate() runs in the extension's service worker, where `chrome` exists.
declare const chrome: any;

const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) && process.env.HEADLESS !== '1';

execFileSync('npx', ['wxt', 'build'], { stdio: 'inherit' });
const seeds = loadSeedDirectory('seeds');
const site = await startDemoSite(seeds, Number(process.env.PORT ?? 0));
console.log(`Demo news site: ${site.origin}/`);
const browser = await launchWithExtension({ headless: !headed });
const lead = seeds[0];
const page = await browser.context.newPage();
await page.goto(site.articleUrl(lead.id));
const tabId = await tabIdOf(browser, page);

let badge = '';
for (let i = 0; i < 50 && !badge; i++) {
  badge = await badgeTextOf(browser, tabId);
  if (!badge) await page.waitForTimeout(100);
}
const DIR = '.output/screenshots';
mkdirSync(DIR, { recursive: true });
const shots: string[] = [];
/** The page as it is now, light and dark (the extension's pages and badges follow prefers-color-scheme). */
async function screenshots(target: Page, name: string, fullPage = false): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await target.emulateMedia({ colorScheme: scheme });
    // A frame for the new colours to be painted.
    await target.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50))));
    const path = `${DIR}/${name}${scheme === 'dark' ? '-dark' : ''}.png`;
    await target.screenshot({ path, fullPage });
    shots.push(path);
  }
  await target.emulateMedia({ colorScheme: 'light' });
}
await screenshots(page, 'article');

const popup = await openPopup(browser, tabId);
const list = popup.getByRole('region', { name: 'Related stories' });
await list.or(popup.getByRole('paragraph')).first().waitFor();
const headline = await popup
  .getByRole('heading', { level: 1 })
  .textContent()
  .catch(() => null);
const stories = await list
  .getByRole('listitem')
  .allInnerTexts()
  .catch(() => [] as string[]);
await screenshots(popup, 'popup', true);

// The side panel (issue 12): Playwright cannot capture Chrome's own panel, so its page is shown in a
// narrow window that follows the article's window, as the panel does.
await page.bringToFront();
const worker = await browser.worker();
const panelOpened = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/sidepanel.html') });
await worker.evaluate(async (id) => {
  const { windowId } = await chrome.tabs.get(id);
  await chrome.windows.create({ url: chrome.runtime.getURL(`/sidepanel.html?windowId=${windowId}`), type: 'popup', width: 380, height: 760, focused: false });
}, tabId);
const panel = await panelOpened;
await panel.setViewportSize({ width: 380, height: 760 });
await panel
  .getByRole('region', { name: 'Related stories' })
  .waitFor({ timeout: 10_000 })
  .catch(() => undefined);
await screenshots(panel, 'panel');

// The options page as a first run shows it: the welcome and the recommended sources first.
const options = await browser.context.newPage();
await options.setViewportSize({ width: 900, height: 900 });
await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
await options
  .getByRole('button', { name: /recommended sources/ })
  .waitFor({ timeout: 10_000 })
  .catch(() => undefined);
await screenshots(options, 'options', true);

// The front page, with its inline badges and one card open.
const front = await browser.context.newPage();
await front.goto(`${site.origin}/`);
// The badges are in closed shadow roots (a page must not read them): found, like a screen reader
// finds them, in the accessibility tree, and clicked with the real mouse.
const ax = await Ax.attach(front);
const BADGE = { role: 'button', name: BADGE_NAME };
const firstBadge = await ax.waitFor([BADGE]).catch(() => undefined);
const badgeCount = await ax.count(BADGE);
if (firstBadge) await ax.click(firstBadge);
await ax.waitFor([{ role: 'dialog' }], 2000).catch(() => undefined);
await screenshots(front, 'front');

console.log(`\nHeadline read: ${headline ?? '(none)'}`);
console.log(`Toolbar badge: ${badge || '(none)'}`);
console.log(`Related stories (${stories.length}):`);
for (const story of stories) console.log(`  - ${story.split('\n').filter(Boolean).join(' | ')}`);
console.log(`Inline badges on the front page: ${badgeCount}`);
console.log(`\nScreenshots (light and dark): ${shots.join(', ')}`);

if (headed) {
  console.log('Chromium is open with Storyline loaded. Press Ctrl+C to stop.');
  await page.bringToFront();
  process.on('SIGINT', async () => {
    await browser.close();
    await site.close();
    process.exit(0);
  });
} else {
  await browser.close();
  await site.close();
}
