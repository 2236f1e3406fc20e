import { browser } from 'wxt/browser';
import { CodedError, parseAppError } from './errors';
import { CHANNEL, type Payload, type Reply, type Result, type MessageType, type TabMessageType } from './protocol';

/** Sends one protocol message to the background worker; throws a CodedError with the handler's error, checked. */
export async function send<K extends MessageType>(type: K, payload: Payload<K>): Promise<Result<K>> {
  const reply = (await browser.runtime.sendMessage({ channel: CHANNEL, type, payload })) as Reply<Result<K>> | undefined;
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') {
    throw new CodedError({ code: 'workerSilent' }, 'Storyline’s background worker did not answer.');
  }
  if (!reply.ok) throw new CodedError(parseAppError(reply.error));
  return reply.value;
}

/**
 * Sends one protocol message from the worker to a tab's content script. Undefined when the tab has
 * no receiving end (a browser page, a PDF, a tab opened before install): an ordinary "no", not an
 * error (RELIABILITY row 6).
 */
export async function sendToTab<K extends TabMessageType>(tabId: number, type: K, payload: Payload<K>): Promise<Result<K> | undefined> {
  try {
    return (await browser.tabs.sendMessage(tabId, { channel: CHANNEL, type, payload })) as Result<K> | undefined;
  } catch {
    return undefined;
  }
}
