import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// npm's own range logic (semver is in the tree through many packages; it has no types here).
const semver = createRequire(import.meta.url)('semver') as {
  subset: (sub: string, dom: string) => boolean;
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));

describe('engines', () => {
  it('every locked package runs on every Node version package.json promises (npm ci: no EBADENGINE)', () => {
    const ours: string = pkg.engines.node;
    const refusing = Object.entries<{ version: string; engines?: { node?: string } }>(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.engines?.node && !semver.subset(ours, entry.engines.node))
      .map(([path, entry]) => `${path}@${entry.version} wants node ${entry.engines?.node}`);
    expect(refusing).toEqual([]);
  });

  it('the lock file was made from this package.json, overrides included', () => {
    expect(lock.packages[''].engines).toEqual(pkg.engines);
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
    expect(lock.packages['node_modules/publish-browser-extension/node_modules/listr2']?.version).toBe(pkg.overrides['publish-browser-extension'].listr2);
  });
});
