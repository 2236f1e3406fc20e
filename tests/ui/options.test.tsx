// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULTS, type Settings } from '../../src/settings/schema';
import type { SourcesApi } from '../../src/ui/options/api';
import { Options } from '../../src/ui/options/Options';

const api = {
  listFeeds: async () => [],
  stats: async () => ({ total: 0, byKind: {}, lastPrune: null, storage: null, indexSavedAt: null, startup: null }),
  storageUsedBytes: async () => null,
  importStatus: async () => null,
  suggestedFeeds: async () => [],
} as unknown as SourcesApi;

const roots: Element[] = [];
const settle = (ms = 0) => act(async () => void (await new Promise((r) => setTimeout(r, ms))));

/** The options page over a fake settings store; `save` is what it calls for each write. */
async function openOptions(save: (patch: Partial<Settings>) => Promise<Settings>) {
  const root = document.createElement('div');
  document.body.append(root);
  roots.push(root);
  await act(async () => {
    render(<Options api={api} load={async () => ({ ...DEFAULTS })} save={save} watch={() => () => undefined} />, root);
  });
  await settle();
  const field = (name: RegExp) => {
    const label = [...root.querySelectorAll('label')].find((l) => name.test(l.textContent ?? ''));
    const input = label?.querySelector('input');
    if (!input) throw new Error(`no field ${name}`);
    return input;
  };
  const status = () => root.querySelector('main > p[role="status"]')?.textContent ?? '';
  return { field, status };
}

afterEach(() => {
  for (const root of roots.splice(0)) render(null, root);
  document.body.replaceChildren();
});

describe('Options writes settings gently, and says when a write is refused (RELIABILITY row 11)', () => {
  it('types 200 values into a number field in a burst: one write, of the last value', async () => {
    const save = vi.fn(async (patch: Partial<Settings>) => ({ ...DEFAULTS, ...patch }));
    const { field, status } = await openOptions(save);
    const input = field(/Most stories to list/);
    await act(async () => {
      for (let i = 1; i <= 200; i++) {
        input.value = String((i % 50) + 1);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    expect(save).not.toHaveBeenCalled();
    await settle(600);
    expect(save.mock.calls).toEqual([[{ maxResults: (200 % 50) + 1 }]]);
    expect(status()).toBe('Saved.');
    // A second burst after a pause is a second write, not one per keystroke.
    await act(async () => {
      for (const v of ['1', '12']) {
        input.value = v;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await settle(600);
    expect(save.mock.calls).toEqual([[{ maxResults: 1 }], [{ maxResults: 12 }]]);
  });

  it('shows a refused write (a per-minute or per-item quota) as text, and keeps working', async () => {
    const save = vi
      .fn<(patch: Partial<Settings>) => Promise<Settings>>()
      .mockRejectedValueOnce(new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.'))
      .mockImplementation(async (patch) => ({ ...DEFAULTS, ...patch }));
    const { field, status } = await openOptions(save);
    await act(async () => field(/Click-only/).click());
    await settle();
    expect(status()).toBe('Could not save the setting: This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.');
    await act(async () => field(/Click-only/).click());
    await settle();
    expect(status()).toBe('Saved.');
    expect(save).toHaveBeenCalledTimes(2);
  });
});

describe('a change not yet stored is not lost to a closed tab', () => {
  it('the browser asks before the page closes while a write or a typed number is pending, and not after', async () => {
    let finish: (settings: Settings) => void = () => undefined;
    const save = vi.fn((patch: Partial<Settings>) => new Promise<Settings>((resolve) => (finish = () => resolve({ ...DEFAULTS, ...patch }))));
    const { field } = await openOptions(save);
    const leaving = () => {
      const event = new Event('beforeunload', { cancelable: true });
      globalThis.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leaving()).toBe(false);
    const box = field(/sample articles/);
    await act(async () => void box.click());
    expect(save).toHaveBeenCalledTimes(1);
    expect(leaving()).toBe(true);
    await act(async () => finish({ ...DEFAULTS }));
    await settle();
    expect(leaving()).toBe(false);
    // A number waits for typing to pause: pending too, until it is written.
    const input = field(/Most stories to list/);
    await act(async () => {
      input.value = '7';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(leaving()).toBe(true);
    await settle(500);
    expect(save).toHaveBeenCalledTimes(2);
    await act(async () => finish({ ...DEFAULTS }));
    await settle();
    expect(leaving()).toBe(false);
  });
});

describe('Options says what went wrong where a person sees it', () => {
  it('settings that cannot be read say so (not "could not save"), and Try again reads them again', async () => {
    const root = document.createElement('div');
    document.body.append(root);
    roots.push(root);
    const load = vi
      .fn<() => Promise<Settings>>()
      .mockRejectedValueOnce(new Error('storage.local is unavailable'))
      .mockRejectedValueOnce(undefined)
      .mockResolvedValue({ ...DEFAULTS });
    await act(async () => {
      render(<Options api={api} load={load} save={async (p) => ({ ...DEFAULTS, ...p })} watch={() => () => undefined} />, root);
    });
    await settle();
    const alert = () => root.querySelector('[role="alert"]');
    expect(alert()?.querySelector('p')?.textContent).toBe('Could not load the settings: storage.local is unavailable');
    const retry = () => [...(alert()?.querySelectorAll('button') ?? [])].find((b) => b.textContent === 'Try again');
    await act(async () => retry()!.click());
    await settle();
    // A rejection that is no Error still reads as a sentence, never "undefined".
    expect(alert()?.querySelector('p')?.textContent).toBe('Could not load the settings: something went wrong in Storyline');
    await act(async () => retry()!.click());
    await settle();
    expect(load).toHaveBeenCalledTimes(3);
    expect(alert()).toBeNull();
    expect(root.querySelector('h1')?.textContent).toBe('Storyline options');
  });

  it('the line that says how a setting was saved is a status line of its own', async () => {
    const { field, status } = await openOptions(async (p) => ({ ...DEFAULTS, ...p }));
    await act(async () => field(/Click-only/).click());
    await settle();
    expect(status()).toBe('Saved.');
    // Kept in view by the stylesheet (sticky at the foot): tests/e2e/popup.test.ts measures it in Chromium.
    expect(document.querySelector('.settings-status')?.getAttribute('role')).toBe('status');
  });
});
