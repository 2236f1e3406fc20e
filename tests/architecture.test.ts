import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports point one way (issue 11, item 1; docs/ARCHITECTURE.md). The screens and the content
 * script talk to the worker through the protocol only: they import nothing of src/corpus, src/index
 * or src/background, not even a type. What they may import is closed under import (src/messaging,
 * src/settings, src/extract and src/core import only among themselves), so nothing of the worker
 * reaches them through a second step either.
 */
const ROOT = normalize(join(import.meta.dirname, '..'));
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

/** Each checked place: the files it covers and the src/ folders it may import (npm packages always). */
const RULES: { name: string; paths: string[]; allowed: string[] }[] = [
  {
    name: 'screens',
    paths: ['src/ui', 'entrypoints/popup', 'entrypoints/options', 'entrypoints/sidepanel'],
    allowed: ['ui', 'messaging', 'core', 'settings', 'extract', 'public'],
  },
  {
    name: 'content script',
    paths: ['src/content', 'entrypoints/content.ts', 'entrypoints/content'],
    allowed: ['content', 'ui', 'messaging', 'core', 'settings', 'extract', 'public'],
  },
  { name: 'protocol', paths: ['src/messaging'], allowed: ['messaging', 'core', 'settings'] },
  { name: 'settings', paths: ['src/settings'], allowed: ['settings', 'core'] },
  { name: 'extraction', paths: ['src/extract'], allowed: ['extract', 'core'] },
  { name: 'core', paths: ['src/core'], allowed: ['core'] },
  // The extension is built from src/ and entrypoints/ only: never Node tools, build plugins or tests.
  { name: 'extension code', paths: ['src', 'entrypoints'], allowed: [...readdirSync(join(ROOT, 'src')).filter((name) => !SOURCE.test(name)), 'entrypoints'] },
];

function filesUnder(path: string): string[] {
  const full = join(ROOT, path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    return [];
  }
  if (stat.isFile()) return SOURCE.test(path) ? [path] : [];
  return readdirSync(full).flatMap((name) => filesUnder(join(path, name)));
}

/**
 * The source without comments, each string or template literal replaced by a numbered token, so that
 * neither a commented-out import nor import-like text inside a string is read as an import.
 */
function tokenize(code: string): { text: string; strings: string[] } {
  const strings: string[] = [];
  let text = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '/' && code[i + 1] === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      text += `\u0000${strings.push(code.slice(i + 1, j)) - 1}\u0001`;
      i = j + 1;
    } else {
      text += c;
      i++;
    }
  }
  return { text, strings };
}

/**
 * Every module a file names: `import ... from`, `import type`, `export ... from`, `export * from`,
 * a bare `import '...'` and a dynamic `import('...')`.
 */
export function importSpecifiers(code: string): string[] {
  const { text, strings } = tokenize(code);
  const found: { at: number; specifier: string }[] = [];
  for (const m of text.matchAll(/(?<![\w$.])(?:import|export)\s+(?:type\s+)?(?:[^;\u0000]*?\sfrom\s*)?\u0000(\d+)\u0001/g))
    found.push({ at: m.index, specifier: strings[Number(m[1])] });
  for (const m of text.matchAll(/(?<![\w$.])import\s*\(\s*\u0000(\d+)\u0001\s*\)/g)) found.push({ at: m.index, specifier: strings[Number(m[1])] });
  return found.sort((a, b) => a.at - b.at).map((f) => f.specifier);
}

/** The src/ folder a relative specifier lands in ("corpus"), "entrypoints", or null for a package. */
function folderOf(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = relative(ROOT, join(ROOT, dirname(file), specifier)).split(/[\\/]/);
  if (target[0] === 'src') return target[1];
  return target[0];
}

function violations(file: string, code: string, allowed: readonly string[]): string[] {
  const own = file.startsWith('entrypoints/') ? 'entrypoints' : null;
  return importSpecifiers(code)
    .map((specifier) => ({ specifier, folder: folderOf(file, specifier) }))
    .filter(({ folder, specifier }) => {
      if (folder === null) return false;
      // An entrypoint's own files (./App.tsx beside main.tsx) are its own.
      if (folder === own && !specifier.startsWith('../')) return false;
      return !allowed.includes(folder);
    })
    .map(({ specifier, folder }) => `${file} imports ${specifier} (src/${folder})`);
}

describe('architecture: the protocol is the only contract between contexts (issue 11)', () => {
  it('reads every kind of import, type-only and dynamic ones included, and no commented-out one', () => {
    const code = `
      import { a } from '../corpus/a';
      import type { B } from "../index/b";
      import {
        c,
        d as e,
      } from '../background/c';
      import * as all from '../core/all';
      import '../ui/side-effect.css';
      export { f } from '../corpus/f';
      export type { G } from '../corpus/g';
      export * from '../corpus/h';
      const lazy = () => import('../background/lazy');
      // import { old } from '../corpus/old';
      /* import { older } from '../corpus/older'; */
      const text = 'see https://example.com // not a comment';
      export const name = 'import x from "../corpus/not-code"';
    `;
    expect(importSpecifiers(code)).toEqual([
      '../corpus/a',
      '../index/b',
      '../background/c',
      '../core/all',
      '../ui/side-effect.css',
      '../corpus/f',
      '../corpus/g',
      '../corpus/h',
      '../background/lazy',
    ]);
  });

  it('names a forbidden import with its file and folder', () => {
    const screen = RULES.find((r) => r.name === 'screens')!;
    expect(violations('src/ui/options/X.tsx', "import type { FeedRecord } from '../../corpus/feed-record';", screen.allowed)).toEqual([
      'src/ui/options/X.tsx imports ../../corpus/feed-record (src/corpus)',
    ]);
    expect(violations('entrypoints/options/main.tsx', "const db = await import('../../src/corpus/library-db');", screen.allowed)).toHaveLength(1);
    expect(
      violations('entrypoints/options/main.tsx', "import { Options } from '../../src/ui/options/Options';\nimport { x } from './local';", screen.allowed),
    ).toEqual([]);
    const extension = RULES.find((r) => r.name === 'extension code')!;
    expect(violations('src/background/library.ts', "import { loadSeedDirectory } from '../../tools/build/seeds';", extension.allowed)).toHaveLength(1);
    expect(violations('src/background/library.ts', "import { StoryIndex } from '../index/engine';", extension.allowed)).toEqual([]);
  });

  for (const rule of RULES) {
    it(`${rule.name} import only ${rule.allowed.map((f) => (f === 'entrypoints' ? f : `src/${f}`)).join(', ')} and packages`, () => {
      const files = rule.paths.flatMap(filesUnder);
      expect(files.length).toBeGreaterThan(0);
      const found = files.flatMap((file) => violations(file, readFileSync(join(ROOT, file), 'utf8'), rule.allowed));
      expect(found).toEqual([]);
    });
  }
});
