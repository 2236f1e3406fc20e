import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../src/build/seeds';
import type { Article } from '../../src/core/article';
import { badgeTextOf, launchWithExtension, openPopup, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../../src/node/browser';
import { startDemoSite, type DemoSite } from '../../src/node/demo-site';

const seeds = loadSeedDirectory('seeds');
const lead = seeds[0];
const hostile: Article = {
  ...lead,
  id: 'hostile',
  title: `<img src=x onerror="document.title='pwned'"> ${lead.title}`,
  source: 'Hostile <b>Outlet</b>',
};

let browser: ExtensionBrowser;
let site: DemoSite;

async function waitForBadge(tabId: number, expected: string): Promise<string> {
  let text = '';
  for (let i = 0; i < 60; i++) {
    text = await badgeTextOf(browser, tabId);
    if (text === expected) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return text;
}

async function openLead(): Promise<{ page: Page; tabId: number }> {
  const page = await browser.context.newPage();
  await page.goto(site.articleUrl(lead.id));
  const tabId = await tabIdOf(browser, page);
  return { page, tabId };
}

beforeAll(async () => {
  site = await startDemoSite([...seeds, hostile]);
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the popup on the demo site (Chromium)', () => {
  it('lists the three related seed articles with their outlets, and the toolbar badge says 3', async () => {
    const { tabId } = await openLead();
    expect(await waitForBadge(tabId, '3')).toBe('3');
    const popup = await openPopup(browser, tabId);
    await expect.poll(() => popup.getByRole('heading', { level: 1 }).textContent()).toBe(lead.title);
    const list = popup.getByRole('region', { name: 'Related stories' });
    const items = list.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(3);
    // A timeline: the three are developments of the lead story, dated and placed against the page.
    const developments = list.getByRole('list', { name: 'Developments' }).getByRole('listitem');
    expect(await developments.count()).toBe(3);
    expect(await list.getByRole('heading', { name: 'Developments' }).count()).toBe(1);
    for (const text of await developments.allInnerTexts()) expect(text).toMatch(/Jun 2, 2025 · 1 day later/);
    for (const related of seeds.slice(1)) {
      const link = list.getByRole('link', { name: related.title, exact: true });
      await expect.poll(() => link.count()).toBe(1);
      expect(await link.getAttribute('target')).toBe('_blank');
      const item = items.filter({ has: popup.getByRole('link', { name: related.title, exact: true }) });
      expect(await item.textContent()).toContain(related.source);
    }
    // The page itself is never one of its related stories.
    expect(await list.getByRole('link', { name: lead.title, exact: true }).count()).toBe(0);
    await popup.close();
  });

  it('still answers after the service worker is stopped', async () => {
    const { page, tabId } = await openLead();
    await waitForBadge(tabId, '3');
    await stopServiceWorkers(browser, page);
    const popup = await openPopup(browser, tabId);
    const items = popup.getByRole('region', { name: 'Related stories' }).getByRole('listitem');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(3);
    await popup.close();
  });

  it('shows markup in a headline as text', async () => {
    const page = await browser.context.newPage();
    await page.goto(site.articleUrl(hostile.id));
    const tabId = await tabIdOf(browser, page);
    const popup = await openPopup(browser, tabId);
    const heading = popup.getByRole('heading', { level: 1 });
    await expect.poll(() => heading.textContent()).toBe(hostile.title);
    expect(await popup.locator('main img, main b').count()).toBe(0);
    expect(await popup.title()).not.toBe('pwned');
    await popup.close();
  });

  it('searches the library by hand', async () => {
    const { tabId } = await openLead();
    const popup = await openPopup(browser, tabId);
    await popup.getByRole('searchbox', { name: 'Search your library for a headline' }).fill('drone strike on Russian planes');
    await popup.getByRole('button', { name: 'Search' }).click();
    const results = popup.getByRole('region', { name: /Results for/ }).getByRole('list', { name: 'Related stories' });
    await expect
      .poll(() => results.getByRole('link').first().textContent())
      .toBe(seeds[2].title);
    await popup.close();
  });

  it('says "not an article" on a front page', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
    const tabId = await tabIdOf(browser, page);
    const popup = await openPopup(browser, tabId);
    await expect.poll(() => popup.getByText(/not a news article/).count()).toBe(1);
    expect(await badgeTextOf(browser, tabId)).toBe('');
    await popup.close();
  });

  it('empties the list when seed articles are turned off on the options page, and back on', async () => {
    const { tabId } = await openLead();
    await waitForBadge(tabId, '3');
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    // Pages opened by earlier tests are in the reading history and would match too: clear it.
    await options.getByRole('button', { name: 'Clear reading history' }).click();
    await expect.poll(() => options.getByText(/^Removed \d+ articles from your reading history\.$/).count()).toBe(1);
    const seedSwitch = options.getByRole('checkbox', { name: /sample articles/ });
    await seedSwitch.uncheck();
    await expect.poll(() => options.getByText('Saved.').count()).toBe(1);
    const popup = await openPopup(browser, tabId);
    await expect.poll(() => popup.getByText(/No related stories in your library yet/).count()).toBe(1);
    expect(await popup.getByRole('region', { name: 'Related stories' }).count()).toBe(0);
    expect(await waitForBadge(tabId, '')).toBe('');
    await seedSwitch.check();
    expect(await waitForBadge(tabId, '3')).toBe('3');
    await popup.close();
    await options.close();
  });
});
