import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APT_COMMAND,
  aptPlan,
  ensureBrowsers,
  ensureInstalled,
  installReason,
  missingBrowsers,
  nodeVersionProblem,
  satisfies,
  selectsE2e,
  SetupError,
} from '../../tools/bootstrap.mjs';

/** A project folder with a lock file and, optionally, an install of a given age relative to it. */
function project(install: 'none' | 'empty' | 'older' | 'newer') {
  const root = mkdtempSync(join(tmpdir(), 'storyline-bootstrap-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ engines: { node: '>=1' } }));
  writeFileSync(join(root, 'package-lock.json'), '{}');
  const lockTime = new Date('2026-01-02T00:00:00Z');
  utimesSync(join(root, 'package-lock.json'), lockTime, lockTime);
  if (install !== 'none') mkdirSync(join(root, 'node_modules'));
  if (install === 'older' || install === 'newer') {
    const installed = join(root, 'node_modules', '.package-lock.json');
    writeFileSync(installed, '{}');
    const time = new Date(lockTime.getTime() + (install === 'newer' ? 1000 : -1000));
    utimesSync(installed, time, time);
  }
  return root;
}

function withWxtTypes(root: string) {
  mkdirSync(join(root, '.wxt'));
  writeFileSync(join(root, '.wxt', 'wxt.d.ts'), '');
  return root;
}

describe('installReason', () => {
  it('asks for npm ci when node_modules is missing, incomplete or older than the lock file', () => {
    expect(installReason(project('none'))).toBe('node_modules is missing');
    expect(installReason(project('empty'))).toMatch(/incomplete/);
    expect(installReason(project('older'))).toBe('package-lock.json is newer than node_modules');
    expect(installReason(project('newer'))).toBeNull();
  });
});

describe('ensureInstalled', () => {
  const recorder = (status = 0) => {
    const calls: string[] = [];
    return { calls, run: (command: string, args: string[]) => (calls.push([command, ...args].join(' ')), status) };
  };

  it('runs npm ci once when node_modules is stale, and nothing when it is fresh', () => {
    const stale = recorder();
    const logs: string[] = [];
    expect(ensureInstalled({ root: withWxtTypes(project('older')), run: stale.run, log: (line) => logs.push(line) })).toBe(true);
    expect(stale.calls).toEqual(['npm ci --no-audit --no-fund']);
    expect(logs.join('\n')).toMatch(/package-lock.json is newer than node_modules; installing the npm packages with npm ci/);

    const fresh = recorder();
    expect(ensureInstalled({ root: withWxtTypes(project('newer')), run: fresh.run, log: () => {} })).toBe(false);
    expect(fresh.calls).toEqual([]);
  });

  it('generates the WXT types when they are missing (after npm ci --ignore-scripts)', () => {
    const { calls, run } = recorder();
    ensureInstalled({ root: project('newer'), run, log: () => {} });
    expect(calls).toEqual(['npx wxt prepare']);
  });

  it('throws a SetupError when npm ci fails', () => {
    const { run } = recorder(1);
    expect(() => ensureInstalled({ root: project('none'), run, log: () => {} })).toThrow(SetupError);
    expect(() => ensureInstalled({ root: project('none'), run, log: () => {} })).toThrow(/npm ci failed \(exit code 1\)/);
  });
});

describe('Node version', () => {
  const engines = '^20.19.0 || ^22.13.0';
  it.each([
    ['20.19.0', true],
    ['20.20.2', true],
    ['22.13.0', true],
    ['22.20.1', true],
    ['20.18.3', false],
    ['22.12.0', false],
    ['18.20.0', false],
    ['24.1.0', false],
  ])('Node %s satisfies %s: %s', (version, ok) => {
    expect(satisfies(version, engines)).toBe(ok);
    expect(nodeVersionProblem(version, engines) == null).toBe(ok);
  });

  it('reads the other comparators of engines fields', () => {
    expect(satisfies('20.19.0', '>=20.19 <23')).toBe(true);
    expect(satisfies('23.0.0', '>=20.19 <23')).toBe(false);
    expect(satisfies('20.5.1', '~20.5.0')).toBe(true);
    expect(satisfies('20.6.0', '~20.5.0')).toBe(false);
    expect(satisfies('20.6.0', '20')).toBe(true);
    expect(satisfies('20.6.0', '*')).toBe(true);
    expect(nodeVersionProblem('18.0.0', engines)).toMatch(/this is Node 18.0.0, and Storyline's tools need Node \^20.19.0 \|\| \^22.13.0/);
  });
});

describe('browsers', () => {
  it('honours CHROMIUM_PATH and FIREFOX_PATH', () => {
    expect(missingBrowsers(['chromium', 'firefox'], { CHROMIUM_PATH: process.execPath, FIREFOX_PATH: process.execPath })).toEqual([]);
    const missing = missingBrowsers(['chromium', 'firefox'], { CHROMIUM_PATH: '/nowhere/chromium', FIREFOX_PATH: process.execPath });
    expect(missing.map((b) => [b.name, b.path, b.fromEnv])).toEqual([['chromium', '/nowhere/chromium', true]]);
  });

  it('names what is missing and the exact apt command', () => {
    expect(APT_COMMAND).toBe('sudo apt-get install -y chromium firefox-esr');
    let message = '';
    try {
      ensureBrowsers(['chromium', 'firefox'], { CHROMIUM_PATH: '/nowhere/chromium', FIREFOX_PATH: '/nowhere/firefox' });
    } catch (error) {
      expect(error).toBeInstanceOf(SetupError);
      message = (error as Error).message;
    }
    expect(message).toContain('Chromium not found at /nowhere/chromium (from CHROMIUM_PATH)');
    expect(message).toContain('Firefox not found at /nowhere/firefox (from FIREFOX_PATH)');
    expect(message).toContain('\n  sudo apt-get install -y chromium firefox-esr\n');
  });

  const chromium = { name: 'chromium', label: 'Chromium', variable: 'CHROMIUM_PATH', path: '/usr/bin/chromium', fromEnv: false } as const;
  const firefox = { name: 'firefox', label: 'Firefox', variable: 'FIREFOX_PATH', path: '/usr/bin/firefox-esr', fromEnv: false } as const;
  const everything = () => true;

  it("are installed as Debian's packages with apt-get: as root directly, otherwise through sudo", () => {
    expect(aptPlan([chromium, firefox], { platform: 'linux', debian: true, isRoot: true, has: everything })).toEqual([
      ['apt-get', 'update', '-qq'],
      ['apt-get', 'install', '-y', '-qq', 'chromium', 'firefox-esr'],
    ]);
    // sudo drops DEBIAN_FRONTEND from the environment: given through env (review, helper-31).
    expect(aptPlan([firefox], { platform: 'linux', debian: true, isRoot: false, has: everything })).toEqual([
      ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'firefox-esr'],
    ]);
  });

  it('are not installed where apt-get cannot, or where the user named the path', () => {
    expect(aptPlan([chromium], { platform: 'linux', debian: true, isRoot: false, has: (c) => c === 'apt-get' })).toBeNull();
    expect(aptPlan([chromium], { platform: 'linux', debian: true, isRoot: true, has: (c) => c !== 'apt-get' })).toBeNull();
    expect(aptPlan([chromium], { platform: 'darwin', debian: true, isRoot: true, has: everything })).toBeNull();
    // Ubuntu and Mint have apt-get, but not Debian's packages.
    expect(aptPlan([chromium], { platform: 'linux', debian: false, isRoot: true, has: everything })).toBeNull();
    expect(aptPlan([{ ...chromium, path: '/opt/chrome', fromEnv: true }], { platform: 'linux', debian: true, isRoot: true, has: everything })).toBeNull();
    expect(aptPlan([], { platform: 'linux', debian: true, isRoot: true, has: everything })).toBeNull();
  });

  it('runs the plan non-interactively, then looks again', () => {
    const ran: string[] = [];
    let installed = false;
    const result = ensureBrowsers(
      ['chromium'],
      {},
      {
        plan: () => [
          ['apt-get', 'update'],
          ['apt-get', 'install', '-y', 'chromium'],
        ],
        find: () => (installed ? [] : [chromium]),
        run: (command, args, _cwd, env) => {
          ran.push(`${env?.DEBIAN_FRONTEND} ${command} ${args.join(' ')}`);
          if (args[0] === 'install') installed = true;
          return 0;
        },
        log: () => {},
      },
    );
    expect(result).toBe(true);
    expect(ran).toEqual(['noninteractive apt-get update', 'noninteractive apt-get install -y chromium']);
    expect(ensureBrowsers(['chromium'], {}, { find: () => [], run: () => 1, log: () => {} })).toBe(false);
  });

  it('stops with the apt command when installing fails, and installs nothing with STORYLINE_NO_APT', () => {
    const ran: string[] = [];
    const options = {
      plan: () => [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', 'chromium'],
      ],
      find: () => [chromium],
      run: (command: string, args: string[]) => {
        ran.push(args[0]);
        return 100;
      },
      log: () => {},
    };
    expect(() => ensureBrowsers(['chromium'], {}, options)).toThrow(
      /Chromium not found at \/usr\/bin\/chromium[\s\S]*sudo apt-get install -y chromium firefox-esr/,
    );
    // The failed update stops there: no install on stale package lists.
    expect(ran).toEqual(['update']);
    ran.length = 0;
    expect(() => ensureBrowsers(['chromium'], { STORYLINE_NO_APT: '1' }, options)).toThrow(SetupError);
    expect(ran).toEqual([]);
  });

  it('are needed unless only the unit project runs', () => {
    expect(selectsE2e([])).toBe(true);
    expect(selectsE2e(['tests/e2e/popup.test.ts'])).toBe(true);
    expect(selectsE2e(['--project', 'e2e'])).toBe(true);
    expect(selectsE2e(['--project', 'unit'])).toBe(false);
    expect(selectsE2e(['--project=unit', 'tests/node'])).toBe(false);
    expect(selectsE2e(['--project', 'unit', '--project', 'e2e'])).toBe(true);
  });
});

describe('npm start and npm test without a browser', () => {
  const env = { ...process.env, CHROMIUM_PATH: '/nowhere/chromium', FIREFOX_PATH: '/nowhere/firefox' };

  it('npm start stops before building, with the apt command', () => {
    const run = spawnSync(process.execPath, ['tools/start.mjs'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Chromium not found at /nowhere/chromium (from CHROMIUM_PATH)');
    expect(run.stderr).toContain(APT_COMMAND);
    expect(run.stdout).not.toMatch(/WXT|Demo news site/);
  });

  it('npm test stops before running Vitest, with the apt command and a closing count', () => {
    const run = spawnSync(process.execPath, ['tools/run-tests.mjs'], { encoding: 'utf8', env, timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Firefox not found at /nowhere/firefox (from FIREFOX_PATH)');
    expect(run.stderr).toContain(APT_COMMAND);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });
});

describe('the scripts that run before npm ci', () => {
  it('npm start and npm test are plain Node scripts', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(scripts.start).toBe('node tools/start.mjs');
    expect(scripts.test).toBe('node tools/run-tests.mjs');
  });

  it.each(['tools/bootstrap.mjs', 'tools/start.mjs', 'tools/run-tests.mjs', 'tools/make-icons.mjs'])(
    '%s imports only Node built-ins and its neighbours',
    (file) => {
      const imports = [...readFileSync(file, 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((name) => !name.startsWith('node:') && !/^\.\/[\w-]+\.mjs$/.test(name))).toEqual([]);
    },
  );
});
