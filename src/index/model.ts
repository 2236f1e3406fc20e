import shipped from './model.json';
import { SIGNALS } from './pair';
import type { MatchLabel } from '../core/article';

/**
 * The re-ranker: a logistic model over the pair signals, learned on the dev pairs by
 * `npm run train` (src/node/train.ts) and shipped as model.json. Thresholds were chosen on the
 * dev data too and ship with the weights, so the bench measures exactly what users get.
 */
export interface Model {
  version: number;
  signals: readonly string[];
  weights: number[];
  bias: number;
  thresholds: { sameStory: number; related: number; topic: number };
}

export function parseModel(raw: unknown): Model {
  const m = raw as Model;
  if (
    !m ||
    !Array.isArray(m.weights) ||
    m.weights.length !== SIGNALS.length ||
    m.signals.join() !== SIGNALS.join() ||
    typeof m.bias !== 'number'
  ) {
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

/**
 * "Minimum relevance" as a person sets it: 1 = more, looser matches ... 5 = fewer, closer matches.
 * Level 3 is the shipped default; level 5 keeps only same-story coverage.
 */
export const RELEVANCE_LEVELS = [1, 2, 3, 4, 5] as const;
export type RelevanceLevel = (typeof RELEVANCE_LEVELS)[number];

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

/** The label a scored story gets at a relevance level, or null when it should not be shown. */
export function labelFor(
  score: number,
  topic: number,
  level: RelevanceLevel,
  model: Model = MODEL,
): MatchLabel | null {
  if (score >= model.thresholds.sameStory) return 'same-story';
  if (level === 5) return null;
  if (score >= relatedFloor(level, model)) return 'related';
  // Stories that share a topic through their descriptions but not their headlines: a
  // development of the same story told in other words. Looser levels accept less overlap.
  const topicFloor = model.thresholds.topic * (1 + (level - 3) * 0.25);
  return topic >= topicFloor ? 'related' : null;
}
