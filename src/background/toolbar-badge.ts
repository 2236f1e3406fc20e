import { browser } from 'wxt/browser';

/**
 * The mark for news in a followed story (issue 12, item 4): a dot after the count ("3•"), or the dot
 * alone where the page has no count ("•"). The number keeps its meaning (the page's related
 * stories); the dot is an addition, cleared once the popup has shown the news.
 */
export const MARK = '•';

/** Badge text for a count: hidden at 0, never more than 4 characters (with the mark: "99+•" above 999). */
export function badgeText(count: number, enabled: boolean, mark = false): string {
  const number = !enabled || count <= 0 ? '' : count > 999 ? '999+' : String(count);
  if (!mark) return number;
  return number.length <= 3 ? `${number}${MARK}` : `99+${MARK}`;
}

/** A badge text with the mark put on or taken off, the count kept ("3" <-> "3•", "999+" <-> "99+•"). */
export function withMark(text: string, mark: boolean): string {
  const number = text.endsWith(MARK) ? (text === `99+${MARK}` ? '999+' : text.slice(0, -MARK.length)) : text;
  if (!mark) return number;
  return number.length <= 3 ? `${number}${MARK}` : `99+${MARK}`;
}

// MV2 Firefox has browserAction where MV3 has action.
function action() {
  return browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
}

/**
 * The toolbar button's two states (issue 10, item 5): grey at rest (the manifest's default_icon), in
 * the accent blue on a tab whose page has related stories. Paths from the extension's root.
 */
export const TOOLBAR_ICONS = {
  idle: { 16: '/icon/idle-16.png', 32: '/icon/idle-32.png' },
  active: { 16: '/icon/16.png', 32: '/icon/32.png' },
} as const;

/** The toolbar icon for a tab showing this count. */
export function toolbarIcon(count: number, enabled: boolean): (typeof TOOLBAR_ICONS)['idle' | 'active'] {
  return enabled && count > 0 ? TOOLBAR_ICONS.active : TOOLBAR_ICONS.idle;
}

/** storage.local: whether the mark is on, so a restarted worker's counts carry it too. */
const MARK_KEY = 'toolbarMark';

async function markOn(): Promise<boolean> {
  try {
    return (await browser.storage.local.get(MARK_KEY))[MARK_KEY] === true;
  } catch {
    return false;
  }
}

export async function showCount(tabId: number, count: number, enabled: boolean): Promise<void> {
  const mark = await markOn();
  try {
    await action().setBadgeBackgroundColor({ tabId, color: '#3b5bdb' });
    await action().setBadgeText({ tabId, text: badgeText(count, enabled, mark) });
  } catch {
    // The tab closed between the match and the badge: nothing to show it on.
  }
  try {
    await action().setIcon({ tabId, path: toolbarIcon(count, enabled) });
  } catch {
    // The tab closed, or a browser without per-tab icons: the count still says it.
  }
}

/** Puts the mark on (or takes it off) the toolbar button: the default badge and every tab's, counts kept. */
export async function setFollowMark(on: boolean): Promise<void> {
  if ((await markOn()) === on) return;
  await browser.storage.local.set({ [MARK_KEY]: on });
  try {
    await action().setBadgeBackgroundColor({ color: '#3b5bdb' });
    await action().setBadgeText({ text: on ? MARK : '' });
  } catch {
    // No toolbar button to mark (a browser without one): the popup still lists the news.
  }
  for (const tab of await browser.tabs.query({})) {
    if (tab.id === undefined) continue;
    try {
      const text = await action().getBadgeText({ tabId: tab.id });
      await action().setBadgeText({ tabId: tab.id, text: withMark(text, on) });
    } catch {
      // The tab closed meanwhile.
    }
  }
}
