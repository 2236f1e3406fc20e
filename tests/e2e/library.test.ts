import { FEED_STATUS } from './feed-status';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import type { Article } from '../../src/core/article';
import { parseArticleLine } from '../../src/corpus/jsonl';
import { toStored } from '../../src/corpus/records';
import { launchWithExtension, openPopup, stopServiceWorkers, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';
import { FeedServer } from '../../tools/feed-server';

// The team's shared data sits beside the checkout (as in CI); STORYLINE_DATA points elsewhere.
const CORPUS = `${process.env.STORYLINE_DATA ?? '../shared/data'}/corpus/uci-news-2014-03-10_27.jsonl.gz`;
const HAS_CORPUS = existsSync(CORPUS);
const now = new Date();
// Relative times kept within one calendar day (UTC): run just after midnight, "3 hours ago" and
// "1 hour ago" would fall on two days, which the engine rightly weighs as further apart.
const base = now.getUTCHours() >= 6 ? now.getTime() : now.getTime() - (now.getUTCHours() + 1) * 3_600_000;
const hoursAgo = (h: number) => new Date(base - h * 3_600_000);

const feedStory = {
  title: 'Ukraine drone strike destroys bombers at four Russian airbases',
  link: 'https://wire.example/ukraine-drone-strike',
  description: 'Ukrainian drones hit long-range bombers at airbases in Siberia and the Arctic.',
  pubDate: hoursAgo(3).toUTCString(),
};
const page: Article = {
  id: 'reader-page',
  title: 'Ukrainian drones destroy Russian bombers at airbases deep inside Russia',
  source: 'The Demo Times',
  publishedAt: hoursAgo(1).toISOString(),
  url: null,
  body: 'Ukraine said its drones hit dozens of long-range bombers at airbases across Russia.',
  kind: 'import',
};

// Two corpus articles of one story: the page is one, the library should find the other.
const corpusLines = HAS_CORPUS ? gunzipSync(readFileSync(CORPUS)).toString('utf8').trim().split('\n') : [];
const corpus = corpusLines.map((l) => JSON.parse(l) as { id: string; title: string; source: string; publishedAt: string; story: string });
const storyOf = corpus[1000]?.story;
const [corpusPage, ...corpusSiblings] = corpus.filter((a) => a.story === storyOf);

let browser: ExtensionBrowser;
let site: DemoSite;
const feeds = new FeedServer();
let feedUrl: string;
let options: Page;

async function popupFor(url: string): Promise<Page> {
  const article = await browser.context.newPage();
  await article.goto(url);
  const tabId = await tabIdOf(browser, article);
  return openPopup(browser, tabId);
}

async function workerStats(): Promise<{ total: number; byKind: Record<string, number> }> {
  const reply = (await options.evaluate(() => chrome.runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} }))) as {
    value: { total: number; byKind: Record<string, number> };
  };
  return reply.value;
}

async function feedStatus(): Promise<string> {
  return (await options.getByRole('list', { name: 'Feeds you follow' }).getByText(FEED_STATUS).first().textContent()) ?? '';
}

beforeAll(async () => {
  feeds.items = [{ title: 'Central bank holds rates steady', link: 'https://wire.example/rates', pubDate: hoursAgo(5).toUTCString() }, feedStory];
  feedUrl = await feeds.start();
  const seeds = loadSeedDirectory('seeds');
  site = await startDemoSite([
    ...seeds,
    page,
    ...(corpusPage
      ? [{ id: 'corpus-page', title: corpusPage.title, source: corpusPage.source, publishedAt: corpusPage.publishedAt, url: null, kind: 'import' as const }]
      : []),
  ]);
  browser = await launchWithExtension();
  options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await feeds.stop();
});

describe('the live library (Chromium)', () => {
  it('asks before following a feed on this computer, and follows nothing when declined (row 29)', async () => {
    const messages: string[] = [];
    options.once('dialog', (dialog) => {
      messages.push(dialog.message());
      void dialog.dismiss();
    });
    await options.getByRole('textbox', { name: 'Feed or website address' }).fill(feedUrl);
    await options.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect.poll(() => options.getByText('Not followed: 127.0.0.1 is on this computer or your local network.').count()).toBe(1);
    expect(messages[0]).toMatch(/^127\.0\.0\.1 is on this computer or your local network/);
    expect(feeds.requests).toBe(0);
  });

  it('the worker itself refuses a private feed sent without the confirmation (issue 9, finding 5)', async () => {
    const reply = await options.evaluate((url) => chrome.runtime.sendMessage({ channel: 'storyline', type: 'addFeed', payload: { url } }), feedUrl);
    expect(reply).toEqual({ ok: false, error: { code: 'feedPrivateUnconfirmed', host: '127.0.0.1' } });
    expect(feeds.requests).toBe(0);
  });

  it('follows a feed from the options page and shows its stories in the popup', async () => {
    options.on('dialog', (dialog) => void dialog.accept());
    await options.getByRole('textbox', { name: 'Feed or website address' }).fill(feedUrl);
    await options.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect.poll(() => options.getByText('Following Local Wire: 2 stories.').count(), { timeout: 15_000 }).toBe(1);
    expect(await feedStatus()).toMatch(/Fetched .* · 2 stories/);

    const popup = await popupFor(site.articleUrl(page.id));
    const list = popup.getByRole('region', { name: 'Related stories' });
    await expect.poll(() => list.getByRole('link', { name: feedStory.title }).count(), { timeout: 10_000 }).toBe(1);
    expect(await list.getByRole('link', { name: feedStory.title }).getAttribute('href')).toBe(feedStory.link);
    expect(await list.textContent()).toContain('Local Wire');
    await popup.close();
  });

  it('reacts to new items, a 304, a 500 and garbage, and keeps what it stored', async () => {
    const refresh = options.getByRole('button', { name: 'Refresh Local Wire' });
    feeds.items = [
      ...feeds.items,
      { title: 'Parliament passes budget after long debate', link: 'https://wire.example/budget', pubDate: hoursAgo(1).toUTCString() },
    ];
    await refresh.click();
    await expect.poll(feedStatus).toMatch(/· 3 stories/);

    feeds.requests = 0;
    await refresh.click(); // same ETag: the server answers 304
    await expect.poll(() => feeds.requests).toBe(1);
    await expect.poll(feedStatus).toMatch(/Fetched .* · 3 stories/);

    feeds.mode = 'status';
    await refresh.click();
    await expect.poll(feedStatus).toMatch(/failed: HTTP 500/);
    feeds.mode = 'garbage';
    await refresh.click();
    await expect.poll(feedStatus).toMatch(/failed: not a feed: got an HTML page/);

    await options.reload();
    await expect.poll(() => options.getByText(/articles: 3 from feeds/).count()).toBe(1);
    feeds.mode = 'feed';
  });

  it('answers from the saved index after the service worker is stopped', async () => {
    await options.waitForTimeout(3000); // the index snapshot is written 2 s after the last change
    await stopServiceWorkers(browser, options);
    const popup = await popupFor(site.articleUrl(page.id));
    await expect
      .poll(() => popup.getByRole('region', { name: 'Related stories' }).getByRole('link', { name: feedStory.title }).count(), { timeout: 10_000 })
      .toBe(1);
    // The restarted worker revived the saved index rather than re-indexing every article.
    const reply = (await options.evaluate(() => chrome.runtime.sendMessage({ channel: 'storyline', type: 'libraryStats', payload: {} }))) as {
      ok: boolean;
      value: { startup: string; total: number };
    };
    expect(reply.value).toMatchObject({ startup: 'revived', total: 4 + 3 + 1 });
    await popup.close();
  });

  it('re-creates its alarms when the worker starts without them (rows 3, 4)', async () => {
    const sw = await browser.worker();
    await sw.evaluate(() => chrome.alarms.clearAll());
    expect(await sw.evaluate(() => chrome.alarms.getAll().then((all) => all.length))).toBe(0);
    await stopServiceWorkers(browser, options);
    // A message wakes the worker; its top-level code runs again.
    await options.evaluate(() => chrome.runtime.sendMessage({ channel: 'storyline', type: 'listFeeds', payload: {} }));
    const names = async () => (await browser.worker()).evaluate(() => chrome.alarms.getAll().then((all) => all.map((a) => a.name).sort()));
    await expect.poll(names).toEqual(['poll-feeds', 'prune-library']);
  });

  it.runIf(HAS_CORPUS)(
    'imports the 54k-article corpus in the worker: a progress bar, the tab closed and the worker stopped mid-import, resumed from its checkpoint, no duplicates (RELIABILITY row 2)',
    async () => {
      mkdirSync('.output', { recursive: true });
      // A few bad lines to be reported by number, after 54,019 good ones.
      const file = '.output/corpus-with-bad-lines.jsonl';
      writeFileSync(file, `${corpusLines.join('\n')}\nnot json\n{"id":"x"}\n`);
      // What the library should hold: one record per article id (ids come from the address, so a
      // batch stored twice after a stop replaces itself).
      const ids = new Set(
        corpusLines.map((line) => {
          const parsed = parseArticleLine(line, 'import');
          if (!parsed.ok) throw new Error(parsed.error);
          return toStored(parsed.article, now).id;
        }),
      );
      const before = (await workerStats()).byKind.import ?? 0;
      await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
      const progress = options.getByRole('progressbar', { name: 'Import progress' });
      // The worker has the whole file and is storing it: the bar moves, with its figures in words.
      await expect.poll(async () => Number((await progress.getAttribute('value')) ?? 0), { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
      expect(await progress.getAttribute('max')).toBe(String(corpus.length + 2));
      expect(await options.getByText(/^Importing… [\d,.\u00a0\u202f ]+ of 54,021 articles$/).count()).toBe(1);

      // Closing the options tab does not stop the import; stopping the worker does not either.
      await options.close();
      options = await browser.context.newPage();
      await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
      const bar = options.getByRole('progressbar', { name: 'Import progress' });
      await expect.poll(() => bar.count(), { timeout: 10_000 }).toBe(1);
      // Row 2: the worker stopped in the middle, as Chrome stops it: the bar shows how far it got.
      const reached = async () => Number((await bar.getAttribute('value', { timeout: 1000 }).catch(() => null)) ?? Number.NaN);
      await expect.poll(reached, { timeout: 10_000, interval: 200 }).toBeGreaterThan(0);
      const atStop = await reached();
      await stopServiceWorkers(browser, options);
      expect(atStop).toBeLessThan(corpus.length);
      // The new worker goes on from the stored checkpoint: the bar never goes back to the start.
      const after: number[] = [];
      for (let i = 0; i < 10 && (await bar.count()) === 1; i++) {
        const value = await reached();
        if (!Number.isNaN(value)) after.push(value);
        await options.waitForTimeout(300);
      }
      expect(after.length).toBeGreaterThan(0);
      expect(Math.min(...after)).toBeGreaterThanOrEqual(atStop);
      // Counts are written with the UI language's digit grouping ("54,019"): compared without it.
      const done = async () =>
        (await options.getByText(/^Imported [\d,.\u00a0\u202f ]+ articles\./).textContent())?.replace(/(\d)[,.\u00a0\u202f](?=\d{3}\b)/g, '$1');
      await expect.poll(done, { timeout: 180_000, interval: 1000 }).toMatch(/^Imported \d+ articles\./);
      // The corpus repeats some addresses: the message says how many were new, updated and merged
      // (a batch stored again after the worker stop counts as merged, not new).
      const said =
        /^Imported (\d+) articles\. (\d+) new, (\d+) updated, (\d+) already in the library or repeated in the file\. 2 lines were skipped \(lines (\d+), (\d+)\)\.$/.exec(
          (await done()) ?? '',
        );
      expect(said).not.toBeNull();
      const [stored, created, updated, merged, bad1, bad2] = said!.slice(1).map(Number);
      expect([stored, bad1, bad2]).toEqual([corpus.length, corpus.length + 1, corpus.length + 2]);
      // An address repeated with other words or another date counts as updated, the same again as merged.
      expect(created + updated + merged).toBe(corpus.length);
      expect(created).toBeLessThanOrEqual(ids.size);
      expect(updated + merged).toBeGreaterThanOrEqual(corpus.length - ids.size);
      expect(updated + merged).toBeGreaterThan(0);
      expect(await options.getByRole('progressbar').count()).toBe(0);
      expect((await workerStats()).byKind.import).toBe(before + ids.size);

      // Export: the worker answers page by page; the file holds every article but the samples and
      // the reading history (the pages this suite opened).
      const stats = await workerStats();
      const [download] = await Promise.all([options.waitForEvent('download'), options.getByRole('button', { name: 'Export library (JSONL)' }).click()]);
      const exported = readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n');
      expect(stats.byKind.history ?? 0).toBeGreaterThan(0);
      expect(exported).toHaveLength(stats.total - (stats.byKind.seed ?? 0) - (stats.byKind.history ?? 0));
      expect(new Set(exported.map((line) => (JSON.parse(line) as { id: string }).id)).size).toBe(exported.length);

      const popup = await popupFor(site.articleUrl('corpus-page'));
      const links = popup.getByRole('region', { name: 'Related stories' }).getByRole('link');
      await expect.poll(() => links.count(), { timeout: 20_000 }).toBeGreaterThan(0);
      const titles = await links.allTextContents();
      const siblings = new Set(corpusSiblings.map((a) => a.title));
      expect(titles.filter((t) => siblings.has(t)).length).toBeGreaterThan(0);
      // The timeline on an imported library (issue 12, item 1): other outlets' reports newest first,
      // then the developments oldest first, each with its absolute date. (This corpus dates articles
      // to the day, and this story's reports share one: the order is checked, the dates are what show.)
      const region = popup.getByRole('region', { name: 'Related stories' });
      const times = (list: string) =>
        region
          .getByRole('list', { name: list })
          .locator('time')
          .evaluateAll((els) => els.map((e) => ({ at: Date.parse(e.getAttribute('datetime') ?? ''), text: e.textContent ?? '' })));
      const coverage = (await region.getByRole('list', { name: 'Reports of the same story' }).count()) ? await times('Reports of the same story') : [];
      const developments = (await region.getByRole('list', { name: 'Developments' }).count()) ? await times('Developments') : [];
      expect(coverage.length + developments.length).toBe(titles.length);
      for (const { at, text } of [...coverage, ...developments]) {
        expect(Number.isNaN(at)).toBe(false);
        expect(text).toMatch(/\b2014\b/);
      }
      expect(coverage.map((c) => c.at)).toEqual(coverage.map((c) => c.at).sort((a, b) => b - a));
      expect(developments.map((c) => c.at)).toEqual(developments.map((c) => c.at).sort((a, b) => a - b));
      await popup.close();
    },
  );
});

declare const chrome: {
  runtime: { sendMessage(m: unknown): Promise<unknown> };
  alarms: { clearAll(): Promise<boolean>; getAll(): Promise<{ name: string }[]> };
};
