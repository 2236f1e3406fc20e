import { describe, expect, it } from 'vitest';
import { DEFAULTS, migrateSettings, parseSettings, PRIVACY_SAFE, SETTINGS_VERSION, toStored } from '../../src/settings/schema';

describe('settings', () => {
  it('gives the defaults for nothing stored, or garbage in switches that are not about privacy', () => {
    for (const stored of [undefined, null, {}, { inlineBadges: 'yes', maxResults: 'ten', seedArticles: 0 }]) {
      expect(parseSettings(stored)).toEqual(DEFAULTS);
    }
  });

  it('fails closed on a privacy switch it cannot read (issue 9, finding 8)', () => {
    // history: "false" used to come back as true: the library recorded what the person read.
    for (const bad of ['false', 'true', 0, 1, null, {}, []]) {
      expect(parseSettings({ version: SETTINGS_VERSION, history: bad, clickOnly: bad })).toMatchObject({ history: false, clickOnly: true });
    }
    expect(PRIVACY_SAFE).toEqual({ history: false, clickOnly: true });
    // A whole record that is not an object is broken, not absent.
    for (const broken of ['x', 42, [], true]) {
      expect(parseSettings(broken)).toEqual({ ...DEFAULTS, history: false, clickOnly: true });
    }
    // Real booleans are kept either way.
    expect(parseSettings({ version: SETTINGS_VERSION, history: true, clickOnly: false })).toMatchObject({ history: true, clickOnly: false });
  });

  it('falls back to the default for a number that is not one, and clamps one out of range (finding 8)', () => {
    // retentionDays -5 used to become 1 day, and the next prune emptied the library.
    for (const bad of [-5, 0, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 'ten', '', '-3', null, {}, true]) {
      expect(parseSettings({ version: SETTINGS_VERSION, retentionDays: bad }).retentionDays).toBe(DEFAULTS.retentionDays);
    }
    expect(parseSettings({ version: SETTINGS_VERSION, retentionDays: 99_999 }).retentionDays).toBe(3650);
    expect(parseSettings({ version: SETTINGS_VERSION, retentionDays: '90' }).retentionDays).toBe(90);
    expect(parseSettings({ version: SETTINGS_VERSION, maxArticles: 5 }).maxArticles).toBe(100);
    expect(parseSettings({ version: SETTINGS_VERSION, maxResults: 12.4 }).maxResults).toBe(12);
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
