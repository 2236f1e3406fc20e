import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/corpus/feeds/text';
import { parseOpml } from '../../src/corpus/feeds/opml';
import { cleanInline, decodeAttribute, decodeEntities } from '../../src/extract/entities';

// RELIABILITY row 25: named references are decoded deliberately, by the `entities` package,
// never by handing the text to an HTML parser.
describe('decodeEntities (RELIABILITY row 25)', () => {
  it('keeps the case of named references: &Eacute; is É (the hand table lower-cased it)', () => {
    expect(decodeEntities('&Eacute;lys&eacute;e')).toBe('Élysée');
    expect(decodeEntities('&Agrave; &agrave; &Ntilde;')).toBe('À à Ñ');
  });

  it('knows every named reference of the standard, not a short list: &oslash;, &aring;, &thorn;', () => {
    expect(decodeEntities('K&oslash;benhavn, &Aring;rhus, &thorn;')).toBe('København, Århus, þ');
  });

  it('decodes decimal and hex references, either case of x', () => {
    expect(decodeEntities('caf&#233; caf&#xE9; caf&#XE9; &#x1F4F0;')).toBe('café café café 📰');
  });

  it('decodes &nbsp; to a no-break space, which cleanInline collapses', () => {
    expect(decodeEntities('Live&nbsp;updates')).toBe('Live\u00a0updates');
    expect(cleanInline('  Live&nbsp;&nbsp;updates ')).toBe('Live updates');
  });

  it('leaves a bare & and unknown names alone', () => {
    expect(decodeEntities('AT & T')).toBe('AT & T');
    expect(decodeEntities('Q&A: &bogus; &;')).toBe('Q&A: &bogus; &;');
    expect(decodeEntities('Tom &amp; Jerry')).toBe('Tom & Jerry');
  });

  it('decodes once: a double-escaped reference comes out single-escaped', () => {
    expect(decodeEntities('&amp;eacute;')).toBe('&eacute;');
  });

  it('reads an attribute value as a browser does: "&copy=" in a query string is not ©', () => {
    expect(decodeAttribute('https://news.example/rss?a=1&copy=2&amp;lang=en')).toBe('https://news.example/rss?a=1&copy=2&lang=en');
    expect(decodeAttribute('&Eacute;lys&eacute;e &oslash;')).toBe('Élysée ø');
  });
});

describe('the decoder in its callers (RELIABILITY row 25)', () => {
  it('feed text: Élysée and ø come out as written', () => {
    expect(htmlToText('<p>&Eacute;lys&eacute;e talks in K&oslash;ge&nbsp;today</p>')).toBe('Élysée talks in Køge today');
  });

  it('OPML: titles decode, and an xmlUrl keeps its query string', () => {
    const feeds = parseOpml(`<opml version="2.0"><body>
      <outline title="&Eacute;lys&eacute;e &oslash;" xmlUrl="https://a.example/rss?a=1&amp;copy=2"/>
    </body></opml>`);
    expect(feeds).toEqual([{ url: 'https://a.example/rss?a=1&copy=2', title: 'Élysée ø' }]);
  });
});
