import { decodeHTML, decodeHTMLAttribute } from 'entities';

/**
 * Decodes HTML character references in text that came from JSON, feeds or OPML, without a parser:
 * the text never reaches an HTML parser (RELIABILITY row 25). The `entities` package knows every
 * named reference of the HTML standard, keeps their case (`&Eacute;` is "É", not "é"), and decodes
 * as a browser does in text: numeric references, and the legacy names that need no semicolon. An
 * `&` that starts no reference ("AT & T", "&unknown;") is left as it is.
 */
export function decodeEntities(text: string): string {
  return decodeHTML(text);
}

/**
 * Decodes an attribute value (an OPML `xmlUrl`) as a browser does: a legacy name followed by `=`
 * or a letter is not a reference there, so `?a=1&copy=2` stays a query string, not "?a=1©=2".
 */
export function decodeAttribute(value: string): string {
  return decodeHTMLAttribute(value);
}

/** Collapses whitespace, decodes entities, trims. */
export function cleanInline(text: string | null | undefined): string | null {
  if (!text) return null;
  const cleaned = decodeEntities(text)
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
  return cleaned || null;
}

/** Characters that paint nothing: control characters (helper-38: a headline of them alone dropped the page at the boundary), format and joiner characters, combining marks alone, spaces, and the blank letters and symbols (Hangul fillers, the blank Braille pattern, the object replacement). */
const BLANK = /[\p{Cc}\p{Cf}\p{M}\p{Z}\s\u115f\u1160\u3164\uffa0\u2800\ufffc]/gu;

/** Whether a reader would see anything of the text (a title of zero-width characters is an empty link). */
export function hasVisibleText(text: string): boolean {
  return text.replace(BLANK, '').length > 0;
}
