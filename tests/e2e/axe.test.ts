import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { loadSeedDirectory } from '../../tools/build/seeds';
import { badgeTextOf, launchWithExtension, openPopup, tabIdOf, type ExtensionBrowser } from '../../tools/browser';
import { startDemoSite, type DemoSite } from '../../tools/demo-site';
import { BADGE_TAG } from '../../src/ui/badge/badge';

/**
 * Issue 10: axe reports no serious or critical violation on the popup, the options page and a page
 * carrying Storyline's badges, in the light and the dark colour scheme. axe-core is evaluated over
 * the DevTools protocol, which extension pages' script policy does not govern.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const seeds = loadSeedDirectory('seeds');

let browser: ExtensionBrowser;
let site: DemoSite;

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** The serious and critical violations axe finds on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  })) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

async function inBothSchemes(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    out[colorScheme] = await seriousViolations(page);
  }
  return out;
}

beforeAll(async () => {
  site = await startDemoSite(seeds);
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('accessibility checked by axe (issue 10)', () => {
  it('finds no serious violation on a page with badges, the popup and the options page, light and dark', async () => {
    const front = await browser.context.newPage();
    await front.goto(`${site.origin}/`);
    await expect.poll(() => front.locator(BADGE_TAG).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await inBothSchemes(front)).toEqual({ light: [], dark: [] });

    const article = await browser.context.newPage();
    await article.goto(site.articleUrl(seeds[0].id));
    const tabId = await tabIdOf(browser, article);
    await expect.poll(() => badgeTextOf(browser, tabId), { timeout: 15_000 }).toBe('3');
    const popup = await openPopup(browser, tabId);
    await expect.poll(() => popup.getByRole('region', { name: 'Related stories' }).getByRole('listitem').count()).toBe(3);
    expect(await inBothSchemes(popup)).toEqual({ light: [], dark: [] });

    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => options.getByRole('heading', { level: 1 }).count()).toBeGreaterThan(0);
    await expect.poll(() => options.getByText('Loading library…').count()).toBe(0);
    expect(await inBothSchemes(options)).toEqual({ light: [], dark: [] });

    // The check can fail: a field with no label is a critical violation.
    await options.evaluate(() => document.body.append(Object.assign(document.createElement('input'), { type: 'text' })));
    expect((await seriousViolations(options)).join('\n')).toMatch(/critical label/);
  });
});
