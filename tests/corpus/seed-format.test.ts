import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAggregatorPage, parseSeedJsonl, parseSeedMeta, SeedParseError } from '../../src/corpus/seed-format';
import { loadSeedDirectory } from '../../tools/build/seeds';

const SEED = 'seeds/000_f63f7d313c0b90ba.txt';
const text = readFileSync(SEED, 'utf8');
const meta = { capturedAt: '2025-06-02T09:00:00Z', lang: 'en' };

describe('aggregator page seeds', () => {
  const articles = parseAggregatorPage(SEED, text, meta);

  it('finds the lead article and the three related articles with their outlets', () => {
    expect(articles.map((a) => a.source)).toEqual(['NBC News', 'Daily Mail', 'Daily Mirror', 'South Wales Guardian']);
    expect(articles[0].title).toBe("North Korea has deployed thousands of troops to help Russia 'terrorize Ukraine,' report finds");
    expect(articles[3].title).toBe('Ukraine will send delegation to Istanbul for talks with Russia on Monday');
  });

  it('resolves relative times against the capture time', () => {
    expect(articles[0].publishedAt).toBe('2025-05-31T09:00:00.000Z'); // "2 days ago"
    expect(articles[1].publishedAt).toBe('2025-06-02T05:00:00.000Z'); // "time4 hours ago"
  });

  it('keeps body paragraphs and drops page chrome', () => {
    expect(articles[0].body!.split('\n')).toHaveLength(17);
    expect(articles[0].body).toMatch(/^Russia has deployed thousands of North Korean soldiers/);
    expect(articles[2].body).toMatch(/^Ukrainian President Volodymyr Zelensky has revealed/);
    const all = articles.map((a) => a.body).join('\n');
    for (const chrome of ['Orange background', 'Try Our AI Features', 'Comments', 'DOWNLOAD THE APP', 'Daily8', 'app-store']) {
      expect(all).not.toContain(chrome);
    }
    // The "• Daily Mail" line and the repeated headline are not body text.
    expect(articles[1].body).not.toMatch(/^•|^How Zelensky/);
  });

  it('gives stable, distinct ids', () => {
    const again = parseAggregatorPage(SEED, text, meta);
    expect(again.map((a) => a.id)).toEqual(articles.map((a) => a.id));
    expect(new Set(articles.map((a) => a.id)).size).toBe(4);
  });

  it('rejects a page with no byline with the file, line and reason', () => {
    const broken = text.replace('NBC News2 days ago', 'NBC News');
    expect(() => parseAggregatorPage('bad.txt', broken, meta)).toThrowError(/^bad\.txt:6: expected the outlet and age/);
  });

  it('rejects a related entry without its age', () => {
    const broken = text.replace('Daily Mirror\n\ntime4 hours ago', 'Daily Mirror\n\nsometime');
    const error = (() => {
      try {
        parseAggregatorPage('bad.txt', broken, meta);
      } catch (e) {
        return e as SeedParseError;
      }
    })();
    expect(error).toBeInstanceOf(SeedParseError);
    expect(error!.reason).toMatch(/time4 hours ago/);
    expect(broken.split('\n')[error!.line - 1]).toBe('sometime');
  });

  it('requires a capture time in the sidecar', () => {
    expect(() => parseSeedMeta('x.meta.json', '{"lang":"en"}')).toThrowError(/capturedAt/);
    expect(() => parseSeedMeta('x.meta.json', '{oops')).toThrowError(/x\.meta\.json:1: not valid JSON/);
  });
});

describe('JSONL seeds and the seed folder', () => {
  it('parses articles and reports the bad line', () => {
    const good = '{"id":"a1","title":"Headline one","source":"Outlet","publishedAt":"2025-01-01T00:00:00Z","url":"https://example.com/a"}';
    expect(parseSeedJsonl('s.jsonl', `${good}\n`)[0]).toMatchObject({ id: 'a1', kind: 'seed', url: 'https://example.com/a' });
    expect(() => parseSeedJsonl('s.jsonl', `${good}\n{"id":"a2","source":"x"}`)).toThrowError(/^s\.jsonl:2: "title"/);
  });

  it('picks up every seed file in the folder', () => {
    const articles = loadSeedDirectory('tests/fixtures/seeds');
    expect(articles.map((a) => a.source)).toContain('Example Wire');
    expect(articles.length).toBe(6);
  });
});
