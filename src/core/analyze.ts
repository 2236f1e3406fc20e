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
  /** Shared between analyses: read, never change them. */
  tokens: readonly Readonly<Token>[];
  /** The text ended in "..." or "…": its last word may be cut short. */
  truncated: boolean;
}

const QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const DASHES = /[\u2010-\u2015\u2212]/g;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]/g;

/** ASCII without the backtick: text that folding leaves as it is (most headlines; see foldText). */
const PLAIN_ASCII = /^[\x00-\x5f\x61-\x7f]*$/;

/** Folds diacritics, curly quotes, dashes and invisible characters; keeps case. */
export function foldText(text: string): string {
  if (PLAIN_ASCII.test(text)) return text;
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

interface Language {
  readonly stopwords: ReadonlySet<string>;
  readonly stem: boolean;
  readonly key: string;
}

/** languageOf per tag as given: asked once per analysed text. */
const languages = new Map<string, Language>();

/** The analyser's language key for a BCP 47 tag: "en-GB" -> "en"; unknown -> "en" rules without stemming. */
export function languageOf(lang: string | null | undefined): Language {
  const tag = lang ?? '';
  let language = languages.get(tag);
  if (!language) {
    if (languages.size >= 1000) languages.clear();
    language = Object.freeze(languageRules(tag));
    languages.set(tag, language);
  }
  return language;
}

function languageRules(lang: string): Language {
  const base = (lang ?? '').toLowerCase().split(/[-_]/)[0];
  if (!base || base === 'en') return { stopwords: STOPWORDS.en, stem: true, key: 'en' };
  const own = STOPWORDS[base];
  // Unknown languages keep every word and skip English stemming, which would mangle them;
  // English stopwords still go, as English words turn up in most headlines anyway.
  return { stopwords: own ?? STOPWORDS.en, stem: false, key: base };
}

/** What analysis makes of one word, whatever its place in the text (see analyze). */
interface Word {
  /** Null: a stopword or too short, not a term. */
  term: string | null;
  surface: string;
  number: boolean;
  acronym: boolean;
  /** Starts with a capital letter; `letter`: starts with a letter at all. */
  capitalised: boolean;
  letter: boolean;
  /** Its token as a common word and as an entity, made when first needed and shared (frozen). */
  plain: Token | undefined;
  named: Token | undefined;
}

/**
 * Words analysed once per language: a library's vocabulary repeats (most of a headline's words
 * were seen before), and the regular expressions and stemming per word were most of the time of
 * indexing. Cleared past MAX_WORDS, so a long-lived worker's memory stays bounded.
 */
const words = new Map<string, Map<string, Word>>();
const MAX_WORDS = 200_000;
let cached = 0;

/** The language's word cache (see wordOf). */
function wordsOf(language: string): Map<string, Word> {
  let known = words.get(language);
  if (!known) words.set(language, (known = new Map()));
  return known;
}

function wordOf(raw: string, known: Map<string, Word>, language: Language): Word {
  let word = known.get(raw);
  if (word === undefined) {
    if (cached >= MAX_WORDS) {
      // Every language's cache goes; this one is started again under its key.
      words.clear();
      known.clear();
      words.set(language.key, known);
      cached = 0;
    }
    word = analyseWord(raw, language.stopwords, language.stem, false);
    known.set(raw, word);
    cached++;
  }
  return word;
}

function analyseWord(raw: string, stopwords: ReadonlySet<string>, stem: boolean, cut: boolean): Word {
  const word = raw.replace(/'s$/i, '').replace(/'$/, '');
  const lower = word.toLowerCase();
  const surface = raw.replace(/'s$/i, '');
  const capitalised = /^\p{Lu}/u.test(word);
  const letter = /^\p{L}/u.test(raw);
  // Every word of one shape, its tokens' places included (made when first needed; see analyze).
  const made = (term: string | null, number: boolean, acronym: boolean): Word => ({
    term,
    surface,
    number,
    acronym,
    capitalised,
    letter,
    plain: undefined,
    named: undefined,
  });
  if (!lower || stopwords.has(lower) || stopwords.has(raw.toLowerCase())) return made(null, false, false);
  const number = /\p{N}/u.test(word);
  const acronym = /^(?:\p{Lu}\.?){2,}$/u.test(word) && word.length <= 8;
  let term: string;
  if (number) {
    // "1,000" and "1000" are one number; "$7bn" keeps its unit.
    term = lower.replace(/(\d),(?=\d{3}\b)/g, '$1');
  } else if (acronym) {
    term = lower.replace(/\./g, '');
  } else {
    const plain = lower.replace(/\.$/, '');
    if (plain.length < 2 && !/\p{Lo}/u.test(plain)) return made(null, number, acronym);
    // A word cut off by "..." is a prefix, not a word: stemming would mangle it ("Oce" -> "oc").
    term = stem && !cut && /^[a-z'\-&]+$/.test(plain) ? stemOf(plain.replace(/'/g, '')) : plain;
  }
  return made(term || null, number, acronym);
}

/** Mostly capitalised words ("Obama Says Ukraine Talks Will Go On"): capitals mark no names there. */
function isTitleCase(list: readonly Word[]): boolean {
  let letters = 0;
  let upper = 0;
  for (const w of list) {
    if (!w.letter) continue;
    letters++;
    if (w.capitalised) upper++;
  }
  return letters >= 3 && upper / letters > 0.6;
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

/**
 * A word's token, frozen: one object per word and role, shared by every text the word is in (an
 * index build analyses half a million words; a token each was most of its garbage).
 */
function tokenOf(w: Word, entity: boolean): Token {
  return Object.freeze({ term: w.term!, surface: w.surface, entity, number: w.number });
}

const TRUNCATED = /(\.\.\.|…)$/;

/** Splits text into analysed tokens, stopwords removed. */
export function analyze(text: string, lang?: string | null): Analysis {
  const folded = foldText(text).trim();
  const truncated = TRUNCATED.test(folded);
  const language = languageOf(lang);
  const known = wordsOf(language.key);
  const raws = folded.match(WORD);
  if (!raws) return { tokens: [], truncated };
  const last = raws.length - 1;
  const list: Word[] = [];
  for (let i = 0; i <= last; i++) {
    list[i] = truncated && i === last ? analyseWord(raws[i], language.stopwords, language.stem, true) : wordOf(raws[i], known, language);
  }
  const titleCase = isTitleCase(list);
  const tokens: Token[] = [];
  for (let position = 0; position <= last; position++) {
    const w = list[position];
    if (w.term === null) continue;
    const entity = w.number || w.acronym || (w.capitalised && position !== 0 && !titleCase);
    tokens.push(entity ? (w.named ??= tokenOf(w, true)) : (w.plain ??= tokenOf(w, false)));
  }
  return { tokens, truncated };
}

/** The distinct terms of a text, in order of first appearance. */
export function terms(text: string, lang?: string | null): string[] {
  return [...new Set(analyze(text, lang).tokens.map((t) => t.term))];
}
