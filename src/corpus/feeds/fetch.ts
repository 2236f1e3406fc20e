import { isPrivateAddress, safeHttpUrl } from '../../core/links';
import type { AppError } from '../../messaging/errors';
import { FeedError, MAX_FEED_BYTES } from './parse';

/** What one conditional GET of a feed gave: the body as bytes (decode them with readFeed or decodeFeed), or the error's code. */
export type FetchOutcome =
  | { kind: 'ok'; bytes: Uint8Array; contentType: string; etag: string | null; lastModified: string | null; maxAgeSeconds: number | null; finalUrl: string }
  | { kind: 'not-modified'; maxAgeSeconds: number | null }
  | { kind: 'error'; error: AppError };

export const FEED_TIMEOUT_MS = 20_000;
/** Redirects followed before a feed is given up on (RELIABILITY row 29). */
export const MAX_REDIRECTS = 5;

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
  /**
   * The one address on this computer or the local network (host with port, as URL.host gives it)
   * the person confirmed for this feed. Every other private address is refused, first request and
   * every redirect alike.
   */
  privateHost?: string | null;
}

/**
 * Why the worker must not fetch this URL for a feed, or null when it may: only http(s), and no
 * address on this computer or the local network except the one the person confirmed
 * (RELIABILITY row 29). Checked before every request the worker makes for a feed.
 */
export function fetchRefusal(url: string, privateHost: string | null): AppError | null {
  const href = safeHttpUrl(url);
  if (!href) return { code: 'fetchNotWebAddress' };
  if (!isPrivateAddress(href)) return null;
  const host = new URL(href).host;
  return host === privateHost ? null : { code: 'fetchPrivate', host: new URL(href).hostname };
}

/** A refusal met after a redirect says so. */
function redirected(refusal: AppError): AppError {
  return refusal.code === 'fetchPrivate' ? { code: 'fetchRedirectPrivate', host: refusal.host } : { code: 'fetchRedirectNotWeb' };
}

function maxAge(headers: Headers): number | null {
  const m = /max-age=(\d+)/i.exec(headers.get('cache-control') ?? '');
  return m ? Math.min(Number(m[1]), 86_400) : null;
}

function megabytes(bytes: number): number {
  return Math.max(1, Math.round(bytes / 1048576));
}

/**
 * Fetches a feed with a conditional GET, a timeout (RELIABILITY row 10) and a size cap enforced
 * while streaming (row 23), without cookies. Redirects are followed by hand where the runtime
 * shows them (Node, the tools): at most MAX_REDIRECTS, each new address checked with fetchRefusal
 * before it is requested (row 29).
 *
 * A browser shows no redirect to an extension's fetch: `redirect: 'manual'` gives an "opaque
 * redirect", status 0, no Location, by the Fetch standard's design ("atomic HTTP redirect
 * handling"; whatwg/fetch#601, #763), in a service worker as in a page. There the redirect is
 * followed by the browser (`redirect: 'follow'`, the browser's own cap of 20 hops) and the address
 * the feed ends at is checked: a private or non-web final address is refused and its body never
 * read. What this cannot stop (decided for issue 9, leftovers item 6): a hop in the middle that is
 * private gets a GET without cookies before the answer is refused; the extension cannot read that
 * hop's answer unless it has the host's permission (the confirmed private feed only), and any web
 * page can already make such a GET with an image tag. `redirect: 'error'` would refuse every
 * feed that moved to https or a CDN, and webRequest cannot block in Manifest V3.
 * Never throws: every failure is an error code (messaging/errors.ts) the options page puts in words.
 */
export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchOutcome> {
  const privateHost = options.privateHost ?? null;
  const timeoutMs = options.timeoutMs ?? FEED_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? MAX_FEED_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers: Record<string, string> = {
    accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  try {
    let current = url;
    let response: Response;
    for (let hop = 0; ; hop++) {
      const refusal = fetchRefusal(current, privateHost);
      if (refusal) return { kind: 'error', error: hop === 0 ? refusal : redirected(refusal) };
      const init: RequestInit = { headers, credentials: 'omit', redirect: 'manual', cache: 'no-cache', signal: controller.signal };
      response = await (options.fetch ?? fetch)(current, init);
      if (response.type === 'opaqueredirect') {
        // A browser: the target is hidden. Let the browser follow, then judge where it ended.
        response = await (options.fetch ?? fetch)(current, { ...init, redirect: 'follow' });
        const final = response.url || current;
        const finalRefusal = fetchRefusal(final, privateHost);
        if (finalRefusal) {
          void response.body?.cancel();
          return { kind: 'error', error: redirected(finalRefusal) };
        }
        current = final;
        break;
      }
      if (response.status < 300 || response.status >= 400 || response.status === 304) break;
      void response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) return { kind: 'error', error: { code: 'fetchRedirectNoAddress', status: response.status } };
      if (hop >= MAX_REDIRECTS) return { kind: 'error', error: { code: 'fetchTooManyRedirects', count: MAX_REDIRECTS } };
      const next = safeHttpUrl(location, current);
      if (!next) return { kind: 'error', error: { code: 'fetchRedirectNotWeb' } };
      current = next;
    }
    if (response.status === 304) return { kind: 'not-modified', maxAgeSeconds: maxAge(response.headers) };
    if (!response.ok) return { kind: 'error', error: { code: 'httpStatus', status: response.status } };
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      void response.body?.cancel();
      return { kind: 'error', error: { code: 'fetchTooLarge', size: megabytes(declared), limit: megabytes(maxBytes) } };
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > maxBytes) {
          void reader.cancel();
          return { kind: 'error', error: { code: 'fetchOverLimit', limit: megabytes(maxBytes) } };
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return {
      kind: 'ok',
      bytes,
      contentType: response.headers.get('content-type') ?? '',
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      maxAgeSeconds: maxAge(response.headers),
      finalUrl: current,
    };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'error', error: { code: 'fetchTimeout', seconds: Math.round(timeoutMs / 1000) } };
    if (error instanceof FeedError) return { kind: 'error', error: error.info };
    return { kind: 'error', error: { code: 'fetchConnectFailed', detail: ((error as Error).message || 'network error').slice(0, 300) } };
  } finally {
    clearTimeout(timer);
  }
}
