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

/** The Web Locks lock every settings write holds: one per origin, so shared by every context. */
export const SETTINGS_LOCK = 'storyline-settings';

interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The origin's lock manager: the options pages, the popup and the worker share one. */
function locks(): Locks | undefined {
  return (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
}

/**
 * Merges a change into the stored settings. Writes are serialised: each reads what the one before
 * it wrote, so two quick changes ("history off", then "10 results") both land (finding 8 of
 * issue 9: read-merge-write raced and lost the first). Within one page the writes queue up here;
 * across pages (two options tabs, the options page and the popup) each read-merge-write holds the
 * origin's Web Lock, so another context's write waits for it rather than overwriting it with what
 * it read before (issue 9, leftovers item 5). storage.local has no compare-and-set to retry on,
 * and a lock keeps the write in the page that knows what it changed; Chrome and Firefox (96 on)
 * have Web Locks in extension pages and workers. A failed write fails only its own caller.
 */
export function saveSettings(patch: Partial<Settings>): Promise<Settings> {
  const merge = async () => {
    const next = parseSettings({ ...toStored(await loadSettings()), ...patch });
    await browser.storage.local.set({ [KEY]: toStored(next) });
    return next;
  };
  const run = () => {
    const manager = locks();
    return manager ? manager.request(SETTINGS_LOCK, merge) : merge();
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
