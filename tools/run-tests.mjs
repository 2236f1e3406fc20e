// `npm test`: every test (the type check and lint as npm scripts, then unit and end to end in
// Chromium through Vitest), then one closing line "N passed, N failed": Vitest's JSON report plus
// the three checks, which is what CI reads. Straight after a
// clone it installs what is missing first: a browser the end-to-end tests drive (Debian's package,
// where it can; otherwise it stops at once, naming the apt command), then the npm packages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureBrowsers, ensureInstalled, selectsE2e, SetupError } from './bootstrap.mjs';

// The browsers first: one that cannot be installed stops at once, before a minute of installing.
try {
  if (selectsE2e(process.argv.slice(2))) ensureBrowsers(['chromium', 'firefox']);
  ensureInstalled();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(error.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// The type check, lint and formatting check run as the project's own npm scripts, not inside Vitest (issue 11); each
// counts as one test in the closing line. A run of chosen test files skips them.
const args = process.argv.slice(2);
const checks = args.length === 0 ? ['typecheck', 'lint', 'format:check'] : [];
let checksFailed = 0;
for (const script of checks) {
  console.log(`\n> npm run ${script}`);
  const check = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  if (check.status !== 0) {
    checksFailed++;
    console.log(`FAIL npm run ${script} (exit ${check.status})`);
  } else console.log(`ok npm run ${script}`);
}

const report = '.output/test-report.json';
mkdirSync('.output', { recursive: true });
rmSync(report, { force: true });
const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], { stdio: 'inherit' });
if (!existsSync(report)) {
  console.log(`${checks.length - checksFailed} passed, ${1 + checksFailed} failed`);
  process.exit(run.status || 1);
}
const { numPassedTests, numFailedTests, numPendingTests, numTotalTestSuites, testResults } = JSON.parse(readFileSync(report, 'utf8'));
// A file that fails outside its tests (a failing beforeAll, an import error) has no failed test in
// the count: count the file itself as a failure.
const brokenFiles = testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')).length;
const failed = numFailedTests + brokenFiles + checksFailed;
const passed = numPassedTests + checks.length - checksFailed;
console.log(`\n${numTotalTestSuites} suites${checks.length ? ` and ${checks.join(', ')}` : ''}`);
console.log(`${passed} passed, ${failed} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
