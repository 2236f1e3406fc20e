import { execFileSync } from 'node:child_process';

/** End-to-end tests drive the built extension: build it once for the whole run. */
export default function setup() {
  execFileSync('npx', ['wxt', 'build'], { stdio: 'ignore', env: { ...process.env, STORYLINE_E2E: '1' } });
}
