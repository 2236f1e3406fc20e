import { browser } from 'wxt/browser';

/** Badge text for a count: hidden at 0, never more than 4 characters. */
export function badgeText(count: number, enabled: boolean): string {
  if (!enabled || count <= 0) return '';
  return count > 999 ? '999+' : String(count);
}

// MV2 Firefox has browserAction where MV3 has action.
function action() {
  return browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
}

export async function showCount(tabId: number, count: number, enabled: boolean): Promise<void> {
  try {
    await action().setBadgeBackgroundColor({ tabId, color: '#3b5bdb' });
    await action().setBadgeText({ tabId, text: badgeText(count, enabled) });
  } catch {
    // The tab closed between the match and the badge: nothing to show it on.
  }
}
