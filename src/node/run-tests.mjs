// `npm test`: every test (static checks, unit, end to end in Chromium), then one closing line
// "N passed, N failed" read from Vitest's JSON report, which is what CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

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
