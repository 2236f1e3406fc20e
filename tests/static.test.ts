import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function run(cmd: string, args: string[]) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 240_000 });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('static checks', () => {
  it('type-checks (tsc --noEmit)', () => {
    const { code, output } = run('npx', ['tsc', '--noEmit']);
    expect(output.trim()).toBe('');
    expect(code).toBe(0);
  });

  it('lints clean (oxlint, warnings are errors)', () => {
    const { code, output } = run('npx', ['oxlint', '--deny-warnings', 'src', 'entrypoints', 'tests']);
    expect(output).toMatch(/Found 0 warnings and 0 errors/);
    expect(code).toBe(0);
  });

  it('keeps the pure folders free of extension APIs and HTML sinks', () => {
    const offenders = ['src/core', 'src/index', 'src/extract', 'src/corpus']
      .flatMap(filesUnder)
      .filter((file) => /wxt\/browser|webextension-polyfill|\bchrome\.|\bbrowser\.(runtime|storage|tabs)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    const sinks = ['src', 'entrypoints']
      .flatMap(filesUnder)
      .filter((file) => /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write/.test(readFileSync(file, 'utf8')));
    expect(sinks).toEqual([]);
  });
});
