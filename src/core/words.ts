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
