import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

/**
 * Lints `lines` as a file `bad.ts` inside `folder` with the project's own configuration, and returns
 * "line rule" for each finding. Inside the project, not the system's temporary folder: a CI machine
 * may put that under a path the configuration ignores. Read as JSON: the text report changes with the
 * terminal and with CI variables (colours, box drawing, GitHub annotations), which once hid every finding.
 */
function lintProbe(folder: string, lines: string[]): string[] {
  const dir = relative(process.cwd(), mkdtempSync(join(process.cwd(), folder, 'lint-probe-')));
  const file = join(dir, 'bad.ts');
  writeFileSync(file, [...lines, ''].join('\n'));
  try {
    const { code, output } = run('npx', ['oxlint', '-c', '.oxlintrc.json', '--deny-warnings', '--format=json', file]);
    const report = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as {
      diagnostics: { code: string; filename: string; labels: { span: { line: number } }[] }[];
      number_of_files: number;
    };
    expect(report.number_of_files, output).toBe(1);
    const found = report.diagnostics
      .filter((d) => d.filename.endsWith('bad.ts'))
      .map((d) => `${d.labels[0]?.span.line} ${d.code.replace(/^eslint\((.*)\)$/, '$1')}`);
    expect(code !== 0, output).toBe(found.length > 0);
    return found.sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('static checks', () => {
  it('lint refuses code built from strings: new Function and string timers (RELIABILITY row 34)', () => {
    const found = lintProbe('.', [
      "export const made = new Function('x');",
      "export const called = Function('return 1');",
      "setTimeout('alert(1)', 1);",
      "setInterval('alert(2)', 1000);",
      "window.setTimeout('alert(3)', 1);",
      // A function is fine: the rules must not cry wolf.
      'setTimeout(() => undefined, 1);',
    ]);
    expect(found).toEqual(['1 no-new-func', '2 no-new-func', '3 no-implied-eval', '4 no-implied-eval', '5 no-implied-eval']);
  });

  // src/ stands for both: a probe in entrypoints/ would be taken for an entrypoint by a build running beside.
  it("lint keeps Node out of the extension's code (src/, entrypoints/) and allows it in tools/ (issue 11)", () => {
    const nodeCode = [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'path';",
      "export const fromEnv = process.env.HOME ?? '';",
      "export const bytes = Buffer.from('a');",
      'export const here = __dirname;',
      'export const read = () => readFileSync(join(here, fromEnv));',
    ];
    const inExtension = ['1 no-restricted-imports', '2 no-restricted-imports', '3 no-restricted-globals', '4 no-restricted-globals', '5 no-restricted-globals'];
    expect(lintProbe('src/core', nodeCode)).toEqual(inExtension);
    expect(lintProbe('tools', nodeCode)).toEqual([]);
  });

  it('keeps the pure folders free of extension APIs and HTML sinks', () => {
    const offenders = ['src/core', 'src/index', 'src/extract', 'src/corpus']
      .flatMap(filesUnder)
      .filter((file) => /wxt\/browser|webextension-polyfill|\bchrome\.|\bbrowser\.(runtime|storage|tabs)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    const sinks = ['src', 'entrypoints']
      .flatMap(filesUnder)
      // The build plugin that removes Preact's one innerHTML assignment names what it removes.
      .filter((file) => file !== 'tools/build/no-inner-html-plugin.ts')
      .filter((file) => /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write/.test(readFileSync(file, 'utf8')));
    expect(sinks).toEqual([]);
  });
});
