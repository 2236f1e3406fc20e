import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { launchWithExtension, openPopup, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { escapeHtml, startDemoSite, type DemoSite } from '../../tools/demo-site';
import { FeedServer } from '../../tools/feed-server';

/**
 * RELIABILITY row 33: what you read stays in the browser. A person follows a feed and browses 50
 * news pages; every request of every page and of the extension's service worker is recorded
 * (Playwright reports the worker's fetches too, and the feed server counts what it received, to
 * prove none was missed). Pages may talk only to their own site; the worker only fetches the
 * feed's own address; no request anywhere else carries a page's address or headline.
 */
const PAGES = 50;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const TOPICS = [
  'Ukraine drone strike destroys bombers at Russian airbase',
  'Peace talks between Russia and Ukraine resume in Istanbul',
  'North Korean troops join Russian forces near the front',
  'Central bank holds interest rates steady again',
  'Storm brings flooding to coastal towns overnight',
];

interface NewsPage {
  path: string;
  headline: string;
  html: string;
}

// 50 pages of one site: articles (read into history) and section fronts full of headlines (badged).
const pages: NewsPage[] = Array.from({ length: PAGES }, (_, i) => {
  const headline = `${TOPICS[i % TOPICS.length]}, report ${i + 1}`;
  const path = i % 5 === 4 ? `/section/${i}` : `/news/2025/${i}-${headline.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const related = TOPICS.map((t, k) => `<li><h3><a href="/news/2025/${k}-more">${escapeHtml(`${t}: what we know so far, ${i}`)}</a></h3></li>`).join('');
  const html =
    i % 5 === 4
      ? `<!doctype html><html lang="en"><head><title>Section ${i}</title><meta property="og:type" content="website"></head><body><main><h1>Latest</h1><ul>${related}</ul></main></body></html>`
      : `<!doctype html><html lang="en"><head><title>${escapeHtml(headline)}</title><meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtml(headline)}"><meta property="article:published_time" content="${hoursAgo(2).toISOString()}"></head>
<body><main><article><h1>${escapeHtml(headline)}</h1><p>Officials said on Monday that the events of the weekend would be investigated.</p>
<p>Witnesses described the scene to reporters.</p><p>More details are expected later today.</p><aside><ul>${related}</ul></aside></article></main></body></html>`;
  return { path, headline, html };
});

interface Seen {
  url: string;
  body: string;
  fromWorker: boolean;
}

let browser: ExtensionBrowser;
let site: DemoSite;
const feeds = new FeedServer();
let feedUrl: string;
const requests: Seen[] = [];
const record = (request: Request) => requests.push({ url: request.url(), body: request.postData() ?? '', fromWorker: request.serviceWorker() !== null });

beforeAll(async () => {
  feeds.items = TOPICS.map((title, i) => ({ title: `${title} (wire)`, link: `https://wire.example/${i}`, pubDate: hoursAgo(3).toUTCString() }));
  feedUrl = await feeds.start();
  site = await startDemoSite(loadSeedDirectory('seeds'), 0, Object.fromEntries(pages.map((p) => [p.path, p.html])));
  browser = await launchWithExtension();
  browser.context.on('request', record);
});
afterAll(async () => {
  browser?.context.off('request', record);
  await browser?.close();
  await site?.close();
  await feeds.stop();
});

describe('privacy while browsing with a followed feed (RELIABILITY row 33)', () => {
  it('follows a feed: the worker’s fetch of it is recorded like any page request', async () => {
    const options = await browser.context.newPage();
    options.on('dialog', (dialog) => void dialog.accept()); // the feed is on this computer: confirm it
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.getByRole('textbox', { name: 'Feed or website address' }).fill(feedUrl);
    await options.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect.poll(() => options.getByText(`Following Local Wire: ${TOPICS.length} stories.`).count(), { timeout: 15_000 }).toBe(1);
    await options.close();
    // The worker's network requests (its own files, such as the toolbar icons it sets, stay inside).
    const fromWorker = requests.filter((r) => r.fromWorker && !r.url.startsWith(`chrome-extension://${browser.extensionId}/`));
    expect(fromWorker.map((r) => r.url)).toContain(feedUrl);
    expect(fromWorker.length).toBe(feeds.requests);
  });

  it(`browses ${PAGES} news pages: nothing but the feed leaves for anywhere else, and no page address or headline goes along`, async () => {
    const before = requests.length;
    const feedRequestsBefore = feeds.requests;
    let tab: Page = await browser.context.newPage();
    for (const [i, p] of pages.entries()) {
      await tab.goto(`${site.origin}${p.path}`);
      await tab.waitForTimeout(250);
      if (i === 20) {
        // The feed is refreshed mid-way (as its alarm would), and the popup is opened on an article.
        const popup = await openPopup(browser, await tabIdOf(browser, tab));
        await popup.waitForTimeout(500);
        await popup.close();
        const options = await browser.context.newPage();
        await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
        feeds.items = [
          ...feeds.items,
          { title: 'Parliament passes budget after long debate', link: 'https://wire.example/budget', pubDate: hoursAgo(1).toUTCString() },
        ];
        await options.getByRole('button', { name: 'Refresh Local Wire' }).click();
        await expect.poll(() => feeds.requests, { timeout: 10_000 }).toBe(feedRequestsBefore + 1);
        await options.close();
        await tab.bringToFront();
      }
      if (i === 35) {
        await tab.close();
        tab = await browser.context.newPage();
      }
    }
    await tab.waitForTimeout(1000);
    await tab.close();
    const seen = requests.slice(before);

    // Pages talk to their own site (and the extension's own files); the worker only to the feed.
    const fromPages = seen.filter((r) => !r.fromWorker);
    const fromWorker = seen.filter((r) => r.fromWorker);
    expect(fromPages.filter((r) => !r.url.startsWith(`${site.origin}/`) && !r.url.startsWith('chrome-extension://') && !r.url.startsWith('data:'))).toEqual([]);
    const workerFetches = fromWorker.filter((r) => !r.url.startsWith(`chrome-extension://${browser.extensionId}/`));
    expect(workerFetches.map((r) => r.url)).toEqual(workerFetches.map(() => feedUrl));
    // Nothing was missed: the feed server received exactly the requests recorded.
    expect(workerFetches.length).toBe(feeds.requests - feedRequestsBefore);
    expect(workerFetches.length).toBeGreaterThan(0);
    expect(fromPages.filter((r) => r.url.startsWith(site.origin)).length).toBeGreaterThanOrEqual(PAGES);

    // No request that leaves for anywhere but the page's own site carries an address or headline.
    const secrets = pages.flatMap((p) => [p.path, encodeURIComponent(p.path), p.headline, encodeURIComponent(p.headline), p.headline.replaceAll(' ', '+')]);
    const leaks = seen
      .filter((r) => !r.url.startsWith(`${site.origin}/`))
      .filter((r) => secrets.some((s) => r.url.includes(s) || r.body.includes(s)))
      .map((r) => r.url);
    expect(leaks).toEqual([]);
  });
});
