import { describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { catalogueLanguage, formatCount, plural } from '../../src/ui/i18n';

/**
 * Plurals follow the plural rules of the catalogue the browser serves (only English ships), not
 * the browser's language: Russian rules read 21 as "one", French rules 0 (review, helper-34).
 * This file's browser speaks Russian from its first message on (the language is read once).
 */
vi.spyOn(browser.i18n, 'getUILanguage').mockReturnValue('ru');

describe('plurals in a browser whose language Storyline has no catalogue for', () => {
  it('English sentences with English plurals; numbers still written the Russian way', () => {
    expect(new Intl.PluralRules('ru').select(21)).toBe('one');
    expect(catalogueLanguage()).toBe('en');
    expect(plural('importDone', 21)).toBe('Imported 21 articles.');
    expect(plural('allHidden', 21)).toBe('You marked all 21 of this page’s results “Not the same story”. Options can show them again.');
    expect(plural('importDone', 1)).toBe('Imported 1 article.');
    expect(formatCount(54_019)).toBe(new Intl.NumberFormat('ru').format(54_019));
  });
});
