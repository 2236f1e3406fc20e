import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import type { Page } from 'playwright-core';
import { lendDates } from '../../src/extract/headline-dates';
import { findHeadlineLinks } from '../../src/extract/listing';
import { readPageMeta } from '../../src/extract/page';
import { Ax, BADGE_NAME, type AxQuery } from '../../tools/ax';
import { launchWithExtension, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';

/**
 * Badges that fit (issue 10, item 4): on grid, list, in-paragraph and right-edge layouts and on
 * saved real news pages, no badge covers page text, no badge widens the page, and an opened card
 * stays inside the viewport. The library gets a wire report of every headline the content script
 * will find (found here with the same extractor, dated with the same rule: an old page's undated
 * headlines take the page's date, issue 10 item 3), so nearly every headline gets a badge and
 * every layout is tried.
 */

const headline = (i: number) =>
  [
    'Parliament votes to extend the emergency housing programme by two years',
    'Storm floods coastal towns as thousands are evacuated overnight',
    'Central bank signals first interest rate cut since the pandemic',
    'Striking rail workers accept a new pay offer after months of talks',
    'Scientists map the deepest coral reef yet found in the Pacific',
    'City council approves new cycle lanes across the historic centre',
    'Record heat closes schools in three southern regions this week',
    'Football club fined over stadium safety failures at derby match',
    'Hospital waiting lists fall for the first time in four years',
    'Wildfire near the capital forces thousands of residents to leave',
    'Carmaker recalls half a million vehicles over faulty airbags',
    'Museum returns looted bronze sculptures to their country of origin',
    'Satellite launch delayed again after a late fault in the rocket',
    'Farmers protest against new water limits outside the ministry',
    'Teachers union calls national strike over classroom funding cuts',
    'Airport expansion plan rejected by planning inspectors on appeal',
  ][i];
const link = (i: number) => `<a href="/layout/${i}">${headline(i)}</a>`;

// Four layouts on one page, as news sites set them. Headline text fills each line to its edge, so
// a badge that took no space would sit over the next word or past the right edge.
const layouts = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Layouts</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:type" content="website">
<style>
body { margin: 0 auto; max-width: 1160px; padding: 0 20px; font: 16px/1.5 Georgia, serif; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.grid article { border: 1px solid #ccc; padding: 8px; overflow: hidden; }
.grid h3 { font-size: 19px; line-height: 1.2; margin: 0 0 6px; }
.grid p { margin: 0; font-size: 14px; }
ul.list { list-style: none; padding: 0; } ul.list li { padding: 6px 0; border-bottom: 1px solid #eee; }
ul.list .row { display: flex; gap: 8px; align-items: baseline; } ul.list .row span { color: #666; font-size: 13px; white-space: nowrap; }
.column p { text-align: justify; }
h2.edge { text-align: right; font-size: 26px; margin: 12px 0; }
h2.edge a { white-space: nowrap; }
</style></head><body>
<main>
<section class="grid">${[0, 1, 2, 3, 4, 5].map((i) => `<article><h3>${link(i)}</h3><p>Reporters on the ground describe what happened and what comes next.</p></article>`).join('')}</section>
<ul class="list">${[6, 7].map((i) => `<li><article>${link(i)} <span class="more">Analysis from our correspondents across the country.</span></article></li>`).join('')}
${[8, 9].map((i) => `<li><article class="row">${link(i)}<span>4 min read</span></article></li>`).join('')}</ul>
<article class="column"><p>In other news this week, ${link(10)} while in the capital ${link(11)} and, further afield, ${link(12)}, which left
observers wondering what the coming months hold for the region and its neighbours.</p>
<p>Meanwhile, ${link(13)}: the story continues on the following pages, with further reports from our correspondents abroad.</p></article>
<h2 class="edge">${link(14)}</h2>
<h2 class="edge" style="text-align:left">${link(15)}</h2>
</main></body></html>`;

// An archive page of 10 March 2014 that states no date of its own: three teasers carry a <time>,
// three do not. The undated ones take the median of the dated (issue 10, item 3); sent undated,
// they were matched around today and their stories of 2014 were never found.
const archiveTitles = [
  'Malaysia Airlines flight vanishes over the South China Sea with 239 aboard',
  'Crimea parliament sets date for referendum on joining Russia',
  'Oscar Pistorius trial hears neighbours describe screams in the night',
  'Search teams widen hunt for missing jet as oil slicks prove false lead',
  'Ukraine interim government appeals to Western leaders over Crimea',
  'Apple unveils CarPlay system with Ferrari, Mercedes and Volvo',
];
const archive = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Archive: 10 March 2014</title><meta property="og:type" content="website"></head>
<body><main><h1>From the archive</h1><ul>${archiveTitles
  .map(
    (title, i) =>
      `<li><article><h2><a href="/2014/03/10/story-${i}">${title}</a></h2>${i < 3 ? `<time datetime="2014-03-${String(9 + i).padStart(2, '0')}T09:00:00Z">March 2014</time>` : ''}</article></li>`,
  )
  .join('')}</ul></main></body></html>`;

// An article whose own <h1> has related stories (issue 10, item 3 of the fit checks): its badge
// goes at the end of the heading and must pass the same checks as a headline's. In the second, the
// site clamps its headline to one line (nowrap, overflow hidden, as many do): a badge after the
// text would sit past the heading's edge, out of sight, so it is taken away.
const articleHeadline = 'Government announces sweeping reform of the national energy grid after a winter of blackouts';
const relatedTitles = [
  'Energy regulator warns households of higher bills as grid upgrade begins',
  'Engineers blame ageing substations for the winter blackouts in the north',
  'Opposition calls the grid reform plan too little and too late for families',
];
const articlePage = (clamped: boolean) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${articleHeadline}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:type" content="article"><meta property="og:title" content="${articleHeadline}">
<meta property="article:published_time" content="${new Date().toISOString()}">
<style>body { margin: 0 auto; max-width: 760px; padding: 0 20px; font: 17px/1.55 Georgia, serif; } h1 { font-size: 34px; line-height: 1.15; }
${clamped ? 'h1 { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }' : ''}</style></head>
<body><main><article><h1>${articleHeadline}</h1><p>The plan, announced on Monday, replaces the oldest lines and substations over ten years.</p>
<aside><h2>Related</h2><ul>${relatedTitles.map((t, i) => `<li><a href="/related/${i}">${t}</a></li>`).join('')}</ul></aside></article></main></body></html>`;

// Saved real news pages (Mozilla Readability's test pages, tests/fixtures/pages): article pages
// with "related", "most read" and navigation boxes of headline links in each site's own CSS.
const REAL = ['bbc-1', 'bug-1255978', 'heise', 'liberation-1', 'msn', 'wikia'];
const pages: Record<string, string> = { '/layouts': layouts, '/archive': archive, '/article': articlePage(false), '/article-clamped': articlePage(true) };
for (const name of REAL) pages[`/real/${name}`] = readFileSync(`tests/fixtures/pages/${name}.html`, 'utf8');

/** The headlines the content script will send from a page, with the dates it will give them. */
function headlinesOf(html: string, url: string): { text: string; publishedAt: string | null }[] {
  const window = new Window({ url, settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } });
  window.document.write(html);
  const doc = window.document as unknown as Document;
  const found = findHeadlineLinks(doc, url);
  const dated = found.flatMap((l) => (l.publishedAt ? [l.publishedAt] : []));
  const out = lendDates(found, readPageMeta(doc, url).publishedAt, dated).map((l) => ({ text: l.text, publishedAt: l.publishedAt }));
  void window.happyDOM.close();
  return out;
}

const BADGE: AxQuery = { role: 'button', name: BADGE_NAME };
const DIALOG: AxQuery = { role: 'dialog', name: 'Related stories', exact: true };

let browser: ExtensionBrowser;
let site: DemoSite;

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Every painted line of page text, in viewport pixels, read by the page's own DOM (the badges'
 * closed roots are outside its reach, so their text is not among these). Text a person cannot see
 * is left out: hidden, transparent, or clipped to a pixel for screen readers.
 */
function pageTextRects(): (Rect & { text: string })[] {
  const rects: (Rect & { text: string })[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (!node.data.trim()) continue;
    const parent = node.parentElement;
    if (!parent || !parent.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width >= 2 && r.height >= 2) rects.push({ left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: node.data.trim().slice(0, 60) });
    }
  }
  return rects;
}

/** Overlap of two rectangles, in pixels each way (a shared edge or sub-pixel rounding is none). */
function overlaps(a: Rect, b: Rect): boolean {
  return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
}

async function badgeBoxes(ax: Ax): Promise<(Rect & { name: string })[]> {
  const boxes: (Rect & { name: string })[] = [];
  for (const node of await ax.find(BADGE)) {
    const box = await ax.box(node);
    if (box) boxes.push({ left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height, name: node.name });
  }
  return boxes;
}

const pageWidth = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);
// The scrolling element's client size: <body>'s in quirks mode, where <html>'s height is the document's.
const viewport = (page: Page) => page.evaluate(() => ({ width: document.scrollingElement!.clientWidth, height: document.scrollingElement!.clientHeight }));

/**
 * Loads a page, waits for its badges, and checks them against its text, its width and the card
 * of the badges nearest the right and bottom edges. Returns figures for the report.
 */
async function checkFit(path: string, expected: number) {
  const page = await browser.context.newPage();
  // Saved pages ask their own sites for scripts, fonts and ads: nothing leaves this machine.
  await page.route(
    (url) => !url.href.startsWith(site.origin),
    (route) => route.abort(),
  );
  await page.goto(`${site.origin}${path}`, { waitUntil: 'load' });
  const ax = await Ax.attach(page);
  await expect.poll(() => ax.count(BADGE), { timeout: 15_000 }).toBeGreaterThanOrEqual(expected);
  await page.waitForTimeout(500); // a later pass (a re-rendering page) settles

  // Covers no text: checked where the page is scrolled, top to bottom, a viewport at a time.
  const covered: string[] = [];
  const height = await page.evaluate(() => document.scrollingElement!.scrollHeight);
  const view = await viewport(page);
  let badgesChecked = 0;
  for (let y = 0; y < height; y += view.height) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    const text = await page.evaluate(pageTextRects);
    const boxes = await badgeBoxes(ax);
    // Each badge once: where it is on screen in this viewport.
    const onScreen = boxes.filter((b) => b.bottom > 0 && b.top < view.height);
    badgesChecked += onScreen.filter((b) => b.top >= 0).length;
    for (const badge of onScreen) {
      for (const line of text) if (overlaps(badge, line)) covered.push(`${badge.name} over "${line.text}"`);
    }
  }
  expect(covered, `${path}: badges over page text`).toEqual([]);

  // Cards: the badge furthest right and the one lowest in the first viewport open inside it.
  await page.evaluate(() => window.scrollTo(0, 0));
  const withBadges = await pageWidth(page);
  const nodes = await ax.find(BADGE);
  const boxes = await Promise.all(nodes.map(async (node) => ({ node, box: await ax.box(node) })));
  const placed = boxes.filter((b) => b.box !== null);
  const rightmost = placed.reduce((a, b) => (b.box!.x + b.box!.width > a.box!.x + a.box!.width ? b : a));
  const lowest = placed.filter((b) => b.box!.y < view.height).reduce((a, b) => (b.box!.y > a.box!.y ? b : a), rightmost);
  const cards: Rect[] = [];
  for (const { node } of [rightmost, lowest]) {
    await ax.focus(node);
    await page.keyboard.press('Enter');
    await expect.poll(() => ax.count(DIALOG)).toBe(1);
    const [dialog] = await ax.find(DIALOG);
    const box = (await ax.box(dialog))!;
    const now = await viewport(page);
    cards.push({ left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height });
    expect(box.x, `${path}: card left edge`).toBeGreaterThanOrEqual(0);
    expect(box.y, `${path}: card top edge`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${path}: card right edge`).toBeLessThanOrEqual(now.width);
    expect(box.y + box.height, `${path}: card bottom edge`).toBeLessThanOrEqual(now.height);
    expect(await pageWidth(page), `${path}: page width with a card open`).toBeLessThanOrEqual(withBadges);
    await page.keyboard.press('Escape');
    await expect.poll(() => ax.count(DIALOG)).toBe(0);
  }

  // Widens nothing: the page is as wide with its badges as without them.
  const count = nodes.length;
  await page.evaluate(() => {
    for (const host of document.querySelectorAll('storyline-badge')) host.remove();
  });
  const without = await pageWidth(page);
  expect(withBadges, `${path}: page width with badges (${withBadges}) and without (${without})`).toBeLessThanOrEqual(without);
  await ax.detach();
  await page.close();
  return { path, badges: count, badgesChecked, width: [withBadges, without], viewport: view, cards };
}

beforeAll(async () => {
  site = await startDemoSite([], 0, pages);
  browser = await launchWithExtension();
  // A wire copy of every headline, dated as the content script dates it.
  const lines: string[] = [];
  for (const [path, html] of Object.entries(pages)) {
    headlinesOf(html, `${site.origin}${path}`).forEach((h, i) => {
      // Not the headline word for word: a story with the page's own title and no other source is
      // taken for the page itself (engine isSamePage) and never shown.
      const article = {
        id: `wire${path.replace(/\W/g, '-')}-${i}`,
        title: `Update: ${h.text}`,
        source: 'Wire Copy',
        publishedAt: h.publishedAt ?? new Date().toISOString(),
        url: `https://wire.example${path}/${i}`,
      };
      lines.push(JSON.stringify(article));
    });
  }
  // The article's own headline, for its <h1> badge (the extractor finds headline links, not the page's title).
  lines.push(
    JSON.stringify({
      id: 'wire-article',
      title: `Update: ${articleHeadline}`,
      source: 'Wire Copy',
      publishedAt: new Date().toISOString(),
      url: 'https://wire.example/article',
    }),
  );
  const file = join(mkdtempSync(join(tmpdir(), 'storyline-fit-')), 'wire.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
  // (expect.poll belongs to a test: a hook waits with the locator.)
  await options.getByText(/^Imported [\d,.\u00a0\u202f ]+ articles\./).waitFor({ timeout: 120_000 });
  await options.close();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('badges that fit (issue 10, item 4; Chromium)', () => {
  it('grid, list, in-paragraph and right-edge layouts: no badge over text, no wider page, cards inside the viewport', async () => {
    const figures = await checkFit('/layouts', 16);
    console.log(JSON.stringify(figures));
    expect(figures.badges).toBe(16);
  });

  it('an archive page: undated headlines are matched around the page’s dated ones, not today (issue 10, item 3)', async () => {
    // What the test library holds: each wire report dated as the content script dates its headline.
    expect(headlinesOf(archive, `${site.origin}/archive`).map((h) => h.publishedAt)).toEqual([
      '2014-03-09T09:00:00.000Z',
      '2014-03-10T09:00:00.000Z',
      '2014-03-11T09:00:00.000Z',
      ...Array(3).fill('2014-03-10T09:00:00.000Z'),
    ]);
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/archive`);
    const ax = await Ax.attach(page);
    for (const title of archiveTitles) {
      await expect.poll(() => ax.count({ role: 'heading', name: new RegExp(title.slice(0, 30)) }, BADGE), { timeout: 10_000 }).toBe(1);
    }
    await ax.detach();
    await page.close();
  });

  it('an article’s own <h1> badge: no badge over text, no wider page, its card inside the viewport (issue 10, item 4)', async () => {
    const figures = await checkFit('/article', 4);
    console.log(JSON.stringify(figures));
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/article`);
    const ax = await Ax.attach(page);
    await expect.poll(() => ax.count({ role: 'heading', level: 1 }, BADGE), { timeout: 10_000 }).toBe(1);
    await ax.detach();
    await page.close();
  });

  it('an article whose <h1> is clamped to one line: its badge would sit past the heading’s edge and is taken away; the related links keep theirs', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/article-clamped`);
    const ax = await Ax.attach(page);
    await expect.poll(() => ax.count(BADGE), { timeout: 15_000 }).toBe(relatedTitles.length);
    await page.waitForTimeout(500);
    expect(await ax.count({ role: 'heading', level: 1 }, BADGE)).toBe(0);
    expect(await ax.count(BADGE)).toBe(relatedTitles.length);
    await ax.detach();
    await page.close();
  });

  it.each(REAL)('the saved real page %s: no badge over text, no wider page, cards inside the viewport', async (name) => {
    const figures = await checkFit(`/real/${name}`, 3);
    console.log(JSON.stringify(figures));
  });
});
