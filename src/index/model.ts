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

/**
 * "Related" through the headlines: evidence beyond one word, worth enough, a word among it (not
 * only numbers and dates: "March 19, 2014" in a dateline and a timestamp), and a score above the
 * level's floor.
 */
export function relatedByHeadline(c: Evidence, level: RelevanceLevel, model: Model = MODEL): boolean {
  return beyondOne(c) && (c.shared.words ?? c.shared.count) > 0 && c.shared.beyond >= evidenceFloor(level, model) && c.score >= relatedFloor(level, model);
}

/** Shared headline weight beyond the best word that "Related" needs at a level, in rarest-word units. */
function evidenceFloor(level: RelevanceLevel, model: Model): number {
  return model.thresholds.relatedEvidence * (1 + (level - 3) * 0.25);
}

/** Topic closeness from which a story is "Related" through names: looser levels accept less. */
function topicFloor(level: RelevanceLevel, model: Model): number {
  return model.thresholds.topic * (1 + (level - 3) * 0.25);
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
  if (c.topic < topicFloor(level, model)) return null;
  // A topic resting only on names its headlines hold, none told in a description or body, is the
  // headlines' evidence: one name of two words ("Tonight Show", "Pamela Anderson") is a running
  // topic, not a development. It needs more words in common than that (numbers and dates are
  // not: "Recap for March 31, 2014"), or the score the headline rule needs.
  return c.topicInText || (c.shared.words ?? c.shared.count) > 2 || c.score >= relatedFloor(level, model) ? 'related' : null;
}

/**
 * Whether a "Related" story stands on its own where the page's list holds no "Same story": a name
 * the two share told in a description or body, twice the headline evidence the level asks (about
 * three rare words beyond the best: "singer Chris Brown ... jail" a week on, an MH370 search a
 * month on), or the score the next level asks. A development is a development of the page's
 * event; where the library holds no report of that event, a story sharing two or three headline
 * words with it is most often another event of the same running topic ("Demi Moore", "New York
 * Auto Show") or of none ("files for bankruptcy protection"). On the dev data five in six of the
 * "Related" this drops were on pages whose story the library lacks (README, "Labels").
 */
export function relatedAlone(c: Evidence, level: RelevanceLevel, model: Model = MODEL): boolean {
  return (
    (c.topicInText === true && c.topic >= topicFloor(level, model)) ||
    c.shared.beyond >= 2 * evidenceFloor(level, model) ||
    (level < 5 && c.score >= relatedFloor((level + 1) as RelevanceLevel, model))
  );
}

/**
 * The labels a page's candidates get together: labelFor, except that "Related" needs the page's
 * own event in the list ("Same story") unless it stands alone (relatedAlone). `anchored`: whether
 * the page's list holds a "Same story", when already known.
 */
export function labelsFor(candidates: readonly Evidence[], level: RelevanceLevel, model: Model = MODEL, anchored?: boolean): (MatchLabel | null)[] {
  const labels = candidates.map((c) => labelFor(c, level, model));
  if (anchored ?? labels.includes('same-story')) return labels;
  return labels.map((label, i) => (label === 'related' && !relatedAlone(candidates[i], level, model) ? null : label));
}
