import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Article } from '../../src/core/article';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { badgeTextOf, launchWithExtension, openPopup, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';
import { FeedServer } from '../../tools/feed-server';

// Issue 12, items 4 and 5, in Chromium: following a story, then a feed bringing new coverage of it;
// "Not the same story" across a worker restart, undone from Options.

// Relative times kept within one UTC day (as in library.test.ts): the engine rightly weighs two
// calendar days as further apart.
const now = new Date();
const base = now.getUTCHours() >= 6 ? now.getTime() : now.getTime() - (now.getUTCHours() + 1) * 3_600_000;
const hoursAgo = (h: number) => new Date(base - h * 3_600_000);

const page: Article = {
  id: 'reader-page',
  title: 'Ukrainian drones destroy Russian bombers at airbases deep inside Russia',
  source: 'The Demo Times',
  publishedAt: hoursAgo(1).toISOString(),
  url: null,
  body: 'Ukraine said its drones hit dozens of long-range bombers at airbases across Russia.',
  kind: 'import',
};
const wrongMatch = {
  title: 'Russia confirms drone attack on its strategic bomber fleet',
  link: 'https://wire.example/bomber-fleet',
  description: 'Moscow said Ukrainian drones struck aircraft at airbases in Murmansk and Irkutsk regions.',
  pubDate: hoursAgo(3).toUTCString(),
};
const unrelated = { title: 'Central bank holds rates steady', link: 'https://wire.example/rates', pubDate: hoursAgo(5).toUTCString() };
const newCoverage = {
  title: 'Satellite images show burnt-out Russian bombers after Ukrainian drone raid on airbases',
  link: 'https://wire.example/satellite-images',
  pubDate: hoursAgo(0.5).toUTCString(),
};

let browser: ExtensionBrowser;
let site: DemoSite;
let options: Page;
let article: Page;
let tabId: number;
let feedId: string;
const feeds = new FeedServer();

/** One protocol message from the options page, as the screens send it. */
async function ask<T>(type: string, payload: unknown): Promise<T> {
  const reply = (await options.evaluate(([t, p]) => chrome.runtime.sendMessage({ channel: 'storyline', type: t, payload: p }), [type, payload] as const)) as {
    ok: boolean;
    value: T;
    error?: unknown;
  };
  if (!reply?.ok) throw new Error(`${type}: ${JSON.stringify(reply?.error)}`);
  return reply.value;
}

async function popup(): Promise<Page> {
  const view = await openPopup(browser, tabId);
  await view.getByRole('region', { name: 'Related stories' }).waitFor({ timeout: 10_000 });
  return view;
}

beforeAll(async () => {
  feeds.items = [unrelated, wrongMatch];
  const feedUrl = await feeds.start();
  site = await startDemoSite([...loadSeedDirectory('seeds'), page]);
  browser = await launchWithExtension();
  options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  // The loopback feed, confirmed as the options page confirms it (the e2e build may read 127.0.0.1).
  feedId = (await ask<{ id: string; itemCount: number }>('addFeed', { url: feedUrl, confirmedPrivate: true })).id;
  article = await browser.context.newPage();
  await article.goto(site.articleUrl(page.id));
  tabId = await tabIdOf(browser, article);
  // The content script has read the page: the toolbar counts its stories.
  for (let i = 0; i < 100 && !/^\d+$/.test(await badgeTextOf(browser, tabId)); i++) await article.waitForTimeout(100);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await feeds.stop();
});

describe('following a story (issue 12, item 4)', () => {
  it('a feed bringing new coverage of a followed story marks the toolbar and the popup lists it', async () => {
    const first = await popup();
    await expect.poll(() => first.getByRole('link', { name: wrongMatch.title }).count()).toBe(1);
    await first.getByRole('button', { name: 'Follow story' }).click();
    await expect.poll(() => first.getByRole('button', { name: 'Unfollow story' }).count()).toBe(1);
    await first.close();
    // The count is the page's related stories as last read; the mark is added to it, not counted.
    const count = await badgeTextOf(browser, tabId);
    expect(count).toMatch(/^\d+$/);

    // The feed publishes a new report of the story; a refresh stores it.
    feeds.items = [...feeds.items, newCoverage];
    await ask('refreshFeeds', { feedId });
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe(`${count}•`);

    // The page's list holds the new report: marked "New" there, and listed once (not again under "New since you read").
    const second = await popup();
    const fresh = (view: Page) => view.getByRole('listitem').filter({ has: view.getByRole('link', { name: newCoverage.title }) });
    await expect.poll(() => fresh(second).count(), { timeout: 10_000 }).toBe(1);
    expect(await fresh(second).getByText('New', { exact: true }).count()).toBe(1);
    expect(await second.getByRole('list', { name: 'New since you read' }).count()).toBe(0);
    // Shown, so no longer news: the dot goes, the count stays.
    await expect.poll(() => badgeTextOf(browser, tabId)).toBe(count);
    await second.close();
    // Still listed for a day once shown: a popup closed by a click on one item lost the rest (helper-42).
    const again = await popup();
    await expect.poll(() => fresh(again).getByText('New', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    expect(await badgeTextOf(browser, tabId)).toBe(count);
    await again.close();

    // Options lists the followed story with what was found; Unfollow ends it.
    await options.reload();
    const followed = options.getByRole('list', { name: 'Followed stories' });
    await expect.poll(() => followed.getByText(page.title).count(), { timeout: 10_000 }).toBe(1);
    expect(
      await followed
        .getByRole('list', { name: `New coverage of “${page.title}”` })
        .getByRole('link', { name: newCoverage.title })
        .count(),
    ).toBe(1);
    await options.getByRole('button', { name: `Unfollow ${page.title}` }).click();
    await expect.poll(() => options.getByRole('list', { name: 'Followed stories' }).count()).toBe(0);
    const third = await popup();
    await expect.poll(() => third.getByRole('button', { name: 'Follow story' }).count()).toBe(1);
    await third.close();
  });
});

describe('"Not the same story" (issue 12, item 5)', () => {
  it('hides a result across a worker restart, and Options shows it again', async () => {
    // Read again, the page counts both reports in the feed.
    await article.reload();
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 10_000 }).toBe('2');
    const view = await popup();
    const related = view.getByRole('region', { name: 'Related stories' });
    await expect.poll(() => related.getByRole('link', { name: wrongMatch.title }).count()).toBe(1);
    await view.getByRole('button', { name: `Not the same story: ${wrongMatch.title}` }).click();
    await expect.poll(() => related.getByRole('link', { name: wrongMatch.title }).count()).toBe(0);
    expect(await view.getByText(`Hidden “${wrongMatch.title}” from this page`, { exact: false }).count()).toBe(1);
    await expect.poll(() => badgeTextOf(browser, tabId)).toBe('1');
    await view.close();

    // Chrome stops the worker; the choice was stored, not kept in memory.
    await stopServiceWorkers(browser, options);
    const afterRestart = await popup();
    const list = afterRestart.getByRole('region', { name: 'Related stories' });
    await expect.poll(() => list.getByRole('link', { name: newCoverage.title }).count(), { timeout: 10_000 }).toBe(1);
    expect(await list.getByRole('link', { name: wrongMatch.title }).count()).toBe(0);
    await afterRestart.close();

    await options.reload();
    const hidden = options.getByRole('list', { name: 'Hidden results' });
    await expect.poll(() => hidden.getByText(wrongMatch.title).count(), { timeout: 10_000 }).toBe(1);
    await options.getByRole('button', { name: `Show again: ${wrongMatch.title}` }).click();
    await expect.poll(() => options.getByText('No hidden results', { exact: false }).count()).toBe(1);

    const again = await popup();
    await expect
      .poll(() => again.getByRole('region', { name: 'Related stories' }).getByRole('link', { name: wrongMatch.title }).count(), { timeout: 10_000 })
      .toBe(1);
    await again.close();
  });
});

// Code passed to evaluate() runs in the extension page, where `chrome` exists.
declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
