import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { badgeTextOf, launchWithExtension, openPopup, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';
import { E2E_STARTER_FEEDS, E2E_STARTER_PORT } from '../../tools/e2e-starter';
import { FeedServer } from '../../tools/feed-server';

/**
 * The first minute (issue 10, item 2; done-when: "first run follows the recommended sources from
 * one click"). The e2e build recommends three feeds on a loopback server (tools/e2e-starter.ts) and
 * is granted http://127.0.0.1/* up front, as headless Chromium cannot answer the permission prompt;
 * the rest is the person's path: the popup's empty state on a news article, the options page's
 * "Follow these 3 recommended sources", its progress, the feeds and their stories, and the popup
 * again, now with the article's related stories.
 */

const hour = 3_600_000;
const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * hour);
const story: Article = {
  id: 'rail-strike',
  kind: 'seed',
  title: 'Rail workers strike over pay, shutting down train services across the country',
  source: 'The Storyline Demo Gazette',
  url: null,
  publishedAt: at(2).toISOString(),
  body: 'Train services were cancelled across the country on Tuesday as rail workers walked out in a dispute over pay.\nUnions said the rail strike would continue unless ministers improved their pay offer.',
};

let browser: ExtensionBrowser;
let site: DemoSite;
const feeds = new FeedServer();

beforeAll(async () => {
  feeds.title = 'Loopback Wire';
  feeds.items = [
    {
      title: 'Rail strike halts trains nationwide as workers walk out over pay',
      link: 'http://127.0.0.1/wire/rail-strike-halts-trains',
      pubDate: at(3).toUTCString(),
      description: 'Train services were cancelled across the country as rail workers walked out in a dispute over pay.',
    },
    {
      title: 'Train services cancelled across the country as rail workers strike over pay',
      link: 'http://127.0.0.1/wire/train-services-cancelled',
      pubDate: at(1).toUTCString(),
      description: 'Rail unions said the strike would go on unless ministers improved the pay offer.',
    },
    {
      title: 'Astronomers find a new moon orbiting a distant dwarf planet',
      link: 'http://127.0.0.1/wire/new-moon',
      pubDate: at(5).toUTCString(),
    },
  ];
  await feeds.start(E2E_STARTER_PORT);
  site = await startDemoSite([story]);
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await feeds.stop();
});

describe('first run: the recommended sources from one click (Chromium, e2e build)', () => {
  it('the popup’s empty state leads to the sources; one click follows all three, with progress; the popup then has results', async () => {
    const page = await browser.context.newPage();
    await page.goto(site.articleUrl(story.id));
    const tabId = await tabIdOf(browser, page);

    // Nothing followed: the popup says what to do, with a button to the sources.
    const empty = await openPopup(browser, tabId);
    await empty.getByRole('button', { name: 'Follow news sources' }).waitFor();
    expect(await empty.getByRole('region', { name: 'Related stories' }).count()).toBe(0);
    await empty.close();

    const options = await browser.context.newPage();
    // An address on this computer needs the person's say-so: the options page asks once per address.
    const confirms: string[] = [];
    options.on('dialog', (dialog) => {
      confirms.push(dialog.message());
      void dialog.accept();
    });
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const follow = options.getByRole('button', { name: `Follow these ${E2E_STARTER_FEEDS.length} recommended sources` });
    await follow.waitFor();
    // Every status the page shows, in order (each feed's progress is on screen only while it is fetched).
    await options.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { statuses: string[] }).statuses = seen;
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('[role="status"], [role="alert"]')) {
          const text = el.textContent?.trim();
          if (text && !seen.includes(text)) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const requestsBefore = feeds.requests;
    await follow.click();
    await options.getByText('Following 3 sources. Their stories are in your library now.').waitFor({ timeout: 60_000 });
    const statuses = await options.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses).toEqual(
      expect.arrayContaining(
        [/^Fetching 1 of 3: 127\.0\.0\.1/, /^Fetching 2 of 3: 127\.0\.0\.1/, /^Fetching 3 of 3: 127\.0\.0\.1/].map((pattern) => expect.stringMatching(pattern)),
      ),
    );
    expect(statuses.filter((s) => /error|refused|failed/i.test(s))).toEqual([]);
    expect(confirms).toHaveLength(3);
    // Each feed fetched (at least) once; the worker may fetch again at once (its first poll).
    expect(feeds.requests - requestsBefore).toBeGreaterThanOrEqual(3);

    // The three feeds are followed, each fetched with its three stories; the recommendation is gone.
    const followed = options.getByRole('list', { name: 'Feeds you follow' }).getByRole('listitem');
    await expect.poll(() => followed.count()).toBe(3);
    for (const text of await followed.allInnerTexts()) expect(text).toMatch(/Fetched .* · 3 stories/);
    expect(await follow.count()).toBe(0);
    await options.close();

    // The article, read again: its related stories come from the feeds, and the toolbar counts them.
    await page.reload();
    let badge = '';
    for (let i = 0; i < 60 && !/^\d+$/.test(badge); i++) {
      badge = await badgeTextOf(browser, tabId);
      if (!/^\d+$/.test(badge)) await page.waitForTimeout(100);
    }
    expect(Number(badge)).toBeGreaterThanOrEqual(1);
    const popup = await openPopup(browser, tabId);
    const list = popup.getByRole('region', { name: 'Related stories' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 10_000 }).toBe(Number(badge));
    // What it lists are the feeds' reports of the strike, not their unrelated story.
    const strike = feeds.items.slice(0, 2).map((i) => i.title);
    const listed = await list.getByRole('link').allInnerTexts();
    expect(listed.filter((title) => strike.includes(title.trim()))).toHaveLength(Number(badge));
    expect(await list.getByRole('link', { name: feeds.items[2].title }).count()).toBe(0);
    expect(await popup.getByRole('button', { name: 'Follow news sources' }).count()).toBe(0);
    await popup.close();
    await page.close();
  });
});
