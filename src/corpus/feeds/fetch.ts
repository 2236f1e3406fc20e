import { FeedError, MAX_FEED_BYTES } from './parse';

/** What one conditional GET of a feed gave. */
export type FetchOutcome =
  | { kind: 'ok'; body: string; contentType: string; etag: string | null; lastModified: string | null; maxAgeSeconds: number | null; finalUrl: string }
  | { kind: 'not-modified'; maxAgeSeconds: number | null }
  | { kind: 'error'; message: string };

export const FEED_TIMEOUT_MS = 20_000;

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs?: number;
  maxBytes?: number;
  fetch?: typeof fetch;
}

function maxAge(headers: Headers): number | null {
  const m = /max-age=(\d+)/i.exec(headers.get('cache-control') ?? '');
  return m ? Math.min(Number(m[1]), 86_400) : null;
}

function megabytes(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1048576))} MB`;
}

/** The charset the response or its XML declaration names; a label TextDecoder does not know falls back to UTF-8. */
function decoderFor(contentType: string, head: Uint8Array): TextDecoder {
  const fromHeader = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  const prolog = new TextDecoder('latin1').decode(head.slice(0, 200));
  const fromXml = /<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(prolog)?.[1];
  // A UTF-8 BOM wins over any declaration: servers often declare the wrong charset.
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  for (const label of bom ? ['utf-8'] : [fromHeader, fromXml, 'utf-8']) {
    if (!label) continue;
    try {
      return new TextDecoder(label);
    } catch {
      continue;
    }
  }
  return new TextDecoder('utf-8');
}

/**
 * Fetches a feed with a conditional GET, a timeout (RELIABILITY row 10) and a size cap enforced
 * while streaming (row 23), without cookies. Never throws: every failure is a message a person can read.
 */
export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchOutcome> {
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
    const response = await (options.fetch ?? fetch)(url, {
      headers,
      credentials: 'omit',
      redirect: 'follow',
      cache: 'no-cache',
      signal: controller.signal,
    });
    if (response.status === 304) return { kind: 'not-modified', maxAgeSeconds: maxAge(response.headers) };
    if (!response.ok) return { kind: 'error', message: `HTTP ${response.status}` };
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      void response.body?.cancel();
      return { kind: 'error', message: `too large: ${megabytes(declared)} over the ${megabytes(maxBytes)} limit` };
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
          return { kind: 'error', message: `too large: over the ${megabytes(maxBytes)} limit` };
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
    const contentType = response.headers.get('content-type') ?? '';
    return {
      kind: 'ok',
      body: decoderFor(contentType, bytes).decode(bytes),
      contentType,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      maxAgeSeconds: maxAge(response.headers),
      finalUrl: response.url || url,
    };
  } catch (error) {
    if (controller.signal.aborted) return { kind: 'error', message: `timed out after ${Math.round(timeoutMs / 1000)} s` };
    if (error instanceof FeedError) return { kind: 'error', message: error.message };
    return { kind: 'error', message: `could not connect: ${(error as Error).message || 'network error'}` };
  } finally {
    clearTimeout(timer);
  }
}
