import { afterEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { send, VIEW_TIMEOUT_MS } from '../../src/messaging/client';
import { CodedError } from '../../src/messaging/errors';

describe('a view that waits on the worker says when it does not answer (not a loading line for ever)', () => {
  const original = browser.runtime.sendMessage;
  afterEach(() => {
    (browser.runtime as { sendMessage: unknown }).sendMessage = original;
    vi.useRealTimers();
  });

  it('with a timeout: a worker that never answers is workerSilent after it; one that answers in time is read', async () => {
    vi.useFakeTimers();
    let answer: ((reply: unknown) => void) | undefined;
    (browser.runtime as { sendMessage: unknown }).sendMessage = () => new Promise((resolve) => (answer = resolve));
    let outcome: unknown = 'pending';
    void send('search', { query: 'ukraine' }, { timeoutMs: VIEW_TIMEOUT_MS }).then(
      () => (outcome = 'answered'),
      (error: unknown) => (outcome = error),
    );
    await vi.advanceTimersByTimeAsync(VIEW_TIMEOUT_MS - 1);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(CodedError);
    expect((outcome as CodedError).info).toEqual({ code: 'workerSilent' });
    // An answer that comes later changes nothing.
    answer!({ ok: true, value: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome).toBeInstanceOf(CodedError);

    const quick = send('search', { query: 'ukraine' }, { timeoutMs: VIEW_TIMEOUT_MS });
    answer!({ ok: true, value: [] });
    await expect(quick).resolves.toEqual([]);
  });

  it('without one (the content script, an import) it waits as long as the worker takes', async () => {
    vi.useFakeTimers();
    let answer: ((reply: unknown) => void) | undefined;
    (browser.runtime as { sendMessage: unknown }).sendMessage = () => new Promise((resolve) => (answer = resolve));
    let done = false;
    const waiting = send('search', { query: 'ukraine' }).then((value) => ((done = true), value));
    await vi.advanceTimersByTimeAsync(VIEW_TIMEOUT_MS * 3);
    expect(done).toBe(false);
    answer!({ ok: true, value: [] });
    await expect(waiting).resolves.toEqual([]);
  });
});
