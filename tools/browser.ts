import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

// Code passed to worker.evaluate() runs in the extension's service worker, where `chrome` exists.
declare const chrome: any;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROME_BUILD = resolve('.output/chrome-mv3');

/** Chromium as every harness here starts it: headless-safe as root, no GPU, and no network of its own (no sync, updates or QUIC). */
export const QUIET_CHROMIUM_ARGS: readonly string[] = [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

function isOptions(page: Page): boolean {
  return page.url().endsWith('/options.html');
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  worker: () => Promise<Worker>;
  close: () => Promise<void>;
}

/**
 * Debian's Chromium with the built extension loaded (never a downloaded browser). The
 * networking flags keep Chromium from calling home on a closed network.
 */
export async function launchWithExtension(options: { headless?: boolean; extensionDir?: string; bfcache?: boolean } = {}): Promise<ExtensionBrowser> {
  const dir = options.extensionDir ?? CHROME_BUILD;
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  if (!existsSync(`${dir}/manifest.json`)) throw new Error(`No built extension in ${dir}: run npm run build first.`);
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    viewport: { width: 1200, height: 900 },
    // Playwright turns the back/forward cache off; pages restored from it need it on (RELIABILITY row 8).
    ...(options.bfcache && { ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
    args: [...QUIET_CHROMIUM_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  const worker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const sw = await worker();
  // A fresh profile is a first install: Storyline opens its options page to offer the starter
  // feeds. Wait for that tab and close it, so it cannot race the caller's own navigation.
  const welcome = context.pages().find(isOptions) ?? (await context.waitForEvent('page', { predicate: isOptions, timeout: 5000 }).catch(() => undefined));
  await welcome?.close();
  return { context, extensionId: new URL(sw.url()).host, worker, close: () => context.close() };
}

/** The browser's tab id for a page, asked of the extension's worker (Playwright has no tab ids). */
export async function tabIdOf(browser: ExtensionBrowser, page: Page): Promise<number> {
  await page.bringToFront();
  const sw = await browser.worker();
  const url = page.url();
  const id = await sw.evaluate(async (href) => {
    // Several tabs can show the same URL (one closing): the page just brought to front is the active one.
    const tabs = (await chrome.tabs.query({})).filter((t: { url?: string }) => t.url === href);
    return (tabs.find((t: { active?: boolean }) => t.active) ?? tabs[0])?.id ?? (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0]?.id;
  }, url);
  if (typeof id !== 'number') throw new Error(`no tab id for ${url}`);
  return id;
}

export async function badgeTextOf(browser: ExtensionBrowser, tabId: number): Promise<string> {
  const sw = await browser.worker();
  return sw.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}

/** The settings as stored (what every context reads), or undefined before any is saved. */
export async function storedSettings(browser: ExtensionBrowser): Promise<Record<string, unknown> | undefined> {
  const sw = await browser.worker();
  return sw.evaluate(async () => (await chrome.storage.local.get('settings')).settings);
}

export async function openPopup(browser: ExtensionBrowser, tabId: number): Promise<Page> {
  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 420, height: 600 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html?tabId=${tabId}`);
  return popup;
}

/** Stops every service worker (CDP), as Chrome does after 30 s idle. */
export async function stopServiceWorkers(browser: ExtensionBrowser, page: Page): Promise<void> {
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  for (let i = 0; i < 50; i++) {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { type: string; url: string }[] };
    if (!targetInfos.some((t) => t.type === 'service_worker' && t.url.includes(browser.extensionId))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await cdp.detach();
}
