import shipped from './model.json';
import { SIGNALS } from './pair';
import type { MatchLabel } from '../core/article';
import type { RelevanceLevel } from '../settings/schema';

// The levels belong to the settings schema; re-exported for the engine and the Node tools.
export { RELEVANCE_LEVELS, type RelevanceLevel } from '../settings/schema';

/**
 * The re-ranker: a logistic model over the pair signals, learned on the dev pairs by
 * `npm run train` (tools/train.ts) and shipped as model.json. Thresholds were chosen on the
 * dev data too and ship with the weights, so the bench measures exactly what users get.
 */
export interface Model {
  version: number;
  signals: readonly string[];
  weights: number[];
  bias: number;
  thresholds: {
    /** Score from which a story is labelled "Same story". */
    sameStory: number;
    /** Score from which a story is "Related" at the default level. */
    related: number;
    /** Shared weight beyond the single best shared word that "Related" needs, in rarest-word units. */
    relatedEvidence: number;
    /** Topic closeness (names shared through descriptions) from which a story is "Related". */
    topic: number;
  };
}

export function parseModel(raw: unknown): Model {
  const m = raw as Model;
  if (!m || !Array.isArray(m.weights) || m.weights.length !== SIGNALS.length || m.signals.join() !== SIGNALS.join() || typeof m.bias !== 'number') {
    throw new Error('Storyline: model.json does not match the engine signals; run `npm run train`.');
  }
  return m;
}

export const MODEL: Model = parseModel(shipped);

export function probability(values: readonly number[], model: Model = MODEL): number {
  let z = model.bias;
  for (let i = 0; i < values.length; i++) z += model.weights[i] * values[i];
  return 1 / (1 + Math.exp(-z));
}

export function relatedFloor(level: RelevanceLevel, model: Model = MODEL): number {
  const { related, sameStory } = model.thresholds;
  switch (level) {
    case 1:
      return related * 0.5;
    case 2:
      return related * 0.75;
    case 3:
      return related;
    case 4:
      return (related + sameStory) / 2;
    case 5:
      return sameStory;
  }
}

/** What the labels are decided on: the score, topic closeness and the shared headline words. */
export interface Evidence {
  score: number;
  topic: number;
  /** Whether a shared name of the topic is told in a description or body; absent, it is not. */
  topicInText?: boolean;
  /**
   * Shared headline words: how many, their summed idf, the largest idf, how many are names
   * (capitalised mid-headline or acronyms in either, or written with a capital in both; not
   * numbers), how many are words at all (not numbers, days or months; absent, count); rarity is
   * that largest idf and beyond the idf of the others, each as a share of the rarest possible
   * word's idf in this library (so the rules read the same in a library of 40 articles or 40,000).
   */
  shared: { count: number; idf: number; maxIdf: number; rarity: number; beyond: number; names: number; words?: number; cosine?: number; gap?: number | null };
}

/**
 * A copy of the page's headline: nearly all its weight shared (wire syndication, a rewritten
 * headline of the same report), rare words beyond the best one, within a day. A reader takes that
 * for the same story whatever else the model says; the model, trained on stories with several
 * reports, scores a lone copy low for want of corroboration.
 */
export const COPY = { cosine: 0.9, beyond: 1.5, days: 1 };

export function isCopy(c: Evidence): boolean {
  const s = c.shared;
  return (s.cosine ?? 0) >= COPY.cosine && s.beyond >= COPY.beyond && (s.gap === null || s.gap === undefined || s.gap <= COPY.days);
}

/** A single shared word counts as evidence only when it is a name and this rare (a share of a unique word's idf). */
export const RARE_WORD = 0.5;

function beyondOne(c: Evidence): boolean {
  return c.shared.count >= 2 || (c.shared.count === 1 && c.shared.names === 1 && c.shared.rarity >= RARE_WORD);
}

/** "Related" through the headlines: evidence beyond one word, worth enough, and a score above the level's floor. */
export function relatedByHeadline(c: Evidence, level: RelevanceLevel, model: Model = MODEL): boolean {
  const evidenceFloor = model.thresholds.relatedEvidence * (1 + (level - 3) * 0.25);
  return beyondOne(c) && c.shared.beyond >= evidenceFloor && c.score >= relatedFloor(level, model);
}

/**
 * The label a scored story gets at a relevance level, or null when it should not be shown.
 * Evidence rules come before any score: one shared common word is never "Same story" and never
 * "Related" through the headline (a "terrible" co-star is not a "terrible" idea); a single shared name
 * at least half as rare as a unique word may stand alone ("Hemsworth"). A
 * development of the story shares at least two words of weight, or names through its text.
 */
export function labelFor(c: Evidence, level: RelevanceLevel, model: Model = MODEL): MatchLabel | null {
  if (beyondOne(c) && (c.score >= model.thresholds.sameStory || isCopy(c))) return 'same-story';
  if (level === 5) return null;
  if (relatedByHeadline(c, level, model)) return 'related';
  // Stories that share a topic through their descriptions but not their headlines: a
  // development of the same story told in other words. Looser levels accept less overlap.
  const topicFloor = model.thresholds.topic * (1 + (level - 3) * 0.25);
  if (c.topic < topicFloor) return null;
  // A topic resting only on names its headlines hold, none told in a description or body, is the
  // headlines' evidence: one name of two words ("Tonight Show", "Pamela Anderson") is a running
  // topic, not a development. It needs more words in common than that (numbers and dates are
  // not: "Recap for March 31, 2014"), or the score the headline rule needs.
  return c.topicInText || (c.shared.words ?? c.shared.count) > 2 || c.score >= relatedFloor(level, model) ? 'related' : null;
}
