import { browser } from 'wxt/browser';
import { CodedError, parseAppError } from './errors';
import { CHANNEL, type PageMessageType, type Payload, type Reply, type Result, type MessageType, type TabMessageType } from './protocol';
import { envelopeType, parseEnvelope } from './validate';

/**
 * How long a view waits for the worker before saying it did not answer (with Try again), rather
 * than a loading line for ever. Far above any answer's time: a cold worker rebuilding a
 * 54,000-article index answers in seconds.
 */
export const VIEW_TIMEOUT_MS = 30_000;

const silent = () => new CodedError({ code: 'workerSilent' }, 'Storyline’s background worker did not answer.');

/**
 * Sends one protocol message to the background worker; throws a CodedError with the handler's
 * error, checked. `timeoutMs`: for a view a person waits on, the wait after which it throws
 * `workerSilent` (an answer arriving later is dropped).
 */
export async function send<K extends MessageType>(type: K, payload: Payload<K>, options: { timeoutMs?: number } = {}): Promise<Result<K>> {
  const sending = browser.runtime.sendMessage({ channel: CHANNEL, type, payload }) as Promise<Reply<Result<K>> | undefined>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const reply =
    options.timeoutMs === undefined
      ? await sending
      : await Promise.race([
          sending,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(silent()), options.timeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') throw silent();
  if (!reply.ok) throw new CodedError(parseAppError(reply.error));
  return reply.value;
}

/**
 * Sends one protocol message from the worker to a tab's content script (its top frame, the only
 * one Storyline's script runs in). Undefined when the tab has
 * no receiving end (a browser page, a PDF, a tab opened before install): an ordinary "no", not an
 * error (RELIABILITY row 6).
 */
export async function sendToTab<K extends TabMessageType>(tabId: number, type: K, payload: Payload<K>): Promise<Result<K> | undefined> {
  try {
    return (await browser.tabs.sendMessage(tabId, { channel: CHANNEL, type, payload }, { frameId: 0 })) as Result<K> | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Worker -> the extension's own pages (the side panel): a notice nobody answers. No page open is
 * an ordinary "no one listening" (Chrome rejects with "Receiving end does not exist"), not an error.
 */
export async function notifyPages<K extends PageMessageType>(type: K, payload: Payload<K>): Promise<void> {
  try {
    await browser.runtime.sendMessage({ channel: CHANNEL, type, payload });
  } catch {
    // Nobody listening.
  }
}

/**
 * An extension page listens for one worker notice. Only the extension itself is heard; anything else
 * (other pages' requests to the worker, which every extension page's listener also sees) is left
 * alone, never answered, so the worker's answer still reaches its sender. The payload is validated
 * here, at the boundary. Returns the function that stops listening.
 */
export function onNotice<K extends PageMessageType>(type: K, handler: (payload: Payload<K>) => void): () => void {
  const listener = (message: unknown, sender: { id?: string }) => {
    if (sender?.id !== browser.runtime.id || envelopeType(message) !== type) return undefined;
    try {
      handler(parseEnvelope(type, message).payload);
    } catch {
      // A malformed notice is dropped.
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener as never);
  return () => browser.runtime.onMessage.removeListener(listener as never);
}
