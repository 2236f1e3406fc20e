// What `npm start` and `npm test` do first, straight after a clone: install a missing browser
// (Debian's package, with apt-get, as root or through sudo) and the npm packages when node_modules
// is missing or older than package-lock.json, and say plainly what they cannot install themselves.
// Plain Node with no dependencies, since it runs before any.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const APT_COMMAND = 'sudo apt-get install -y chromium firefox-esr';

export const BROWSERS = {
  chromium: { label: 'Chromium', variable: 'CHROMIUM_PATH', fallback: '/usr/bin/chromium' },
  firefox: { label: 'Firefox', variable: 'FIREFOX_PATH', fallback: '/usr/bin/firefox-esr' },
};

/** A set-up problem the user has to fix; its message says how. */
export class SetupError extends Error {
  name = 'SetupError';
}

/** Why node_modules needs `npm ci`, or null when it is as new as package-lock.json. */
export function installReason(root = process.cwd()) {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  // npm ci and npm install write this file last, after everything they installed.
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed)) return 'node_modules is incomplete (it has no .package-lock.json)';
  if (statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) return 'package-lock.json is newer than node_modules';
  return null;
}

function runCommand(command, args, cwd, env = {}) {
  return spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, ...env } }).status;
}

/**
 * Runs `npm ci` when installReason() says so, and `wxt prepare` when its generated types are
 * missing (as after `npm ci --ignore-scripts`). Returns whether it installed; throws SetupError
 * when a command fails.
 */
export function ensureInstalled({ root = process.cwd(), run = runCommand, log = console.log } = {}) {
  const versionProblem = nodeVersionProblem(process.versions.node, readEngines(root));
  if (versionProblem) log(`Storyline: warning: ${versionProblem}`);
  const reason = installReason(root);
  if (reason) {
    log(`Storyline: ${reason}; installing the npm packages with npm ci (about a minute)...`);
    const status = run('npm', ['ci', '--no-audit', '--no-fund'], root);
    if (status !== 0) throw new SetupError(`Storyline: npm ci failed (exit code ${status}); see its messages above.`);
  }
  if (!existsSync(join(root, '.wxt', 'wxt.d.ts'))) {
    log('Storyline: generating WXT types (wxt prepare)...');
    const status = run('npx', ['wxt', 'prepare'], root);
    if (status !== 0) throw new SetupError(`Storyline: wxt prepare failed (exit code ${status}); see its messages above.`);
  }
  return reason != null;
}

function readEngines(root) {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines?.node ?? null;
  } catch {
    return null;
  }
}

function parseVersion(text) {
  const [major = 0, minor = 0, patch = 0] = text
    .trim()
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** A small reading of npm ranges, enough for engines fields: `||`, `^`, `~`, `>=`, `>`, `<=`, `<`, `=`. */
export function satisfies(version, range) {
  const v = parseVersion(version);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const [, op = '', rest] = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(comparator) ?? [];
        if (rest == null || rest === '*' || rest === 'x') return true;
        const target = parseVersion(rest);
        const order = compare(v, target);
        if (op === '^') return order >= 0 && (target[0] > 0 ? v[0] === target[0] : v[0] === 0 && v[1] === target[1]);
        if (op === '~') return order >= 0 && v[0] === target[0] && v[1] === target[1];
        if (op === '>=') return order >= 0;
        if (op === '>') return order > 0;
        if (op === '<=') return order <= 0;
        if (op === '<') return order < 0;
        // A bare or `=` version: as many parts as it names must match.
        const named = rest.split('.').filter((part) => /^\d+$/.test(part)).length;
        return v.slice(0, named).every((part, i) => part === target[i]);
      }),
  );
}

/** A sentence when this Node is outside package.json's engines range, else null. */
export function nodeVersionProblem(version, range) {
  if (!range || satisfies(version, range)) return null;
  return `this is Node ${version}, and Storyline's tools need Node ${range} (package.json "engines"); install one of those (with nvm, for example) if anything below fails.`;
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browsers among `names` ('chromium', 'firefox') that cannot be found, each with the path tried. */
export function missingBrowsers(names, env = process.env) {
  return names
    .map((name) => {
      const { label, variable, fallback } = BROWSERS[name];
      const path = env[variable] || fallback;
      return { name, label, variable, path, fromEnv: Boolean(env[variable]) };
    })
    .filter(({ path }) => !isExecutable(path));
}

/** What to tell the user about missing browsers: what was looked for, and the one command that installs them. */
export function browserAdvice(missing) {
  const lines = missing.map(({ label, variable, path, fromEnv }) =>
    fromEnv ? `Storyline: ${label} not found at ${path} (from ${variable}).` : `Storyline: ${label} not found at ${path} (set ${variable} to use another).`,
  );
  return [
    ...lines,
    "Storyline drives Debian's browsers and never downloads one. Install them with:",
    '',
    `  ${APT_COMMAND}`,
    '',
    '(as root, leave out sudo), or set CHROMIUM_PATH / FIREFOX_PATH to browsers you already have.',
  ].join('\n');
}

/** Debian's package for each browser. */
export const PACKAGES = { chromium: 'chromium', firefox: 'firefox-esr' };

function onPath(command) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && isExecutable(join(dir, command)));
}

/** Whether this machine runs Debian (whose packages `chromium` and `firefox-esr` are): /etc/os-release says ID=debian. */
function isDebian() {
  try {
    return /^ID="?debian"?$/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The commands that install the missing browsers with Debian's apt-get here, or null where
 * Storyline should not or cannot: a path the user chose (CHROMIUM_PATH) is theirs to fix, and
 * it needs Debian (Ubuntu's apt has no firefox-esr) with apt-get, and root or sudo (which may ask
 * for a password; run through `env`, since sudo drops DEBIAN_FRONTEND).
 */
export function aptPlan(missing, { platform = process.platform, debian = isDebian(), isRoot = process.getuid?.() === 0, has = onPath } = {}) {
  if (!missing.length || missing.some((b) => b.fromEnv) || platform !== 'linux' || !debian || !has('apt-get')) return null;
  const sudo = isRoot ? [] : has('sudo') ? ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive'] : null;
  if (!sudo) return null;
  return [
    [...sudo, 'apt-get', 'update', '-qq'],
    [...sudo, 'apt-get', 'install', '-y', '-qq', ...missing.map((b) => PACKAGES[b.name])],
  ];
}

/**
 * Makes sure the browsers are there: when one is missing, installs Debian's package with apt-get
 * where aptPlan allows (not with STORYLINE_NO_APT set) and looks again. Returns whether it
 * installed; throws SetupError, with the apt command to run by hand, when any is still missing.
 */
export function ensureBrowsers(names, env = process.env, { run = runCommand, log = console.log, plan = aptPlan, find = missingBrowsers } = {}) {
  let missing = find(names, env);
  if (!missing.length) return false;
  const commands = env.STORYLINE_NO_APT ? null : plan(missing);
  if (commands) {
    const packages = missing.map((b) => PACKAGES[b.name]).join(' ');
    log(`Storyline: ${missing.map((b) => `${b.label} not found at ${b.path}`).join('; ')}.`);
    log(`Storyline: installing Debian's ${packages} with apt-get (a few minutes; STORYLINE_NO_APT=1 stops instead)...`);
    for (const [command, ...args] of commands) {
      const status = run(command, args, process.cwd(), { DEBIAN_FRONTEND: 'noninteractive' });
      if (status !== 0) {
        log(`Storyline: ${[command, ...args].join(' ')} failed (exit code ${status}).`);
        break;
      }
    }
    missing = find(names, env);
    if (!missing.length) return true;
  }
  throw new SetupError(browserAdvice(missing));
}

/** Whether Vitest arguments run the e2e project, which needs the browsers (no --project runs every project). */
export function selectsE2e(args) {
  const projects = args.flatMap((arg, i) => (arg === '--project' ? [args[i + 1]] : arg.startsWith('--project=') ? [arg.slice('--project='.length)] : []));
  return projects.length === 0 || projects.some((name) => name !== 'unit');
}
