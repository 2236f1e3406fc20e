import { browser } from 'wxt/browser';
import english from '../public/_locales/en/messages.json';

type Catalogue = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export type MessageKey = keyof typeof english;

/** English text for a key, with $1.. substituted: what Chrome would return for the "en" locale. */
function fallback(key: string, subs: string[]): string {
  const entry = (english as Catalogue)[key];
  if (!entry) return key;
  let text = entry.message;
  for (const [name, { content }] of Object.entries(entry.placeholders ?? {})) {
    const index = Number(content.slice(1)) - 1;
    text = text.replaceAll(`$${name.toUpperCase()}$`, subs[index] ?? '');
  }
  return text;
}

/** A user-visible sentence from _locales. Falls back to English where the browser has no catalogue (tests). */
export function t(key: MessageKey, ...subs: (string | number)[]): string {
  // Numbers are written as the UI language writes them ("54,019", never "54019").
  const strings = subs.map((sub) => (typeof sub === 'number' ? formatCount(sub) : sub));
  let text = '';
  try {
    text = browser.i18n.getMessage(key as never, strings);
  } catch {
    text = '';
  }
  return text || fallback(key, strings);
}

let cachedLanguage: string | undefined;

/**
 * The browser's UI language, asked once: it cannot change while a page or worker lives, and each
 * badge's numbers and plurals asked the extension API again (RELIABILITY row 14).
 */
export function uiLanguage(): string {
  if (cachedLanguage === undefined) {
    try {
      cachedLanguage = browser.i18n.getUILanguage() || 'en';
    } catch {
      return 'en';
    }
  }
  return cachedLanguage;
}

let cachedCatalogue: string | undefined;

/**
 * The language of the message catalogue the browser serves, which each catalogue names itself
 * (`catalogueLanguage`): plurals follow its rules, not the UI language's. With only English
 * shipped, a Russian browser's rules read 21 as "one" and printed "Imported 21 article." (review,
 * helper-34).
 */
export function catalogueLanguage(): string {
  cachedCatalogue ??= t('catalogueLanguage') || 'en';
  return cachedCatalogue;
}

const rulesByLanguage = new Map<string, Intl.PluralRules>();

/**
 * One Intl.PluralRules per language, built once: building one costs some thirty times what select()
 * does, and a listing page names every badge with plural() (RELIABILITY row 14: in a profile of
 * 200 badges mounted at once, building these rules was the largest part of the task).
 */
function pluralRules(language: string): Intl.PluralRules {
  let rules = rulesByLanguage.get(language);
  if (!rules) {
    rules = new Intl.PluralRules(language);
    rulesByLanguage.set(language, rules);
  }
  return rules;
}

/** Message bases that come as `<base>_one` and `<base>_other`. */
export type PluralBase = MessageKey extends infer K ? (K extends `${infer B}_one` ? B : never) : never;

/**
 * Plural-aware message: picks `<base>_one` / `<base>_other` by the plural rules of the catalogue served.
 * The count is $1 (written with the language's digit grouping, as every number t() is given); any further substitutions follow it.
 */
export function plural(base: PluralBase, count: number, ...more: (string | number)[]): string {
  const category = pluralRules(catalogueLanguage()).select(count);
  const key = (category === 'one' ? `${base}_one` : `${base}_other`) as MessageKey;
  return t(key, count, ...more);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A count as the UI language writes it: "54,019" in English, "54.019" in German. One formatter per language. */
export function formatCount(count: number): string {
  const language = uiLanguage();
  let format = numberFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(language);
    numberFormats.set(language, format);
  }
  return format.format(count);
}
