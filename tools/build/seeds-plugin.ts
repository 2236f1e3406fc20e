import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { loadSeedDirectory } from './seeds';

export const SEEDS_MODULE = 'virtual:storyline-seeds';

/**
 * Vite plugin: `import seeds from 'virtual:storyline-seeds'` gives the articles parsed from
 * seeds/ at build time. A seed that does not parse fails the build with file, line and reason.
 */
export function seedsPlugin(dir = 'seeds'): Plugin {
  const resolvedId = `\0${SEEDS_MODULE}`;
  return {
    name: 'storyline-seeds',
    resolveId(id) {
      return id === SEEDS_MODULE ? resolvedId : undefined;
    },
    load(id) {
      if (id !== resolvedId) return undefined;
      const folder = resolve(dir);
      for (const name of readdirSync(folder)) this.addWatchFile(join(folder, name));
      try {
        return `export default ${JSON.stringify(loadSeedDirectory(folder))};`;
      } catch (error) {
        this.error(`Storyline seeds: ${(error as Error).message}`);
      }
    },
  };
}
