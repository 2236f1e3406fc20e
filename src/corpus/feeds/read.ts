import { FeedError, MAX_FEED_BYTES, parseFeed, type ParsedFeed } from './parse';

/** The charset a Content-Type header names ("application/rss+xml; charset=iso-8859-1"), if any. */
function headerCharset(contentType: string): string | undefined {
  return /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
}

/** The encoding the first bytes prove: a byte-order mark, or UTF-16's tell-tale zero bytes. */
function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // No BOM, but "<" as two bytes (XML 1.0 appendix F): UTF-16 all the same.
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] !== 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00) return 'utf-16be';
  return null;
}

function decoder(label: string | undefined): TextDecoder | null {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

/**
 * The feed's bytes as text. Which charset: a byte-order mark first (UTF-8 or UTF-16), then the XML
 * declaration's encoding (servers often send a wrong or default header charset; the document knows
 * what it is), then the Content-Type header, then UTF-8. A declaration naming UTF-16 or UTF-32 in a
 * document readable as single bytes is wrong by definition and ignored. Unknown labels fall through.
 */
export function decodeFeed(bytes: Uint8Array, contentType: string): string {
  const bom = bomEncoding(bytes);
  if (bom) return new TextDecoder(bom).decode(bytes);
  const prolog = new TextDecoder('latin1').decode(bytes.subarray(0, 256));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(prolog)?.[1];
  const fromXml = declared && !/^(utf-?16|utf-?32|ucs-?2)/i.test(declared) ? declared : undefined;
  for (const label of [fromXml, headerCharset(contentType)]) {
    const found = decoder(label);
    if (found) return found.decode(bytes);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * What the worker does with a fetched feed's bytes, and what `npm run feed` does with a saved one:
 * size check, charset decoding, then parseFeed. Throws FeedError only.
 */
export function readFeed(bytes: Uint8Array, contentType: string, feedUrl: string): ParsedFeed {
  if (bytes.byteLength > MAX_FEED_BYTES) {
    throw new FeedError('too-large', `too large: ${(bytes.byteLength / 1048576).toFixed(1)} MB over the 5 MB limit`);
  }
  let text: string;
  try {
    text = decodeFeed(bytes, contentType);
  } catch (error) {
    throw new FeedError('malformed', `could not decode the feed: ${(error as Error).message}`);
  }
  return parseFeed(text, feedUrl);
}
