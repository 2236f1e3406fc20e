import { resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from '../../tools/browser';

/**
 * A page measures its own layout, so a badge's width is the page's to read (attack review
 * helper-26: "2 same story · 1 related" added 172 px to its heading, "3 related" 80, "10 related"
 * 88: a page learned which of its headlines the library has reports of the same story for). The
 * real badge code (badge.ts, label.ts, styles.ts), bundled as the content script bundles it, mounted
 * in real Chromium beside headlines of one text, as a page script would measure them.
 */
const ROOT = resolve('.');
// [stories, of which reports of the same story]
const SPECS: [number, number][] = [
  [1, 0],
  [3, 0],
  [9, 0],
  [10, 0],
  [50, 0],
  [1, 1],
  [3, 3],
  [3, 1],
  [12, 5],
];

let browser: Browser;
let bundle: string;

beforeAll(async () => {
  const entry = `
    import { mountBadge } from './src/ui/badge/badge';
    import { badgeLabel, badgeName, widestLabels } from './src/ui/badge/label';
    globalThis.mountAll = (specs) => {
      const strings = { label: badgeLabel, accessibleName: badgeName, widest: widestLabels(), cardTitle: 'Related stories', sameStory: 'Same story', related: 'Related', timeAgo: () => '' };
      specs.forEach(([total, same], i) => {
        const stories = Array.from({ length: total }, (_, k) => ({ id: 'x' + k, title: 'Story ' + k, source: 'Outlet', url: 'https://e.example/' + k, publishedAt: null, label: k < same ? 'same-story' : 'related', score: 1, matchedWords: [], alsoIn: [] }));
        mountBadge(document.getElementById('a' + i), { total, same, stories }, strings, document, 'after-link');
      });
    };`;
  const out = await build({ stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' }, bundle: true, write: false, format: 'iife', platform: 'browser' });
  bundle = out.outputFiles[0].text;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: [...QUIET_CHROMIUM_ARGS] });
});
afterAll(async () => {
  await browser?.close();
});

describe('a badge’s size tells a page nothing of its count or labels (Chromium)', () => {
  it('every badge adds the same width to its heading: 1, 3, 9, 10 or 50 stories, some or all of them the same story', async () => {
    const page = await browser.newPage();
    const headings = SPECS.map(
      (_, i) => `<div><h2 style="display:inline-block;margin:0"><a id="a${i}" href="/s${i}">The same words in every headline here</a></h2></div>`,
    );
    await page.setContent(`<!doctype html><html><body>${headings.join('')}</body></html>`);
    const widths = () => page.evaluate(() => [...document.querySelectorAll('h2')].map((h) => h.getBoundingClientRect().width));
    const before = await widths();
    await page.addScriptTag({ content: bundle });
    await page.evaluate((specs) => (globalThis as unknown as { mountAll(s: [number, number][]): void }).mountAll(specs), SPECS);
    const after = await widths();
    const added = after.map((w, i) => Math.round((w - before[i]) * 100) / 100);
    // A badge is there (it takes space), and it is the same space for every one of them.
    expect(added[0]).toBeGreaterThan(40);
    expect(new Set(added).size).toBe(1);
    // Its height too.
    const heights = await page.evaluate(() => [...document.querySelectorAll('h2')].map((h) => h.getBoundingClientRect().height));
    expect(new Set(heights).size).toBe(1);
    await page.close();
  });
});
