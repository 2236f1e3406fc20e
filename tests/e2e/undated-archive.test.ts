import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ax, BADGE_NAME, type AxQuery } from '../../tools/ax';
import { launchWithExtension, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';

/**
 * A page with no date at all (issue 10, item 3): no date of its own, none on any headline. The
 * content script sends its headlines undated, and the worker matches them around the library's
 * newest story when the library is behind today (src/background/recent-days.ts); around today,
 * as before, a library of the seeds' June 2025 or of an imported 2014 archive had nothing in the
 * window and the page showed no badge.
 */

const BADGE: AxQuery = { role: 'button', name: BADGE_NAME };

/** A listing page without a date anywhere: no meta date, no <time>, no date in the addresses. */
const archivePage = (title: string, headlines: string[]) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta property="og:type" content="website"></head><body><main><h1>${title}</h1><ul>${headlines
  .map((h, i) => `<li><article><h2><a href="/story/${title.length}-${i}">${h}</a></h2><p>From our archive.</p></article></li>`)
  .join('')}</ul></main></body></html>`;

// The seeds' stories (31 May to 2 June 2025), told in other words.
const seedHeadlines = [
  'Ukraine delegation to travel to Istanbul for talks with Russia on Monday',
  'Zelensky says drone strike on 40 Russian planes was organised next to FSB HQ',
  'Report finds North Korea deployed thousands of troops to help Russia terrorize Ukraine',
];
// Wire reports of March 2014, imported: the archive's headlines with an "Update:" (a story with the
// page's own headline and no other source would be taken for the page itself).
const archiveHeadlines = [
  'Malaysia Airlines flight MH370 vanishes over the South China Sea with 239 aboard',
  'Crimea parliament sets date for referendum on joining Russia',
  'Oscar Pistorius trial hears neighbours describe screams in the night',
];
const wire2014 = archiveHeadlines.map((headline, i) => ({ title: `Update: ${headline}`, publishedAt: `2014-03-0${4 + 2 * i}T12:00:00Z` }));

let browser: ExtensionBrowser;
let site: DemoSite;

beforeAll(async () => {
  site = await startDemoSite([], 0, {
    '/seed-archive': archivePage('Archive', seedHeadlines),
    '/archive-2014': archivePage('From the archive', archiveHeadlines),
  });
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** How many of the headlines carry a badge, once the page has been badged. */
async function badgedHeadlines(path: string, headlines: string[]): Promise<number> {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}${path}`);
  const ax = await Ax.attach(page);
  await ax.waitFor([BADGE], 15_000).catch(() => undefined);
  await page.waitForTimeout(500);
  let badged = 0;
  for (const headline of headlines) badged += await ax.count({ role: 'heading', name: new RegExp(headline.slice(0, 30)) }, BADGE);
  await ax.detach();
  await page.close();
  return badged;
}

describe('a page with no date at all is matched against the library’s recent days (Chromium)', () => {
  it('with the seeds only (June 2025), its undated headlines of those days get badges', async () => {
    expect(await badgedHeadlines('/seed-archive', seedHeadlines)).toBe(3);
  });

  it('with an imported 2014 archive and the seeds off, its undated headlines of March 2014 get badges', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const file = join(mkdtempSync(join(tmpdir(), 'storyline-undated-')), 'wire-2014.jsonl');
    const lines = wire2014.map((a, i) => JSON.stringify({ ...a, id: `wire-2014-${i}`, source: 'Wire 2014', url: `https://wire.example/2014/${i}` }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    await options.getByLabel('Import articles (JSONL or JSONL.gz)…').setInputFiles(file);
    await options.getByText(/^Imported [\d,.\u00a0\u202f ]+ articles\./).waitFor({ timeout: 60_000 });
    // With the seeds on, the library's newest days are the seeds' (2025): the 2014 headlines find nothing.
    expect(await badgedHeadlines('/archive-2014', archiveHeadlines)).toBe(0);
    await options.getByRole('checkbox', { name: /sample articles/ }).uncheck();
    // Stored a moment after the click: closed before that, the page takes the write with it (a
    // clean-clone CI run on a loaded machine saw the seeds stay on and no badge for 60 s).
    await expect.poll(() => options.getByText('Saved.').count()).toBe(1);
    await options.close();
    await expect.poll(() => badgedHeadlines('/archive-2014', archiveHeadlines), { timeout: 60_000 }).toBe(3);
  });
});
