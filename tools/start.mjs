// `npm start`: checks for Chromium, installs what is missing (Chromium too, where it can: tools/bootstrap.mjs), then runs
// tools/start.ts, which builds the extension, serves the demo site and drives the browser.
import { spawn } from 'node:child_process';
import { ensureBrowsers, ensureInstalled, SetupError } from './bootstrap.mjs';

// The browser first: one that cannot be installed stops at once, before a minute of installing.
try {
  ensureBrowsers(['chromium']);
  ensureInstalled();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const child = spawn('npx', ['tsx', 'tools/start.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl+C reaches the child from the terminal and it closes its browser itself; wait for it.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
