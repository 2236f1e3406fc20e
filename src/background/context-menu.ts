import { articleKey, MAX_URL } from '../core/links';
import { getArticles } from '../corpus/library-db';
import { stableId } from '../core/ids';
import { cleanText, MAX_HEADLINE } from '../messaging/validate';
import type { Library } from './library';
import { notifyPages } from '../messaging/client';
import { openPanel, openPanelWindow, type PanelApi } from '../ui/panel/open';

/**
 * "Find related stories" on selected text and on links (issue 12, item 3), and the keyboard command
 * that opens the side panel (item 2). The menu is created in runtime.onInstalled, as MV3 requires
 * (menus persist; creating them on every wake-up would fail with duplicate ids).
 */
export const MENU_ID = 'storyline-find-related';
/** manifest `commands` key (Chrome; Firefox uses its built-in `_execute_sidebar_action`). */
export const PANEL_COMMAND = 'open-side-panel';
/** A query waits this long for the panel that was opened for it. */
export const PANEL_QUERY_TTL_MS = 30_000;
/** Fewer letters than this is no query (a stray click on "a" or "1"). */
const MIN_LETTERS = 3;

/** What the browser tells the menu handler (contextMenus.OnClickData; linkText is Firefox's only). */
export interface MenuClick {
  menuItemId?: string | number;
  selectionText?: string;
  linkText?: string;
  linkUrl?: string;
}

/**
 * The text a menu click looks up: the selection, else the link's text (Firefox), else the words of
 * the link's address ("/2025/06/01/ukraine-drone-strike-russian-bombers.html" -> "ukraine drone
 * strike russian bombers"; Chrome does not hand the worker a link's text). Cleaned like any message
 * (control and bidi characters out, spaces folded) and cut at a word to the headline limit. Null
 * when nothing worth looking up is left. Pure.
 */
export function queryFromClick(click: MenuClick): string | null {
  for (const candidate of [click.selectionText, click.linkText, wordsOfAddress(click.linkUrl)]) {
    const text = cutAtWord(cleanText(candidate, MAX_HEADLINE * 2), MAX_HEADLINE);
    if (text && (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= MIN_LETTERS) return text;
  }
  return null;
}

function cutAtWord(text: string | null, max: number): string | null {
  if (!text || text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : text.slice(0, max)).trim();
}

/** The words of an http(s) address's slug (its path segment with the most words); ids, dates and numbers left out. */
export function wordsOfAddress(raw: string | undefined): string | null {
  // Past MAX_URL an address is no link (a 2.4 MB href held the worker for most of a second: helper-42).
  if (!raw || raw.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const segments = url.pathname.split('/').map((segment) => {
    let text = segment;
    try {
      text = decodeURIComponent(segment);
    } catch {
      // Keep it as written.
    }
    return (
      text
        .replace(/\.(s?html?|php|aspx?|jsp)$/i, '')
        .split(/[-_+.\s]+/)
        // Words only: a token with a digit is an id, a date or a number ("c0k8", "2025", "123456").
        .filter((word) => /^\p{L}[\p{L}']*$/u.test(word))
    );
  });
  // The slug is the segment with the most words (news addresses end in an id as often as in the slug).
  const best = segments.reduce<string[]>((most, words) => (words.length > most.length ? words : most), []);
  return best.length >= 2 ? best.join(' ') : null;
}

/** Queries waiting for a panel, by window (a panel asks for its own window's; in memory: it is taken within a second). */
const waiting = new Map<number, { query: string; at: number }>();

/** The query a menu click left for the panel of this window, taken once; null when none or too old. */
export function takePanelQuery(windowId: number, now = Date.now()): string | null {
  const entry = waiting.get(windowId);
  waiting.delete(windowId);
  return entry && now - entry.at <= PANEL_QUERY_TTL_MS ? entry.query : null;
}

/** The part of the extension API the menu wiring uses: `browser` from wxt/browser, or a fake in tests. */
export interface MenuBrowser extends PanelApi {
  contextMenus: {
    create(properties: { id: string; title: string; contexts: ['selection', 'link'] }): unknown;
    removeAll(): Promise<void> | void;
    onClicked: { addListener(callback: (info: MenuClick, tab?: { windowId?: number; incognito?: boolean }) => void): void };
  };
  commands?: { onCommand: { addListener(callback: (command: string, tab?: { windowId?: number; incognito?: boolean }) => void): void } };
  runtime: {
    onInstalled: { addListener(callback: (details: { reason: string }) => void): void };
    getURL(path: string): string;
  };
  windows: { create(data: { url: string; type: 'popup'; width: number; height: number; focused: boolean }): Promise<unknown> };
  i18n: { getMessage(key: string): string };
}

/** How long an open panel has to take a query it was told of before a window shows it instead. */
export const TAKE_WAIT_MS = 800;

/**
 * Opens the panel for a window (with a query waiting for it, or none), in the click's own turn. When
 * the browser refuses (no user action it recognises) a panel already open in that window still takes
 * the query; when none does, or the browser has no panel, a small window shows the panel page.
 */
export async function showInPanel(
  browser: MenuBrowser,
  windowId: number | undefined,
  queryOrLater: string | null | Promise<string | null>,
  incognito = false,
): Promise<'panel' | 'window' | 'none'> {
  const win = typeof windowId === 'number' ? windowId : null;
  // First, in the click's own turn (nothing awaited before it): the browser's user-action rule.
  const opening = openPanel(browser, win);
  const query = await queryOrLater;
  // A panel that loads after this asks for it (takePanelQuery); one that asked before hears the notice below.
  if (query !== null && win !== null) waiting.set(win, { query, at: Date.now() });
  const opened = await opening;
  if (query !== null && win !== null) {
    // A panel that was already open hears of it by this notice and takes the query.
    await notifyPages('panelQueryWaiting', { windowId: win });
    if (opened) return 'panel';
    for (let waited = 0; waiting.has(win) && waited < TAKE_WAIT_MS; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    if (!waiting.has(win)) return 'panel';
    waiting.delete(win);
  } else if (opened) {
    return 'panel';
  }
  // A private window's selection, or its tabs' stories, never go to a window outside it: the
  // fallback window opens in the normal profile (attack review, helper-42).
  if (incognito) return 'none';
  await openPanelWindow(browser, win, query);
  return 'window';
}

/** What the menu may ask of the library: the headline of the article stored under a link's address. */
export interface MenuDeps {
  headlineOfLink?: (url: string) => Promise<string | null>;
}

/**
 * Handles one menu click; exported for the tests. A bare link in Chrome (no selection, and Chrome
 * gives no link text) is looked up in the library first: the article stored under that address
 * gives its headline; otherwise the address's words are the query.
 */
export function onMenuClick(
  browser: MenuBrowser,
  info: MenuClick,
  tab?: { windowId?: number; incognito?: boolean },
  deps: MenuDeps = {},
): Promise<'panel' | 'window' | 'none'> | null {
  if (info.menuItemId !== MENU_ID) return null;
  const direct = queryFromClick({ selectionText: info.selectionText, linkText: info.linkText });
  const lookup = deps.headlineOfLink;
  if (direct !== null || !info.linkUrl || !lookup) return showInPanel(browser, tab?.windowId, direct ?? queryFromClick(info), tab?.incognito === true);
  const linkUrl = info.linkUrl;
  // Asked after this turn, once showInPanel has called the panel open (nothing may come before it).
  const later = Promise.resolve()
    .then(() => lookup(linkUrl))
    .catch(() => null)
    .then((headline) => queryFromClick({ selectionText: headline ?? undefined, linkUrl }));
  return showInPanel(browser, tab?.windowId, later, tab?.incognito === true);
}

/**
 * Registers the menu (on install and update) and the click and command listeners, synchronously at
 * the worker's top level so a click that wakes the worker is delivered.
 */
export function wireContextMenu(browser: MenuBrowser, deps: MenuDeps = {}): void {
  browser.runtime.onInstalled.addListener(async () => {
    // An update can find the old item still there: created again, never twice.
    await browser.contextMenus.removeAll();
    browser.contextMenus.create({ id: MENU_ID, title: browser.i18n.getMessage('contextMenuFindRelated'), contexts: ['selection', 'link'] });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void onMenuClick(browser, info, tab, deps));
  browser.commands?.onCommand.addListener((command, tab) => {
    if (command === PANEL_COMMAND) void showInPanel(browser, tab?.windowId, null, tab?.incognito === true);
  });
}

/**
 * The headline of the article the library holds under this address (feeds, imports, reading
 * history: their ids come from the address, records.ts), or null. Seed articles have no address.
 */
export async function headlineOfLink(library: Pick<Library, 'db'>, url: string): Promise<string | null> {
  const id = articleIdForUrl(url);
  if (!id) return null;
  const [article] = await getArticles(await library.db(), [id]);
  return article?.title ?? null;
}

/** The id toStored (src/corpus/records.ts) gives an article with this address and no other canonical one. */
export function articleIdForUrl(url: string): string | null {
  const key = articleKey(url);
  return key ? `a${stableId(key)}` : null;
}
