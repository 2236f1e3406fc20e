import { stemmer } from 'stemmer';
import { STOPWORDS } from './stopwords';

/**
 * Text analysis for headlines and descriptions, shared by the index, the re-ranker and the
 * benchmark so that every stage sees the same terms.
 */

export interface Token {
  /** Normalised, stemmed form used for matching. */
  term: string;
  /** The word as written (diacritics and quotes folded), for "matched words". */
  surface: string;
  /** A name, acronym or number: carries more weight than a common word. */
  entity: boolean;
  number: boolean;
}

export interface Analysis {
  tokens: Token[];
  /** The text ended in "..." or "…": its last word may be cut short. */
  truncated: boolean;
}

const QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]/g;

/** Folds diacritics, curly quotes, dashes and invisible characters; keeps case. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(INVISIBLE, '')
    .replace(QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-');
}

// A word: letters/digits, optionally joined by . , ' - inside (1.5, 9-year-old, U.S., don't),
// optionally led by a currency sign ($7bn, £1.5billion).
const WORD = /[$£€¥]?[\p{L}\p{N}]+(?:[.,'\-&][\p{L}\p{N}]+)*/gu;

/** The analyser's language key for a BCP 47 tag: "en-GB" -> "en"; unknown -> "en" rules without stemming. */
export function languageOf(lang: string | null | undefined): { stopwords: ReadonlySet<string>; stem: boolean } {
  const base = (lang ?? '').toLowerCase().split(/[-_]/)[0];
  if (!base || base === 'en') return { stopwords: STOPWORDS.en, stem: true };
  const own = STOPWORDS[base];
  // Unknown languages keep every word and skip English stemming, which would mangle them;
  // English stopwords still go, as English words turn up in most headlines anyway.
  return { stopwords: own ?? STOPWORDS.en, stem: false };
}

function isTitleCase(words: string[]): boolean {
  const letters = words.filter((w) => /^\p{L}/u.test(w));
  if (letters.length < 3) return false;
  const upper = letters.filter((w) => /^\p{Lu}/u.test(w)).length;
  return upper / letters.length > 0.6;
}

/** Porter stems by word: a library's vocabulary repeats, and stemming is most of analysis's time. */
const stems = new Map<string, string>();
const MAX_STEMS = 200_000;

function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= MAX_STEMS) stems.clear();
    stem = stemmer(word);
    stems.set(word, stem);
  }
  return stem;
}

/** Splits text into analysed tokens, stopwords removed. */
export function analyze(text: string, lang?: string | null): Analysis {
  const folded = foldText(text).trim();
  const truncated = /(\.\.\.|…)$/.test(folded);
  const { stopwords, stem } = languageOf(lang);
  const words = folded.match(WORD) ?? [];
  const titleCase = isTitleCase(words);
  const tokens: Token[] = [];
  let sentenceStart = true;
  let index = 0;
  for (const raw of words) {
    const position = index++;
    const atStart = sentenceStart || position === 0;
    sentenceStart = false;
    let word = raw.replace(/'s$/i, '').replace(/'$/, '');
    const lower = word.toLowerCase();
    if (!lower || stopwords.has(lower) || stopwords.has(raw.toLowerCase())) continue;
    const number = /\p{N}/u.test(word);
    const acronym = /^(?:\p{Lu}\.?){2,}$/u.test(word) && word.length <= 8;
    const capitalised = /^\p{Lu}/u.test(word);
    const entity = number || acronym || (capitalised && !atStart && !titleCase);
    let term: string;
    if (number) {
      // "1,000" and "1000" are one number; "$7bn" keeps its unit.
      term = lower.replace(/(\d),(?=\d{3}\b)/g, '$1');
    } else if (acronym) {
      term = lower.replace(/\./g, '');
    } else {
      word = lower.replace(/\.$/, '');
      if (word.length < 2 && !/\p{Lo}/u.test(word)) continue;
      // A word cut off by "..." is a prefix, not a word: stemming would mangle it ("Oce" -> "oc").
      const cut = truncated && position === words.length - 1;
      term = stem && !cut && /^[a-z'\-&]+$/.test(word) ? stemOf(word.replace(/'/g, '')) : word;
    }
    if (!term) continue;
    tokens.push({ term, surface: raw.replace(/'s$/i, ''), entity, number });
  }
  return { tokens, truncated };
}

/** The distinct terms of a text, in order of first appearance. */
export function terms(text: string, lang?: string | null): string[] {
  return [...new Set(analyze(text, lang).tokens.map((t) => t.term))];
}
