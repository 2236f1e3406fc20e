import { describe, expect, it } from 'vitest';
import { htmlToText, MAX_HTML_INPUT } from '../../../src/corpus/feeds/text';

describe('htmlToText', () => {
  it('drops tags, comments, scripts and styles, decodes entities, collapses whitespace', () => {
    expect(htmlToText('<p>Stocks <b>up</b></p><p>again</p>')).toBe('Stocks up again');
    expect(htmlToText('caf<b>é</b> <!-- hidden -->society')).toBe('café society');
    expect(htmlToText('<script type="x">alert(1)</script>Shown<style>p{}</STYLE> text')).toBe('Shown text');
    expect(htmlToText('a < b and c<3, &amp; &eacute;t&#233; &#x41;')).toBe('a < b and c<3, & été A');
    expect(htmlToText('<![CDATA[Talks <b>resume</b>]]>')).toBe('Talks resume');
  });

  it('reads HTML that was escaped twice, and drops the tags decoding reveals', () => {
    expect(htmlToText('&lt;p&gt;Delegations meet &amp;eacute;t&amp;eacute; &amp;nbsp;again.&lt;/p&gt;')).toBe('Delegations meet été again.');
    expect(htmlToText('&lt;script&gt;alert(1)&lt;/script&gt;Hello')).toBe('Hello');
    expect(htmlToText('1 &amp;lt; 2')).toBe('1 < 2');
    // A "<script>" that two decodings reveal, never closed, is a word of the title, not a script
    // swallowing the rest of it (RELIABILITY row 25): the tag goes, the words after it stay.
    expect(htmlToText('Q&amp;A: Budget &amp; tax &amp;lt;script&amp;gt; K&amp;oslash;ge')).toBe('Q&A: Budget & tax Køge');
    expect(htmlToText('&amp;lt;style&amp;gt; guide for 2025')).toBe('guide for 2025');
  });

  it('removes NUL, controls and bidi overrides, typed or encoded', () => {
    expect(htmlToText('a\u0000b\u202ec\u2066d&#x202E;e&#8238;f\u0007g')).toBe('abcdefg');
  });

  it('cuts to the maximum with an ellipsis', () => {
    expect(htmlToText('word '.repeat(200), 20)).toBe('word word word word…');
  });

  it('ends the text at a tag, comment or script that never closes (a browser drops it too)', () => {
    expect(htmlToText('Headline <script src=x')).toBe('Headline');
    expect(htmlToText('Headline <script>alert(1)')).toBe('Headline');
    expect(htmlToText('Headline <!-- never closed')).toBe('Headline');
    expect(htmlToText('Headline <a href="x"')).toBe('Headline');
  });

  // The attack inputs of issue 9, finding 1: each took seconds (49 s for the first) with the
  // regex cleaner, whose cost grew with the square of the input. Their outputs are checked here; speed belongs in a benchmark.
  const attacks: [string, string, string][] = [
    ['"<script " x 40,000', '<script '.repeat(40_000), ''],
    // Decoded "<a" with no ">" anywhere after it is text, not a tag: kept, cut to 600.
    ['"&lt;a" x 40,000', '&lt;a'.repeat(40_000), `${'<a'.repeat(300).slice(0, 599)}…`],
    ['"<a" x 40,000', '<a'.repeat(40_000), ''],
    ['"<!--" x 40,000', 'x<!--'.repeat(40_000), 'x'],
    ['"<style>" x 40,000 with text', 'Kept <style>'.repeat(40_000), 'Kept'],
    ['"&lt;script " x 40,000', '&lt;script '.repeat(40_000), ('<script '.repeat(75) + '<script').slice(0, 599).trimEnd() + '…'],
    // Revealed script tags that never close: each one dropped, one search for its end in all.
    ['"&lt;script&gt;a " x 40,000', '&lt;script&gt;a '.repeat(40_000), `${'a '.repeat(300)}`.slice(0, 599).trimEnd() + '…'],
  ];

  it.each(attacks)('cleans %s to bounded text', (_name, input, expected) => {
    expect(htmlToText(input)).toBe(expected);
  });

  it('looks at the first MAX_HTML_INPUT characters only, whatever the input’s size', () => {
    const huge = `${'<em>'.repeat(2_500_000)} tail`;
    expect(htmlToText(huge)).toBe('');
    expect(htmlToText(`${'x'.repeat(MAX_HTML_INPUT)}<b>never seen</b>`, 10_000_000)).toHaveLength(MAX_HTML_INPUT);
  });
});

describe('feed text shows as it reads (attack review, helper-35)', () => {
  it('drops the bidi marks and format characters page text loses too, and tames stacked marks', () => {
    expect(htmlToText('<p>\u061cUkraine \u200fattacks\u200e \u2060Russia</p>')).toBe('Ukraine attacks Russia');
    expect(htmlToText(`Z${'\u0301'.repeat(50)}urich`)).toBe(`Z${'\u0301'.repeat(8)}urich`);
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    expect(htmlToText(`Scotland ${scotland} wins\u{E0041}`)).toBe(`Scotland ${scotland} wins`);
    expect(htmlToText('👨‍👩‍👧 family')).toBe('👨‍👩‍👧 family');
  });
});
