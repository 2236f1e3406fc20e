import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { launchWithExtension, openPopup, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';

// Code passed to evaluate() runs in the extension's worker or pages, where `chrome` exists.
declare const chrome: any;

const seeds = loadSeedDirectory('seeds');
const [lead, ...related] = seeds;
const SELECTED = 'drone strike on Russian planes';

let browser: ExtensionBrowser;
let site: DemoSite;
/** An extension page in a window of its own: it reads the side panel's document (below) without becoming anyone's active tab. */
let helper: Page;

/**
 * What the real side panel shows. Playwright does not attach to Chrome's side panel (it is a target,
 * not a page of the context), so an extension page of the same extension reads the panel's document
 * through chrome.extension.getViews(): the panel's own DOM, selected by its ARIA roles and names.
 */
async function panel(): Promise<{ headline: string | null; developments: string[]; results: string | null; firstResult: string | null } | null> {
  return helper.evaluate(() => {
    const view = (chrome.extension.getViews() as Window[]).find((v) => v.location.pathname === '/sidepanel.html' && !v.location.search);
    if (!view) return null;
    const doc = view.document;
    const results = doc.querySelector('section[aria-label^="Results for"]');
    return {
      headline: doc.querySelector('main h1')?.textContent ?? null,
      developments: [...doc.querySelectorAll('ul[aria-label="Developments"] > li')].map((li) => li.textContent ?? ''),
      results: results?.getAttribute('aria-label') ?? null,
      firstResult: results?.querySelector('ul[aria-label="Related stories"] a')?.textContent ?? null,
    };
  });
}

async function windowOf(tabId: number): Promise<number> {
  const sw = await browser.worker();
  return sw.evaluate(async (id) => (await chrome.tabs.get(id)).windowId, tabId);
}

/**
 * A "Find related stories" click on the page's selection. Headless Chromium shows no context menu
 * to click, so the test hands the worker's own contextMenus.onClicked listeners the click as Chrome
 * would (chrome.contextMenus.onClicked.dispatch, the real listener, with the OnClickData and tab a
 * right-click on that selection gives). What this cannot give is Chrome's user gesture: sidePanel.open()
 * is refused, and the worker takes the path for that (an open panel takes the query, else a window).
 */
async function clickMenuOnSelection(page: Page, tabId: number): Promise<void> {
  const selectionText = await page.evaluate(() => window.getSelection()?.toString() ?? '');
  const sw = await browser.worker();
  await sw.evaluate(
    async ({ id, text }) => {
      const tab = await chrome.tabs.get(id);
      chrome.contextMenus.onClicked.dispatch({ menuItemId: 'storyline-find-related', selectionText: text, editable: false, pageUrl: tab.url, frameId: 0 }, tab);
    },
    { id: tabId, text: selectionText },
  );
}

/** A reader selects a sentence of the page. */
async function selectSentence(page: Page, text: string): Promise<void> {
  await page.evaluate((sentence) => {
    const p = document.createElement('p');
    p.textContent = `Earlier this week: ${sentence}.`;
    document.querySelector('article, main, body')!.append(p);
    const node = p.firstChild!;
    const start = node.textContent!.indexOf(sentence);
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + sentence.length);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
  }, text);
}

beforeAll(async () => {
  site = await startDemoSite(seeds);
  browser = await launchWithExtension();
  const sw = await browser.worker();
  const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().endsWith('/options.html') });
  await sw.evaluate(() => chrome.windows.create({ url: chrome.runtime.getURL('/options.html'), focused: false }));
  helper = await opened;
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the side panel (Chromium, issue 12)', () => {
  let article: Page;
  let tabId: number;

  it("opens from the popup's button, shows the active tab's stories and follows tab switches and navigation", async () => {
    article = await browser.context.newPage();
    await article.goto(site.articleUrl(lead.id));
    tabId = await tabIdOf(browser, article);
    // The popup, opened as its page in a tab of the same window (the toolbar popup cannot be clicked
    // headless); its button is a real click, so Chrome opens its real side panel.
    const popup = await openPopup(browser, tabId);
    await popup.getByRole('button', { name: 'Open in side panel' }).click();
    const sw = await browser.worker();
    await expect
      .poll(
        async () =>
          (await sw.evaluate(async () => (await chrome.runtime.getContexts({ contextTypes: ['SIDE_PANEL'] })).map((c: any) => c.documentUrl))) as string[],
      )
      .toEqual([expect.stringMatching(/\/sidepanel\.html$/)]);
    await article.bringToFront();
    await expect.poll(async () => (await panel())?.headline, { timeout: 10_000 }).toBe(lead.title);
    const shown = (await panel())!;
    expect(shown.developments).toHaveLength(3);
    for (const story of related) expect(shown.developments.some((text) => text.includes(story.title))).toBe(true);
    for (const text of shown.developments) expect(text).toMatch(/Jun 2, 2025 · 2 days later/);

    // The tab navigates: the panel shows the new page.
    await article.goto(site.articleUrl(related[1].id));
    await expect.poll(async () => (await panel())?.headline, { timeout: 10_000 }).toBe(related[1].title);

    // Another tab becomes active, then this one again.
    const other = await browser.context.newPage();
    await other.goto(site.articleUrl(related[2].id));
    await other.bringToFront();
    await expect.poll(async () => (await panel())?.headline, { timeout: 10_000 }).toBe(related[2].title);
    await article.bringToFront();
    await expect.poll(async () => (await panel())?.headline, { timeout: 10_000 }).toBe(related[1].title);
    await other.close();
  });

  it('"Find related stories" on a selection, and on a link, shows the results in the open panel', async () => {
    await article.goto(site.articleUrl(lead.id));
    await expect.poll(async () => (await panel())?.headline, { timeout: 10_000 }).toBe(lead.title);
    await selectSentence(article, SELECTED);
    const pagesBefore = browser.context.pages().length;
    await clickMenuOnSelection(article, tabId);
    await expect.poll(async () => (await panel())?.results, { timeout: 10_000 }).toBe(`Results for “${SELECTED}”`);
    expect((await panel())?.firstResult).toBe(related[1].title);
    // The open panel took it: no window was opened for it.
    expect(browser.context.pages().length).toBe(pagesBefore);
    // The page rewrites its address (an infinite scroll's replaceState; Chrome reports a load): the results stay.
    await article.evaluate(() => history.replaceState({}, '', '?page=2'));
    await article.waitForTimeout(2_000);
    expect((await panel())?.results).toBe(`Results for “${SELECTED}”`);

    // On a bare link (Chrome hands the worker no link text): the article the library holds under
    // that address gives the query. The lead, read in the test above, is in the reading history.
    const sw = await browser.worker();
    await sw.evaluate(
      async ({ id, href }) => {
        const tab = await chrome.tabs.get(id);
        chrome.contextMenus.onClicked.dispatch({ menuItemId: 'storyline-find-related', linkUrl: href, editable: false, pageUrl: tab.url, frameId: 0 }, tab);
      },
      { id: tabId, href: site.articleUrl(lead.id) },
    );
    await expect.poll(async () => (await panel())?.results, { timeout: 10_000 }).toBe(`Results for “${lead.title}”`);
    expect(browser.context.pages().length).toBe(pagesBefore);
    // The tab shows another page: the panel goes back to the page.
    await article.goto(site.articleUrl(related[2].id));
    await expect.poll(async () => (await panel())?.headline, { timeout: 10_000 }).toBe(related[2].title);
    expect((await panel())?.results).toBeNull();
  });

  it('in a window with no panel, the click opens a small window with the results', async () => {
    const sw = await browser.worker();
    const opened = browser.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(site.origin) });
    const secondTab: number = await sw.evaluate(async (url) => (await chrome.windows.create({ url })).tabs[0].id, site.articleUrl(lead.id));
    const second = await opened;
    await second.waitForLoadState();
    expect(await windowOf(secondTab)).not.toBe(await windowOf(tabId));
    await selectSentence(second, SELECTED);
    const results = browser.context.waitForEvent('page', { predicate: (p) => p.url().includes('/sidepanel.html?') });
    await clickMenuOnSelection(second, secondTab);
    const window = await results;
    expect(new URL(window.url()).searchParams.get('q')).toBe(SELECTED);
    const list = window.getByRole('region', { name: `Results for “${SELECTED}”` }).getByRole('list', { name: 'Related stories' });
    await expect.poll(() => list.getByRole('link').first().textContent(), { timeout: 10_000 }).toBe(related[1].title);
    // The same view as the popup: a main landmark, the page read as the heading behind the results.
    expect(await window.getByRole('main').count()).toBe(1);
    await window.getByRole('button', { name: "Back to this page's stories" }).click();
    await expect.poll(() => window.getByRole('heading', { level: 1 }).textContent()).toBe(lead.title);
    await window.close();
    await second.close();
  });
});
