import { toAppError } from './errors';
import { BadMessage, envelopeType, parseEnvelope } from './validate';
import { SENDERS, type Payload, type Reply, type Result, type WorkerMessageType } from './protocol';

/** What the handler knows of the sender, taken from the browser, never from the message. */
export interface SenderInfo {
  tabId: number | null;
  incognito: boolean;
  /** The sending frame's URL, as the browser reports it. */
  url: string | null;
}

/** One handler for every message the worker answers: the map cannot miss a key of the protocol. */
export type Handlers = {
  [K in WorkerMessageType]: (payload: Payload<K>, sender: SenderInfo) => Promise<Result<K>> | Result<K>;
};

interface MessageSender {
  id?: string;
  url?: string;
  tab?: { id?: number; incognito?: boolean };
  frameId?: number;
  /** Chrome: "prerender" for a page loaded ahead of a click the person may never make. */
  documentLifecycle?: string;
}

/**
 * One runtime.onMessage listener for the whole protocol. Messages from other extensions or
 * web pages, and anything that is not a Storyline envelope, are ignored. A known message with a
 * bad payload, or a handler that throws, is answered `{ ok: false, error }`, never left hanging.
 *
 * Works with every way browsers deliver answers: it calls `sendResponse` and returns true when
 * one is passed (bare Chrome, Firefox, the polyfill; Chrome < 147 drops returned promises), and
 * returns the promise when none is (the test fake).
 */
export function createMessageListener(handlers: Handlers, extensionId: string, extensionOrigin: string) {
  return (message: unknown, sender: MessageSender, sendResponse?: (reply: unknown) => void) => {
    if (sender?.id !== extensionId) return undefined;
    const type = envelopeType(message);
    // A message the worker itself sends (to tabs, or notices to its pages) is never one it answers.
    if (!type || SENDERS[type] === 'worker' || SENDERS[type] === 'pages') return undefined;
    const fromExtensionPage = typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
    const tabId = typeof sender.tab?.id === 'number' ? sender.tab.id : null;
    if (SENDERS[type] === 'extension' && !fromExtensionPage) return undefined;
    if (SENDERS[type] === 'content' && (fromExtensionPage || tabId === null)) return undefined;
    // A page prerendered ahead of a click (or a frame, which Storyline never reads) does not speak
    // for the tab: its pageRead would name an article the person never opened (helper-40).
    if (SENDERS[type] === 'content' && (sender.documentLifecycle === 'prerender' || (typeof sender.frameId === 'number' && sender.frameId !== 0)))
      return undefined;
    const reply = answer(handlers, type as WorkerMessageType, message, {
      tabId,
      incognito: sender.tab?.incognito === true,
      url: typeof sender.url === 'string' ? sender.url : null,
    });
    if (typeof sendResponse === 'function') {
      void reply.then(sendResponse);
      return true;
    }
    return reply;
  };
}

async function answer<K extends WorkerMessageType>(handlers: Handlers, type: K, message: unknown, sender: SenderInfo): Promise<Reply<Result<K>>> {
  try {
    const { payload } = parseEnvelope(type, message);
    const handler = handlers[type] as (p: Payload<K>, s: SenderInfo) => Promise<Result<K>> | Result<K>;
    return { ok: true, value: await handler(payload, sender) };
  } catch (error) {
    // A handler's CodedError keeps its code; a refused payload is a bad request; anything else is internal.
    return { ok: false, error: error instanceof BadMessage ? { code: 'badRequest', detail: error.message.slice(0, 300) } : toAppError(error) };
  }
}
