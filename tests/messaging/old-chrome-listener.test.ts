import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMessageListener, type Handlers } from '../../src/messaging/serve';

/**
 * RELIABILITY row 9: Chrome before ~147 gives the sender `undefined` when an onMessage listener
 * returns a Promise; only a listener that returns `true` and calls `sendResponse` later is waited for.
 *
 * What this proves: the worker's listener as the background wires it (createMessageListener behind
 * webextension-polyfill's onMessage wrapper, the real polyfill module) answers under that rule,
 * played by a stand-in `chrome` that keeps the channel open only for a literal `true`; and the stand-in
 * does drop a listener that returns its Promise (the last test), so it can tell the two apart.
 * What it does not prove: it is not an old Chromium. We cannot pin one (Debian ships one Chromium),
 * so no end-to-end test runs there; the content script's own `activate` listener
 * (entrypoints/content.ts: `sendResponse` + `return true`) is checked by reading, not by this test.
 */
const ID = 'storyline-test';

/** Old Chrome's dispatch: the answer is what sendResponse gets, if a listener returned true; else undefined at once. */
function oldChrome() {
  const listeners: ((message: unknown, sender: unknown, sendResponse: (r: unknown) => void) => unknown)[] = [];
  const dispatch = (message: unknown, sender: unknown) =>
    new Promise<unknown>((resolve) => {
      let open = false;
      for (const listener of listeners) if (listener(message, sender, resolve) === true) open = true;
      if (!open) resolve(undefined);
    });
  const chrome = {
    runtime: {
      id: ID,
      getURL: (path: string) => `chrome-extension://${ID}${path}`,
      onMessage: {
        addListener: (listener: (typeof listeners)[number]) => listeners.push(listener),
        removeListener: () => undefined,
        hasListener: () => true,
      },
    },
  };
  return { chrome, dispatch };
}

const handlers = new Proxy({} as Handlers, {
  get: () => async () => ({ total: 1, same: 0, stories: [] }),
});
const fromContent = { id: ID, url: 'https://news.example/a', tab: { id: 7 } };
const pageRead = { channel: 'storyline', type: 'pageRead', payload: null };

async function polyfillOver(chrome: unknown): Promise<{ runtime: { onMessage: { addListener(listener: unknown): void } } }> {
  vi.stubGlobal('chrome', chrome);
  vi.resetModules();
  const polyfill = (await import('webextension-polyfill')) as unknown as { default: { runtime: { onMessage: { addListener(listener: unknown): void } } } };
  return polyfill.default;
}

afterEach(() => vi.unstubAllGlobals());

describe('answers on a Chrome that drops returned promises (RELIABILITY row 9)', () => {
  it('the worker’s listener alone: sendResponse and true', async () => {
    const { chrome, dispatch } = oldChrome();
    chrome.runtime.onMessage.addListener(createMessageListener(handlers, ID, `chrome-extension://${ID}/`) as never);
    expect(await dispatch(pageRead, fromContent)).toEqual({ ok: true, value: { total: 1, same: 0, stories: [] } });
  });

  it('the worker’s listener behind the polyfill, as the background registers it', async () => {
    const { chrome, dispatch } = oldChrome();
    const browser = await polyfillOver(chrome);
    browser.runtime.onMessage.addListener(createMessageListener(handlers, ID, `chrome-extension://${ID}/`));
    expect(await dispatch(pageRead, fromContent)).toEqual({ ok: true, value: { total: 1, same: 0, stories: [] } });
  });

  it('the stand-in drops a bare listener that returns its promise, as old Chrome did', async () => {
    const { chrome, dispatch } = oldChrome();
    chrome.runtime.onMessage.addListener((async () => ({ ok: true })) as never);
    expect(await dispatch(pageRead, fromContent)).toBeUndefined();
  });
});
