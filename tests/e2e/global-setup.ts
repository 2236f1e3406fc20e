import { execFileSync } from 'node:child_process';

/** End-to-end tests drive the built extensions: build both once for the whole run, before any test. */
export default function setup() {
  execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore', env: { ...process.env, STORYLINE_E2E: '1' } });
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { stdio: 'ignore', env: { ...process.env, STORYLINE_E2E: '1' } });
}
