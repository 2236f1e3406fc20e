import { FeedError, MAX_FEED_BYTES, parseFeed, tooLarge, type ParsedFeed } from './parse';

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

/**
 * windows-1252's characters for bytes 0x80-0x9F (WHATWG Encoding), where it differs from ISO-8859-1;
 * the five bytes it leaves undefined stay the C1 controls they are.
 */
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * A decoder's output, fixed where Node's TextDecoder is wrong: for windows-1252 (also what the
 * labels "iso-8859-1", "latin1" and "us-ascii" mean) Node 20 and 22 decode bytes 0x80-0x9F as
 * ISO-8859-1 control characters (nodejs/node#56542), so `npm run feed` turned a feed's curly
 * quotes, dashes and euro signs into nothing. Browsers decode them right, and then this changes nothing.
 */
function decodeWith(found: TextDecoder, bytes: Uint8Array): string {
  const text = found.decode(bytes);
  if (found.encoding !== 'windows-1252') return text;
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
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
    if (found) return decodeWith(found, bytes);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * What the worker does with a fetched feed's bytes, and what `npm run feed` does with a saved one:
 * size check, charset decoding, then parseFeed. Throws FeedError only.
 */
export function readFeed(bytes: Uint8Array, contentType: string, feedUrl: string): ParsedFeed {
  if (bytes.byteLength > MAX_FEED_BYTES) throw tooLarge(bytes.byteLength, 1);
  let text: string;
  try {
    text = decodeFeed(bytes, contentType);
  } catch (error) {
    const detail = String((error as Error).message).slice(0, 120);
    throw new FeedError({ code: 'feedUndecodable', detail }, `could not decode the feed: ${detail}`);
  }
  return parseFeed(text, feedUrl);
}
