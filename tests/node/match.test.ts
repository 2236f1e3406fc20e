import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runMatch } from '../../tools/match-run';

const dir = mkdtempSync(join(tmpdir(), 'storyline-match-'));
const file = (name: string, lines: unknown[], gzip = false) => {
  const path = join(dir, name);
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
};
const day = '2014-03-20T00:00:00Z';
let n = 0;
const art = (id: string, title: string, source: string, publishedAt = day) => ({
  id,
  title,
  source,
  publishedAt,
  url: `https://news${++n}.example/${id}`,
  story: 'ignored',
});

const story = [
  art('r1', 'Malaysia Airlines MH370 search shifts to southern Indian Ocean', 'Reuters'),
  art('r2', 'MH370: Search for missing Malaysia Airlines jet moves to Indian Ocean', 'BBC News'),
  art('r3', 'Missing Malaysia Airlines jet: search moves to the southern Indian Ocean', 'The Guardian'),
  art('r4', 'Malaysia Airlines MH370 search moves to Indian Ocean, Australia leads', 'ABC'),
];
const filler = [
  'Apple unveils new iPhone with larger screen',
  'Federal Reserve keeps interest rates unchanged',
  'Oil prices climb on supply worries',
  'Kiefer Sutherland is a terrible co-star, says actor',
  'Tesla opens new factory in Nevada',
  'A carbon tax is a terrible idea',
].map((t, i) => art(`f${i}`, t, `Outlet ${i}`));
const library = file('library.jsonl.gz', [...story, ...filler], true);

describe('npm run match', () => {
  it('answers each query as the popup would, in input order, with the file ids', () => {
    const queries = file('queries.jsonl', [
      art('q1', 'Search for Malaysia Airlines flight MH370 moves to Indian Ocean', 'CNN'),
      art('q2', 'Kiefer Sutherland is a terrible co-star', 'Gossip Daily'),
    ]);
    const out = runMatch({ library, queries }).map((l) => JSON.parse(l));
    expect(out.map((o) => o.query)).toEqual(['q1', 'q2']);
    expect(
      out[0].ranked
        .slice(0, 4)
        .map((r: { id: string }) => r.id)
        .sort(),
    ).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(out[0].shown.length).toBeGreaterThan(0);
    for (const s of out[0].shown) {
      expect(['same-story', 'related']).toContain(s.label);
      expect(Object.keys(s).sort()).toEqual(['id', 'label', 'score', 'source', 'title']);
    }
    // One shared word ("terrible") is never shown.
    expect(out[1].shown.map((s: { id: string }) => s.id)).not.toContain('f5');
  });

  it('scores named pairs, higher for the same story, with the label b would get', () => {
    const pairs = file('pairs.jsonl', [
      { a: 'r1', b: 'r2' },
      { a: 'f3', b: 'f5' },
    ]);
    const [same, other] = runMatch({ library, pairs }).map((l) => JSON.parse(l));
    expect(same).toMatchObject({ a: 'r1', b: 'r2' });
    expect(same.score).toBeGreaterThan(other.score);
    expect(other.label).toBeNull();
  });

  it("labels a pair as page a would list b: a development only beside a's own event", () => {
    const page = art('k0', 'Why Kanye West and Kim Kardashian skip the gala', 'Gossip Daily');
    const later = art('k1', 'Kim Kardashian and Kanye spotted in a cafe', 'Celebrity Wire', '2014-03-23T00:00:00Z');
    const report = art('k2', 'Kanye West and Kim Kardashian skip the annual gala', 'Style News');
    const pairs = file('kanye-pairs.jsonl', [{ a: 'k0', b: 'k1' }]);
    const alone = file('kanye.jsonl', [...story, ...filler, page, later]);
    const anchored = file('kanye-report.jsonl', [...story, ...filler, page, later, report]);
    expect(JSON.parse(runMatch({ library: alone, pairs })[0]).label).toBeNull();
    expect(JSON.parse(runMatch({ library: anchored, pairs })[0]).label).toBe('related');
    // The same as the page's answer lists it.
    const queries = file('kanye-page.jsonl', [page]);
    const [shown] = runMatch({ library: anchored, queries }).map((l) => JSON.parse(l).shown);
    expect(shown.map((s: { id: string; label: string }) => [s.id, s.label])).toEqual([
      ['k2', 'same-story'],
      ['k1', 'related'],
    ]);
    expect(JSON.parse(runMatch({ library: alone, queries })[0]).shown).toEqual([]);
    // A development sharing more (about three rare words beyond the best) stands alone.
    const close = art('k3', 'Kim Kardashian and Kanye West were spotted in a cafe after skipping the gala', 'Celebrity Wire', '2014-03-23T00:00:00Z');
    const closePairs = file('kanye-close-pairs.jsonl', [{ a: 'k0', b: 'k3' }]);
    expect(JSON.parse(runMatch({ library: file('kanye-close.jsonl', [...story, ...filler, page, close]), pairs: closePairs })[0]).label).toBe('related');
  });

  it('names the file and line of bad input, and unknown ids', () => {
    const bad = file('bad.jsonl', [story[0], '{"id": "x", "title": ""}']);
    expect(() => runMatch({ library: bad, queries: bad })).toThrow(`${bad}:2: "title" must be a non-empty string`);
    const pairs = file('unknown.jsonl', [{ a: 'r1', b: 'nope' }]);
    expect(() => runMatch({ library, pairs })).toThrow(`${pairs}:1: unknown article id "nope"`);
    expect(() => runMatch({ library, pairs, level: 9 })).toThrow(/--level/);
    expect(() => runMatch({ library })).toThrow(/exactly one of/);
    expect(() => runMatch({ library: join(dir, 'missing.jsonl'), pairs })).toThrow(/cannot read/);
  });
});
