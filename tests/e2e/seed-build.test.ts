import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('seeds at build time', () => {
  it('fails the build on a seed that does not parse, naming the file, line and reason', () => {
    const run = spawnSync('npx', ['wxt', 'build'], {
      encoding: 'utf8',
      env: { ...process.env, STORYLINE_SEEDS: 'tests/fixtures/bad-seeds', STORYLINE_OUT: '.output/bad-seeds-build' },
      timeout: 120_000,
    });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toMatch(/bad-seeds\/001_broken\.txt:7: expected the outlet and age after the lead headline/);
  });

  it('bundles every seed file of the folder into the background worker', () => {
    const run = spawnSync('npx', ['wxt', 'build'], {
      encoding: 'utf8',
      env: { ...process.env, STORYLINE_SEEDS: 'tests/fixtures/seeds', STORYLINE_OUT: '.output/extra-seeds-build' },
      timeout: 120_000,
    });
    expect(run.status).toBe(0);
    const background = readFileSync('.output/extra-seeds-build/chrome-mv3/background.js', 'utf8');
    expect(background).toContain('Ukraine and Russia exchange prisoners after Istanbul talks');
    expect(background).toContain('South Wales Guardian');
  });
});
