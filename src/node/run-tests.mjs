// `npm test`: every test (static checks, unit, end to end in Chromium), then one closing line
// "N passed, N failed" read from Vitest's JSON report, which is what CI reads. Straight after a
// clone it installs the npm packages first, and stops at once, naming the apt command, when a
// browser the end-to-end tests drive is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureBrowsers, ensureInstalled, selectsE2e, SetupError } from './bootstrap.mjs';

// The browsers first: a missing one stops at once, before a minute of installing.
try {
  if (selectsE2e(process.argv.slice(2))) ensureBrowsers(['chromium', 'firefox']);
  ensureInstalled();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(error.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const report = '.output/test-report.json';
mkdirSync('.output', { recursive: true });
rmSync(report, { force: true });
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  process.exit(run.status || 1);
}
const { numPassedTests, numFailedTests, numPendingTests, numTotalTestSuites, testResults } = JSON.parse(readFileSync(report, 'utf8'));
// A file that fails outside its tests (a failing beforeAll, an import error) has no failed test in
// the count: count the file itself as a failure.
const brokenFiles = testResults.filter(
  (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
).length;
const failed = numFailedTests + brokenFiles;
console.log(`\n${numTotalTestSuites} suites`);
console.log(`${numPassedTests} passed, ${failed} failed${numPendingTests ? `, ${numPendingTests} skipped` : ''}`);
process.exit(failed > 0 || run.status !== 0 ? 1 : 0);
