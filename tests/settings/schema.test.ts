import { describe, expect, it } from 'vitest';
import { DEFAULTS, migrateSettings, parseSettings, SETTINGS_VERSION, toStored } from '../../src/settings/schema';

describe('settings', () => {
  it('gives the defaults for nothing or garbage', () => {
    for (const stored of [undefined, null, 'x', 42, [], { inlineBadges: 'yes', maxResults: 'ten' }]) {
      expect(parseSettings(stored)).toEqual(DEFAULTS);
    }
  });

  it('keeps valid stored values and clamps numbers into range', () => {
    const s = parseSettings({ version: SETTINGS_VERSION, seedArticles: false, maxResults: 500, windowDays: 0.4, minRelevance: 5 });
    expect(s).toMatchObject({ seedArticles: false, maxResults: 50, windowDays: 1, minRelevance: 5 });
    expect(parseSettings({ version: SETTINGS_VERSION, minRelevance: 9 }).minRelevance).toBe(3);
  });

  it('migrates version 0 (minScore percent) and version 1 (useSeeds)', () => {
    expect(parseSettings({ minScore: 100, useSeeds: false }).minRelevance).toBe(5);
    expect(parseSettings({ version: 1, useSeeds: false }).seedArticles).toBe(false);
    // A current-version record is not migrated again.
    expect(migrateSettings({ version: SETTINGS_VERSION, useSeeds: false })).toHaveProperty('useSeeds');
  });

  it('round-trips through the stored form', () => {
    const s = { ...DEFAULTS, toolbarBadge: false };
    expect(parseSettings(toStored(s))).toEqual(s);
    expect(toStored(s).version).toBe(SETTINGS_VERSION);
  });
});
