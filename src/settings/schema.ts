import { parsePatternList } from './site-rules';

/**
 * "Minimum relevance" as a person sets it: 1 = more, looser matches ... 5 = fewer, closer matches.
 * Level 3 is the shipped default; level 5 keeps only same-story coverage. The settings own the
 * levels (the options page lists them); the matcher (index/model) maps each to its thresholds.
 */
export const RELEVANCE_LEVELS = [1, 2, 3, 4, 5] as const;
export type RelevanceLevel = (typeof RELEVANCE_LEVELS)[number];

/**
 * Storyline's settings. DEFAULTS is the schema: every key, its type and its default.
 * Stored values are parsed with parseSettings (never trusted) and migrated by version.
 */
export const DEFAULTS = {
  /** Small "N related" buttons beside headlines on news sites. */
  inlineBadges: true,
  /** Sites where badges may appear (empty: every site); host patterns such as "*.example.com". */
  badgeAllow: [] as string[],
  /** Sites where badges never appear; wins over the allow list. */
  badgeDeny: [] as string[],
  /** Read and match nothing on a page until the toolbar button is pressed. */
  clickOnly: false,
  /** The count on the toolbar button. */
  toolbarBadge: true,
  /** 1 = more, looser matches ... 5 = fewer, closer matches (same story only). */
  minRelevance: 3 as RelevanceLevel,
  /** Most related stories listed. */
  maxResults: 10,
  /** Only stories published within this many days of the article. */
  windowDays: 7,
  /** Include the articles bundled with the extension. */
  seedArticles: true,
  /** Keep the headlines of articles the person opens (never in private windows). */
  history: true,
  /** Articles older than this many days are pruned (seed articles never are). */
  retentionDays: 30,
  /** The library keeps at most this many articles, oldest pruned first. */
  maxArticles: 100_000,
};
export type Settings = typeof DEFAULTS;

export const SETTINGS_VERSION = 2;
export const LIMITS = { maxResults: [1, 50], windowDays: [1, 60], retentionDays: [1, 3650], maxArticles: [100, 500_000] } as const;

/** Stored form: the settings plus the schema version they were written with. */
export interface StoredSettings extends Partial<Settings> {
  version?: number;
}

type Migration = (stored: Record<string, unknown>) => Record<string, unknown>;

/**
 * Ordered migrations: MIGRATIONS[n] turns version n into version n + 1.
 * Version 0 (the first preview) kept relevance as a 0-100 percentage in `minScore`.
 * Version 1 called the seed switch `useSeeds`.
 */
const MIGRATIONS: Migration[] = [
  ({ minScore, ...rest }) => {
    if (typeof minScore !== 'number') return rest;
    const level = Math.min(5, Math.max(1, Math.round(minScore / 25) + 1));
    return { ...rest, minRelevance: level };
  },
  ({ useSeeds, ...rest }) => (typeof useSeeds === 'boolean' ? { ...rest, seedArticles: useSeeds } : rest),
];

export function migrateSettings(stored: unknown): Record<string, unknown> {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  let value = { ...(stored as Record<string, unknown>) };
  const from = typeof value.version === 'number' && Number.isInteger(value.version) ? value.version : 0;
  for (let v = Math.max(0, from); v < SETTINGS_VERSION; v++) value = MIGRATIONS[v](value);
  return value;
}

/**
 * Privacy switches and the value that shares less. A stored value that is not a boolean (a string
 * "false", a number, an object from a broken write) becomes this value, never the default: an
 * unreadable "keep no history" must not turn history back on.
 */
export const PRIVACY_SAFE: Partial<Record<keyof Settings, boolean>> = { history: false, clickOnly: true };

/**
 * A stored number: a finite number, or a string of digits ("90"), rounded and clamped into range.
 * Anything else, zero and negatives included, is not a value the person chose: the default, not
 * the limit (retentionDays: -5 would otherwise become 1 day and prune the library).
 */
function clampInt(value: unknown, [min, max]: readonly [number, number], fallback: number): number {
  const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

/** Any stored value -> complete, valid Settings. Never throws; unknown keys are dropped. */
export function parseSettings(stored: unknown): Settings {
  // A stored record that is there but unreadable is treated like unreadable switches in it.
  const broken = stored !== undefined && stored !== null && (typeof stored !== 'object' || Array.isArray(stored));
  const raw = migrateSettings(stored);
  const bool = (key: keyof Settings) => {
    const value = raw[key];
    if (typeof value === 'boolean') return value;
    const safe = PRIVACY_SAFE[key];
    if (safe !== undefined && (value !== undefined || broken)) return safe;
    return DEFAULTS[key] as boolean;
  };
  const level = RELEVANCE_LEVELS.includes(raw.minRelevance as RelevanceLevel) ? (raw.minRelevance as RelevanceLevel) : DEFAULTS.minRelevance;
  return {
    inlineBadges: bool('inlineBadges'),
    badgeAllow: parsePatternList(raw.badgeAllow),
    badgeDeny: parsePatternList(raw.badgeDeny),
    clickOnly: bool('clickOnly'),
    toolbarBadge: bool('toolbarBadge'),
    minRelevance: level,
    maxResults: clampInt(raw.maxResults, LIMITS.maxResults, DEFAULTS.maxResults),
    windowDays: clampInt(raw.windowDays, LIMITS.windowDays, DEFAULTS.windowDays),
    seedArticles: bool('seedArticles'),
    history: bool('history'),
    retentionDays: clampInt(raw.retentionDays, LIMITS.retentionDays, DEFAULTS.retentionDays),
    maxArticles: clampInt(raw.maxArticles, LIMITS.maxArticles, DEFAULTS.maxArticles),
  };
}

/** What gets written: the full settings with the current version. */
export function toStored(settings: Settings): StoredSettings {
  return { ...settings, version: SETTINGS_VERSION };
}
