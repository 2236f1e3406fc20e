import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  it('lint refuses code built from strings: new Function and string timers (RELIABILITY row 34)', () => {
    // Inside the project, not the system's temporary folder: a CI machine may put that under a
    // path the configuration ignores (".output"), and then oxlint finds no file and says nothing.
    const dir = mkdtempSync(join(process.cwd(), 'lint-probe-'));
    const file = join(dir, 'bad.ts');
    writeFileSync(
      file,
      [
        "export const made = new Function('x');",
        "export const called = Function('return 1');",
        "setTimeout('alert(1)', 1);",
        "setInterval('alert(2)', 1000);",
        "window.setTimeout('alert(3)', 1);",
        // A function is fine: the rules must not cry wolf.
        'setTimeout(() => undefined, 1);',
        '',
      ].join('\n'),
    );
    try {
      // The project's own configuration, read as JSON: the text report changes with the terminal
      // and with CI variables (colours, box drawing, GitHub annotations), which once hid every finding.
      const { code, output } = run('npx', ['oxlint', '-c', '.oxlintrc.json', '--deny-warnings', '--format=json', file]);
      const report = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as {
        diagnostics: { code: string; filename: string; labels: { span: { line: number } }[] }[];
        number_of_files: number;
      };
      expect(report.number_of_files, output).toBe(1);
      const found = report.diagnostics
        .filter((d) => d.filename.endsWith('bad.ts'))
        .map((d) => `${d.labels[0]?.span.line} ${d.code.replace(/^eslint\((.*)\)$/, '$1')}`);
      expect(found.sort(), output).toEqual(['1 no-new-func', '2 no-new-func', '3 no-implied-eval', '4 no-implied-eval', '5 no-implied-eval']);
      expect(code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the pure folders free of extension APIs and HTML sinks', () => {
    const offenders = ['src/core', 'src/index', 'src/extract', 'src/corpus']
      .flatMap(filesUnder)
      .filter((file) => /wxt\/browser|webextension-polyfill|\bchrome\.|\bbrowser\.(runtime|storage|tabs)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
    const sinks = ['src', 'entrypoints']
      .flatMap(filesUnder)
      // The build plugin that removes Preact's one innerHTML assignment names what it removes.
      .filter((file) => file !== 'src/build/no-inner-html-plugin.ts')
      .filter((file) => /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write/.test(readFileSync(file, 'utf8')));
    expect(sinks).toEqual([]);
  });
});
