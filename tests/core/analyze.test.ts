import { describe, expect, it } from 'vitest';
import { analyze, foldText, terms } from '../../src/core/analyze';

const termsOf = (text: string, lang?: string) => analyze(text, lang).tokens.map((t) => t.term);

describe('text analysis', () => {
  it('keeps numbers, money and hyphenated ages whole', () => {
    expect(termsOf('Inflation hits 1.5% as $7bn deal and 9-year-old girl make news')).toEqual(expect.arrayContaining(['1.5', '$7bn', '9-year-old']));
    expect(termsOf('1,000 troops')).toContain('1000');
  });

  it('folds diacritics, curly quotes and possessives', () => {
    expect(foldText('Zelenskyy’s “café” in Kraków')).toBe('Zelenskyy\'s "cafe" in Krakow');
    expect(termsOf('Zelensky’s plan')).toEqual(termsOf("Zelensky's plan"));
    expect(termsOf("Zelensky's plan")).toContain('zelenski');
  });

  it('drops stopwords and stems English words', () => {
    expect(termsOf('The troops were deploying to the border')).toEqual(['troop', 'deploi', 'border']);
    expect(terms('strikes strike striking')).toEqual(['strike']);
  });

  it('marks names, acronyms and numbers as entities, not capitalised sentence starts', () => {
    const tokens = analyze('Police say Kim Jong-un met NATO envoy with 3 aides').tokens;
    const entities = tokens.filter((t) => t.entity).map((t) => t.surface);
    expect(entities).toEqual(['Kim', 'Jong-un', 'NATO', '3']);
  });

  it('does not treat every word of a Title Case headline as a name', () => {
    const tokens = analyze('Time Warner Ceo To Customers On Comcast Merger').tokens;
    expect(tokens.filter((t) => t.entity)).toEqual([]);
  });

  it('notices a headline cut short with "..."', () => {
    expect(analyze('Malaysia Airlines search widens as Chinese satell...').truncated).toBe(true);
    expect(analyze('Malaysia Airlines search widens').truncated).toBe(false);
  });

  it('uses the language of the article: no English stemming for other languages', () => {
    expect(termsOf('Les élections présidentielles', 'fr')).toEqual(['elections', 'presidentielles']);
    expect(termsOf('elections', 'en')).toEqual(['elect']);
    // Unknown languages fall back safely: English stopwords, no stemming.
    expect(termsOf('the Maori elections', 'mi')).toEqual(['maori', 'elections']);
  });

  it('ignores zero-width and bidi-override characters', () => {
    expect(termsOf('Ukr\u200baine \u202eRussia')).toEqual(termsOf('Ukraine Russia'));
  });

  it('folds a backtick quote in otherwise plain ASCII text, and leaves plain text as it is', () => {
    expect(foldText("Obama's `red line`")).toBe("Obama's 'red line'");
    expect(termsOf('`Kim`s` summit')).toEqual(termsOf("'Kim's' summit"));
    const plain = 'Fed holds rates at 0.25% - "for now" (Reuters) [Update 2]';
    expect(foldText(plain)).toBe(plain);
  });

  it('gives one word the same reading in every text, whatever language tag spelling names it', () => {
    expect(termsOf('Elections in Paris', 'fr-FR')).toEqual(termsOf('Elections in Paris', 'fr'));
    expect(termsOf('Elections in Paris', 'EN_gb')).toEqual(['elect', 'pari']);
    // Entity or not depends on the word's place: the same word is a name in one text, not in another.
    expect(analyze('Police question Apple staff').tokens.find((t) => t.surface === 'Apple')?.entity).toBe(true);
    expect(analyze('Apple staff questioned').tokens.find((t) => t.surface === 'Apple')?.entity).toBe(false);
  });

  it('shares tokens between analyses read-only: changing one throws rather than altering later texts', () => {
    const first = analyze('Storm hits coast').tokens[0] as { term: string };
    expect(() => {
      first.term = 'changed';
    }).toThrow(TypeError);
    expect(termsOf('Storm hits coast')[0]).toBe('storm');
  });
});
