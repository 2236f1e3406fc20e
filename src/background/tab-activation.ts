import { browser } from 'wxt/browser';
import { sendToTab } from '../messaging/client';

/** Tries to reach a just-injected script: its listener is up once its first statements have run. */
const INJECTED_TRIES = 10;
const INJECTED_WAIT_MS = 50;

interface Scripting {
  executeScript(injection: { target: { tabId: number }; files: string[] }): Promise<unknown>;
}

/**
 * Puts Storyline's content script into a tab that lacks it: a tab opened before the extension was
 * installed, updated or reloaded (Chrome runs manifest content scripts only in pages loaded after;
 * RELIABILITY rows 6 and 7). Needs the `scripting` permission and access to the tab: `activeTab`
 * from the toolbar press that opened the popup, or a host permission. False when the browser says
 * no (a browser page, the web store, a PDF, no access): an ordinary "cannot read this page".
 */
export async function injectContentScript(tabId: number): Promise<boolean> {
  const scripting = (browser as unknown as { scripting?: Scripting }).scripting;
  if (!scripting?.executeScript) return false;
  try {
    const files = browser.runtime.getManifest().content_scripts?.flatMap((script) => script.js ?? []) ?? [];
    if (files.length === 0) return false;
    await scripting.executeScript({ target: { tabId }, files });
    return true;
  } catch {
    return false;
  }
}

/** The tab's loading status ('loading' or 'complete'); null for a tab the browser does not know. */
async function tabStatus(tabId: number): Promise<string | null> {
  try {
    return (await browser.tabs.get(tabId))?.status ?? null;
  } catch {
    return null;
  }
}

/** Whether the tab has finished loading (the manifest's content script has had its turn). */
async function loaded(tabId: number): Promise<boolean> {
  return (await tabStatus(tabId)) === 'complete';
}

/** Whether the tab is in a private window (false for a tab the browser does not know). */
export async function inPrivateWindow(tabId: number): Promise<boolean> {
  try {
    return (await browser.tabs.get(tabId))?.incognito === true;
  } catch {
    return false;
  }
}

/** Whether the tab is still loading its page: its content script reads the page once it is idle. */
export async function stillLoading(tabId: number): Promise<boolean> {
  return (await tabStatus(tabId)) === 'loading';
}

/**
 * Asks a tab's content script to read its page now (the popup opened on a tab with nothing read).
 * A loaded tab without our script gets it injected, then is asked again; one where that is not allowed (a
 * browser page, a PDF) has no receiving end: an ordinary "no", not an error to log (RELIABILITY row 6).
 */
export async function activateTab(tabId: number, inject: (tabId: number) => Promise<boolean> = injectContentScript): Promise<boolean> {
  const answer = await sendToTab(tabId, 'activate', {});
  if (answer !== undefined) return answer.read === true;
  // A page still loading gets the manifest's script when it is idle: injecting one now would make two.
  if (!(await loaded(tabId)) || !(await inject(tabId))) return false;
  for (let i = 0; i < INJECTED_TRIES; i++) {
    const again = await sendToTab(tabId, 'activate', {});
    if (again !== undefined) return again.read === true;
    await new Promise((resolve) => setTimeout(resolve, INJECTED_WAIT_MS));
  }
  return false;
}
