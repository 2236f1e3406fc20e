/** Letters and digits only, lower case, accents off: "The Guardian" is "theguardian". */
export function squash(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A text's words of two letters or digits or more, lower case. */
export function wordsOf(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 1),
  );
}

const FIRST_LETTER = /\p{L}/u;
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;

/**
 * The direction a text reads in, by its first letter (as `dir="auto"` decides): for text drawn as
 * generated content (the badge card), which `dir="auto"` cannot see. null when it has no letter.
 */
export function textDirection(text: string): 'rtl' | 'ltr' | null {
  const first = FIRST_LETTER.exec(text)?.[0];
  if (first === undefined) return null;
  return RIGHT_TO_LEFT.test(first) ? 'rtl' : 'ltr';
}

/**
 * Characters page, feed and file text never keeps: C0 and C1 controls other than tab and line
 * breaks (which fold to spaces), bidi marks, embeddings, overrides and isolates (an invisible mark
 * turned "Ukraine attacks Russia" into a line reading "Russia attacks Ukraine": attack review,
 * helper-35), word joiners and invisible operators, the Mongolian vowel separator, interlinear
 * annotation marks and byte-order marks (tag characters: see dropTags). ZWJ and ZWNJ stay: they join emoji and
 * Persian words.
 */
// oxlint-disable-next-line no-control-regex
export const INVISIBLE_CHARACTERS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u180e\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/**
 * Tag characters (U+E0000-E007F) are invisible, except inside a subdivision flag (black flag, tags,
 * cancel tag: Scotland's flag); elsewhere they are dropped.
 */
export function dropTags(text: string): string {
  return text.replace(/(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\u{E0000}-\u{E007F}]/gu, (_, flag: string | undefined) => flag ?? '');
}

/**
 * More than eight combining marks on one letter are cut: a letter with 299 painted over the lines
 * around it. Eight leaves every script's real stacks whole (Hebrew with points and cantillation,
 * Vietnamese, Tibetan).
 */
export function tameMarks(text: string): string {
  return text.replace(/(\p{M}{8})\p{M}+/gu, '$1');
}

/** A BCP 47 language tag as pages state it and the worker accepts it: "en", "en-GB", "zh-Hant-TW". */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;
