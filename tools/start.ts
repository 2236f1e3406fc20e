/**
 * `npm start`: builds the extension, serves a demo news site made from seeds/ on 127.0.0.1,
 * and opens Chromium with Storyline loaded on the lead article. With a display the browser stays
 * open; without one it runs headless, prints what it found and saves screenshots under .output/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadSeedDirectory } from './build/seeds';
import { Ax, BADGE_NAME } from './ax';
import { badgeTextOf, launchWithExtension, openPopup, tabIdOf } from './browser';
import { startDemoSite } from './demo-site';

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
mkdirSync('.output/screenshots', { recursive: true });
await page.screenshot({ path: '.output/screenshots/article.png' });

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
await popup.screenshot({ path: '.output/screenshots/popup.png', fullPage: true });

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
await front.screenshot({ path: '.output/screenshots/front.png' });

console.log(`\nHeadline read: ${headline ?? '(none)'}`);
console.log(`Toolbar badge: ${badge || '(none)'}`);
console.log(`Related stories (${stories.length}):`);
for (const story of stories) console.log(`  - ${story.split('\n').filter(Boolean).join(' | ')}`);
console.log(`Inline badges on the front page: ${badgeCount}`);
console.log('\nScreenshots: .output/screenshots/article.png, .output/screenshots/popup.png, .output/screenshots/front.png');

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
