import seeds from 'virtual:storyline-seeds';
import { StoryIndex } from '../index/engine';
import type { Settings } from '../settings/schema';

/**
 * The articles the matcher searches. For now the bundled seed articles, indexed once per
 * worker start (a few milliseconds) and swapped for an empty index when seeds are switched off.
 */
export function createSeedLibrary(loadSettings: () => Promise<Settings>) {
  let seedIndex: StoryIndex | null = null;
  const empty = new StoryIndex();
  return {
    settings: loadSettings,
    async index(): Promise<StoryIndex> {
      const settings = await loadSettings();
      if (!settings.seedArticles) return empty;
      if (!seedIndex) {
        seedIndex = new StoryIndex();
        seedIndex.addAll(seeds);
      }
      return seedIndex;
    },
  };
}
