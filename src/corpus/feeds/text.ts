import { decodeEntities } from '../../extract/entities';
import { dropTags, INVISIBLE_CHARACTERS, tameMarks } from '../../core/words';

/**
 * Input longer than this is cut before any cleaning: a description is shown as at most 600
 * characters, and 64 KB leaves room for markup-heavy HTML before its first words.
 */
export const MAX_HTML_INPUT = 65_536;

/** Elements whose end starts a new line of text; any other tag joins the text around it. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

/** ASCII-only lower case: keeps every index of the original string (toLowerCase can change lengths). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** The tag name starting at `from` in the lower-cased text (letters and digits). */
function nameAt(lower: string, from: number): string {
  let end = from;
  while (end < lower.length && end - from < 32) {
    const c = lower.charCodeAt(end);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) break;
    end++;
  }
  return lower.slice(from, end);
}

/**
 * One left-to-right pass: tags, comments, CDATA markers and script/style elements removed,
 * entities decoded. Every search starts where the last one ended and the cursor only moves
 * forward, so the pass is linear in the input whatever the input is: an unclosed tag, comment
 * or script ends the text (as it would in a browser's parser), it is not searched for again.
 */
function stripOnce(html: string, decode: boolean, unclosed: 'drop' | 'keep'): string {
  const lower = asciiLower(html);
  const out: string[] = [];
  let textFrom = 0;
  let i = 0;
  const unclosedRaw = new Set<string>();
  const flush = (to: number, joiner: string) => {
    if (to > textFrom) out.push(decode ? decodeEntities(html.slice(textFrom, to)) : html.slice(textFrom, to));
    if (joiner) out.push(joiner);
  };
  // A CDATA section's closing marker is not text either.
  const finish = () => out.join('').replaceAll(']]>', '');
  for (;;) {
    i = html.indexOf('<', i);
    if (i < 0) break;
    const next = lower.charCodeAt(i + 1);
    if (lower.startsWith('<![cdata[', i)) {
      flush(i, '');
      i += 9;
      textFrom = i;
      continue;
    }
    if (lower.startsWith('<!--', i)) {
      flush(i, ' ');
      const end = html.indexOf('-->', i + 4);
      if (end < 0) return finish();
      i = end + 3;
      textFrom = i;
      continue;
    }
    const closing = next === 47; // "/"
    const nameFrom = closing ? i + 2 : i + 1;
    if (!(isLetter(lower.charCodeAt(nameFrom)) || (!closing && (next === 33 || next === 63)))) {
      // "a < b", "<3", "< /p>": text, not a tag.
      i++;
      continue;
    }
    const name = nameAt(lower, nameFrom);
    const close = html.indexOf('>', nameFrom);
    if (close < 0) {
      // No ">" from here on, so no tag closes after this point either. A browser drops a tag cut
      // off by the end of the document; text that came from decoded entities keeps its "<".
      flush(unclosed === 'keep' ? html.length : i, '');
      return finish();
    }
    const raw = !closing && (name === 'script' || name === 'style');
    // Searched for at most until it is found missing: the cursor only moves forward, so an end tag
    // absent after one point is absent after every later one (the pass stays linear).
    const end = raw && !unclosedRaw.has(name) ? lower.indexOf(`</${name}`, close + 1) : -1;
    if (raw && end < 0) unclosedRaw.add(name);
    if (raw && (end >= 0 || unclosed === 'drop')) {
      flush(i, ' ');
      // Markup's own script never closed: the rest is its code. A "<script>" that decoding revealed
      // ('keep') is a word in the text ("... tax &lt;script&gt; Køge"): only the tag goes, as below.
      if (end < 0) return finish();
      const endClose = html.indexOf('>', end);
      if (endClose < 0) return finish();
      i = endClose + 1;
      textFrom = i;
      continue;
    }
    flush(i, BLOCKS.has(name) ? ' ' : '');
    i = close + 1;
    textFrom = i;
  }
  flush(html.length, '');
  return finish();
}

/**
 * Feed HTML reduced to plain text, without an HTML parser (the service worker has none, and feed
 * markup must never be parsed into live nodes): tags dropped, entities decoded, whitespace collapsed,
 * control and bidi-override characters removed. The input is cut to MAX_HTML_INPUT first, and each
 * step is linear in it (RELIABILITY row 23: a hostile description cannot stall the worker).
 */
export function htmlToText(html: string, max = 600): string {
  let text = stripOnce(html.slice(0, MAX_HTML_INPUT), true, 'drop');
  // Feeds often escape their HTML twice ("&lt;p&gt;caf&amp;eacute;"): drop the tags that
  // decoding revealed, then decode the HTML's own entities; a third level of tags is dropped.
  if (/[<&]/.test(text)) text = stripOnce(text, true, 'keep');
  if (text.includes('<')) text = stripOnce(text, false, 'keep');
  text = tameMarks(
    dropTags(text)
      .replace(INVISIBLE_CHARACTERS, '')
      .replace(/[\s\u00a0]+/g, ' ')
      .trim(),
  );
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
