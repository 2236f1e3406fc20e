import { browser } from 'wxt/browser';
import { CHANNEL, type MessageType, type Payload, type Reply, type Result } from './protocol';

/** Sends one protocol message to the background worker; throws with the handler's error message. */
export async function send<K extends MessageType>(type: K, payload: Payload<K>): Promise<Result<K>> {
  const reply = (await browser.runtime.sendMessage({ channel: CHANNEL, type, payload })) as Reply<Result<K>> | undefined;
  if (!reply || typeof reply !== 'object' || typeof reply.ok !== 'boolean') {
    throw new Error('Storyline’s background worker did not answer.');
  }
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
