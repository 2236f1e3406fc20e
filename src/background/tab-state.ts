import { browser } from 'wxt/browser';
import type { PageInfo } from '../core/article';
import { parsePageInfo } from '../messaging/validate';
import { notifyPages, sendToTab } from '../messaging/client';
import { HistoryBudget } from './history-budget';
import { showCount } from './toolbar-badge';

/**
 * What each tab's content script read, kept in storage.session: it survives the worker being
 * stopped (so the popup answers at once after a restart) and is gone when the browser closes.
 * undefined = never read; null = read, not an article.
 */
const PREFIX = 'tab:';

export async function getTabPage(tabId: number): Promise<PageInfo | null | undefined> {
  const key = `${PREFIX}${tabId}`;
  const stored = (await browser.storage.session.get(key))[key];
  if (stored === undefined) return undefined;
  try {
    return parsePageInfo(stored);
  } catch {
    return undefined;
  }
}

/** The address the tab's page was read at, as the browser reported it with the page ('' when it did not say). */
const ADDRESS = 'url:';

/**
 * How many pages each tab's script has sent this worker (in memory: a check spans no restart),
 * so a check knows that the tab's next page was read while it asked (a reload's, at the same
 * address).
 */
const pagesSent = new Map<number, number>();

/** What was held for a tab: its page (undefined: nothing) and the address it was read at. */
export interface HeldPage {
  page: PageInfo | null | undefined;
  url: string | undefined;
}

/** Stores the page a tab's script read; returns what was held before. */
export async function setTabPage(tabId: number, page: PageInfo | null, url: string | null = null): Promise<HeldPage> {
  pagesSent.set(tabId, (pagesSent.get(tabId) ?? 0) + 1);
  // Asked before the write, so it reads what was held, and not awaited first, so nothing (a leave)
  // comes between the page's arrival and its write.
  const before = Promise.all([getTabPage(tabId), getTabAddress(tabId)]);
  await browser.storage.session.set({ [`${PREFIX}${tabId}`]: page, [`${ADDRESS}${tabId}`]: url ?? '' });
  const [held, heldUrl] = await before;
  return { page: held, url: heldUrl };
}

/**
 * A page read replaces another one held for the tab: another headline, or, neither an article,
 * another address. The same page sent again (a press, a page back from the cache) does not.
 */
export function replacesAnother(before: HeldPage, page: PageInfo | null, url: string | null): boolean {
  if (before.page === undefined) return false;
  if (before.page && page) return before.page.headline !== page.headline;
  if (!before.page && !page) return (before.url ?? '') !== (url ?? '');
  return true;
}

/** Where the tab's page was read ('' when the browser did not say), or undefined when nothing was read or the tab left it. */
export async function getTabAddress(tabId: number): Promise<string | undefined> {
  const key = `${ADDRESS}${tabId}`;
  const stored = (await browser.storage.session.get(key))[key];
  return typeof stored === 'string' ? stored : undefined;
}

export async function forgetTab(tabId: number, closed = false): Promise<void> {
  if (closed) pagesSent.delete(tabId);
  await browser.storage.session.remove([`${PREFIX}${tabId}`, `${BADGES}${tabId}`, `${ADDRESS}${tabId}`]);
}

/** The tab left the page it showed (a load, or a single-page site's move): forgotten, its count cleared, a side panel told. */
export async function leaveTab(tabId: number): Promise<void> {
  await forgetTab(tabId);
  await Promise.all([showCount(tabId, 0, false), notifyPages('tabChanged', { tabId, left: true })]);
}

/**
 * The tab's address changed or it began loading. A load replaces the page and its script; a
 * single-page site's rewrite of the address (?page=2, #comments) keeps both, and Chrome reports
 * its pushState as loading too. The tab is left unless its script says it is still the document
 * that sent the page held and has not left it (a move to another article it tells itself, with
 * pageLeft), or a page came from the tab while it was asked (a reload's). Chrome tells both at the new document's commit;
 * Firefox tells "loading" before it, while the old page is rightly still on screen, and the new
 * address at the commit, which is asked again.
 */
export async function tabNavigated(tabId: number): Promise<void> {
  const sent = pagesSent.get(tabId);
  // Nothing read is held for the tab (a page without our script, a click-only tab not pressed):
  // nothing to forget, but a side panel showing a query on it goes back to the tab's page.
  if ((await getTabAddress(tabId)) === undefined) return notifyPages('tabChanged', { tabId, left: true });
  if ((await sendToTab(tabId, 'showing', {}))?.showing === true) return;
  // A page sent while the script was asked is the tab's new page (a reload's, at the same
  // address), not one to forget.
  if (pagesSent.get(tabId) !== sent) return;
  await leaveTab(tabId);
}

/** How many headlines on the tab's page show a badge, as its content script last said. */
const BADGES = 'badges:';

export async function getTabBadges(tabId: number): Promise<number> {
  const key = `${BADGES}${tabId}`;
  const stored = (await browser.storage.session.get(key))[key];
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 ? stored : 0;
}

export async function setTabBadges(tabId: number, count: number): Promise<void> {
  await browser.storage.session.set({ [`${BADGES}${tabId}`]: count });
}

export async function allTabPages(): Promise<Map<number, PageInfo | null>> {
  const all = await browser.storage.session.get(null);
  const pages = new Map<number, PageInfo | null>();
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(PREFIX)) continue;
    try {
      pages.set(Number(key.slice(PREFIX.length)), parsePageInfo(value));
    } catch {
      // A malformed entry is as good as none.
    }
  }
  return pages;
}

/** The reading-history budget (history-budget.ts), kept here so a restarted worker goes on counting the hour. */
const BUDGET = 'historyBudget';

/** The stored budget, or a fresh one when none is stored or storage cannot be read. */
export async function loadHistoryBudget(): Promise<HistoryBudget> {
  try {
    return HistoryBudget.fromStored((await browser.storage.session.get(BUDGET))[BUDGET]);
  } catch {
    return new HistoryBudget();
  }
}

/** Best effort: a budget not saved still counts in this worker's memory. */
export async function saveHistoryBudget(budget: HistoryBudget, now: number): Promise<void> {
  try {
    await browser.storage.session.set({ [BUDGET]: budget.toStored(now) });
  } catch {
    // storage.session full or gone: the worker's copy still counts until it stops.
  }
}
