import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/RELIABILITY.md stays current (issue 9, "bring the table into the repo, kept current"): every
 * row a test cites names that test, every test it names exists, and every "RELIABILITY row N" in
 * the code is a row of the table.
 */
const DOC = 'docs/RELIABILITY.md';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : filesUnder(path);
    return /\.(ts|tsx|mjs)$/.test(name) ? [path] : [];
  });
}

/** The rows a text cites: "row 5", "rows 10, 23", "rows 18-24", "rows 3 and 4". */
function citedRows(text: string): number[] {
  const rows = new Set<number>();
  for (const match of text.matchAll(/\brows? (\d+(?:\s*(?:[-–,]|and)\s*\d+)*)/gi)) {
    for (const part of match[1].split(/\s*(?:,|and)\s*/)) {
      const [from, to = from] = part.split(/\s*[-–]\s*/).map(Number);
      for (let n = from; n <= to && n - from < 100; n++) rows.add(n);
    }
  }
  return [...rows];
}

/** Row number -> the test files its last column names. */
function tableRows(): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const match = /^\| (\d+) \|.*\|([^|]*)\|\s*$/.exec(line);
    if (match)
      rows.set(
        Number(match[1]),
        [...match[2].matchAll(/`(tests\/[^`]+)`/g)].map((m) => m[1]),
      );
  }
  return rows;
}

describe('docs/RELIABILITY.md', () => {
  it('reads the ways a row is cited', () => {
    expect(citedRows('(rows 10, 23) and (row 5); RELIABILITY rows 18-24; rows 3 and 4; row 12; issue 9, finding 6').sort((a, b) => a - b)).toEqual([
      3, 4, 5, 10, 12, 18, 19, 20, 21, 22, 23, 24,
    ]);
  });

  it('has all 36 rows, and every test file it names exists', () => {
    const rows = tableRows();
    expect([...rows.keys()]).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    const missing = [...rows.values()].flat().filter((file) => !existsSync(file));
    expect(missing).toEqual([]);
  });

  it('names every test that cites a row, in that row', () => {
    const rows = tableRows();
    const unlisted: string[] = [];
    // This file cites rows only as examples.
    for (const file of filesUnder('tests').filter((f) => !f.endsWith('reliability.test.ts'))) {
      for (const row of citedRows(readFileSync(file, 'utf8'))) {
        if (!rows.get(row)?.includes(file.split('\\').join('/'))) unlisted.push(`row ${row}: ${file}`);
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('has every row the code cites', () => {
    const rows = tableRows();
    const dangling: string[] = [];
    for (const file of [...filesUnder('src'), ...filesUnder('entrypoints')]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/RELIABILITY (rows? [^.;)\n]*)/g)) {
        for (const row of citedRows(match[1])) if (!rows.has(row)) dangling.push(`${file}: row ${row}`);
      }
    }
    expect(dangling).toEqual([]);
  });
});
