import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch, type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedDirectory } from '../../src/build/seeds';
import { startDemoSite, type DemoSite } from '../../src/node/demo-site';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const seeds = loadSeedDirectory('seeds');
let browser: Browser;
let site: DemoSite;

beforeAll(async () => {
  site = await startDemoSite(seeds);
  browser = await launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: mkdtempSync(join(tmpdir(), 'storyline-firefox-')),
    extraPrefsFirefox: { 'network.proxy.allow_hijacking_localhost': false, 'browser.shell.checkDefaultBrowser': false },
  });
  await browser.installExtension(resolve('.output/firefox-mv2'));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('the Firefox build', () => {
  it('passes web-ext lint with no errors', () => {
    const run = spawnSync('npx', ['web-ext', 'lint', '--source-dir', '.output/firefox-mv2', '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'), run.stdout.lastIndexOf('}') + 1));
    expect(report.errors.map((e: { message: string }) => e.message)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  });
});

describe.runIf(existsSync(FIREFOX))('the extension in Firefox', () => {
  it('reads the demo front page and badges the seed headlines that have related stories', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/`);
    // Content script -> background page -> index -> badges: the whole pipeline, in Firefox.
    await page.waitForFunction(() => document.querySelectorAll('storyline-badge').length > 0, { timeout: 20_000 });
    const names = await page.evaluate(() =>
      [...document.querySelectorAll('storyline-badge')].map((host) => host.shadowRoot?.querySelector('button')?.getAttribute('aria-label')),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^\d+ related stor(y|ies)$/);
    await page.close();
  });
});
