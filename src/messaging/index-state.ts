import { browser } from 'wxt/browser';

/**
 * Whether the worker is building its index from the stored articles, kept in storage.session:
 * building is one long synchronous task (seconds at 54,000 articles) during which the worker
 * answers no message, so the popup reads the flag from the browser itself (review, helper-36).
 */
const KEY = 'indexBuilding';

export async function setIndexBuilding(building: boolean): Promise<void> {
  try {
    await browser.storage.session.set({ [KEY]: building });
  } catch {
    // storage.session unavailable: the popup says "Looking for related stories…" as before.
  }
}

export async function isIndexBuilding(): Promise<boolean> {
  try {
    return (await browser.storage.session.get(KEY))[KEY] === true;
  } catch {
    return false;
  }
}
