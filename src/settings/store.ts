import { browser } from 'wxt/browser';
import { parseSettings, toStored, type Settings } from './schema';

const KEY = 'settings';

/** Settings live in storage.local: small, no sync quotas to trip over. */
export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(KEY);
  return parseSettings(stored[KEY]);
}

export async function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = parseSettings({ ...toStored(await loadSettings()), ...patch });
  await browser.storage.local.set({ [KEY]: toStored(next) });
  return next;
}

/** Calls back with the new settings whenever any context changes them. Returns an unsubscribe. */
export function watchSettings(callback: (settings: Settings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && KEY in changes) callback(parseSettings(changes[KEY].newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
