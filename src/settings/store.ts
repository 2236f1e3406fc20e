import { browser } from 'wxt/browser';
import { parseSettings, toStored, type Settings } from './schema';

const KEY = 'settings';

/** Settings live in storage.local: small, no sync quotas to trip over. */
export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(KEY);
  return parseSettings(stored[KEY]);
}

/** The last write this page or worker started; the next one waits for it. */
let writing: Promise<unknown> = Promise.resolve();

/**
 * Merges a change into the stored settings. Writes are serialised: each reads what the one before
 * it wrote, so two quick changes ("history off", then "10 results") both land (finding 8 of
 * issue 9: read-merge-write raced and lost the first). A failed write fails only its own caller.
 */
export function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const run = async () => {
    const next = parseSettings({ ...toStored(await loadSettings()), ...patch });
    await browser.storage.local.set({ [KEY]: toStored(next) });
    return next;
  };
  const result = writing.then(run);
  writing = result.catch(() => undefined);
  return result;
}

/** Calls back with the new settings whenever any context changes them. Returns an unsubscribe. */
export function watchSettings(callback: (settings: Settings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && KEY in changes) callback(parseSettings(changes[KEY].newValue));
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
