/**
 * `npm run train [-- --ablation]`: learns the re-ranker's weights and thresholds on the dev data
 * only (shared/data/dev and shared/data/pairs) and writes src/index/model.json.
 *
 * - weights: logistic regression over the pair signals of every labelled dev pair;
 * - sameStory threshold: the score with the best F1 on the dev pairs;
 * - related threshold: the lowest score at which dev pairs are still more often the same story
 *   than not (precision 0.5), so nothing shown as related is a coin flip;
 * - topic threshold: kept from the previous model (the dev data has no descriptions to tune it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { StoryIndex } from '../index/engine';
import { fitLogistic, predict, type Fit } from '../index/logistic';
import { classify, RetrievalAccumulator, rocAuc } from '../index/metrics';
import { MODEL, type Model } from '../index/model';
import { SIGNALS } from '../index/pair';
import { DAY_MS } from '../core/time';
import { readArticlesFile, readPairsFile } from './articles-file';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '../shared/data/dev/articles.jsonl' },
    pairs: { type: 'string', default: '../shared/data/pairs/dev-pairs.jsonl' },
    out: { type: 'string', default: 'src/index/model.json' },
    ablation: { type: 'boolean', default: false },
  },
});

const { articles } = readArticlesFile(values.articles!);
const byId = new Map(articles.map((a) => [a.id, a]));
const pairs = readPairsFile(values.pairs!).filter((p) => byId.has(p.a) && byId.has(p.b));
const index = new StoryIndex();
index.addAll(articles);
const rows = pairs.map((p) => index.signals(byId.get(p.a)!, byId.get(p.b)!));
const labels = pairs.map((p) => p.label);

function thresholds(scores: number[]): { sameStory: number; related: number; f1: number } {
  const candidates = [...new Set(scores.map((s) => Math.round(s * 1000) / 1000))].sort((a, b) => a - b);
  let best = { th: 0.5, f1: 0 };
  let related = candidates[candidates.length - 1];
  for (const th of candidates) {
    const c = classify(scores.map((s) => s >= th), labels);
    if (c.f1 > best.f1) best = { th, f1: c.f1 };
    if (c.precision >= 0.5 && th < related) related = th;
  }
  return { sameStory: best.th, related: Math.min(related, best.th), f1: best.f1 };
}

function masked(drop: readonly string[]): number[][] {
  const idx = new Set(drop.map((name) => SIGNALS.indexOf(name as (typeof SIGNALS)[number])));
  return rows.map((r) => r.map((v, i) => (idx.has(i) ? 0 : v)));
}

/** Groups of signals removed together: single signals overlap, so groups tell more. */
const ABLATIONS: [string, string[]][] = [
  ...SIGNALS.map((s): [string, string[]] => [`without ${s}`, [s]]),
  ['without time (sameDayOverlap, dayGapOverlap)', ['sameDayOverlap', 'dayGapOverlap']],
  ['without word overlap (cosine, bm25n, coverage, sharedTerms, bigrams)', ['cosine', 'bm25n', 'coverage', 'sharedTerms', 'bigrams']],
  ['without names and numbers (entities, numberConflict)', ['entities', 'numberConflict']],
  ['headline cosine alone', SIGNALS.filter((s) => s !== 'cosine')],
];

function train(data: number[][]): { fit: Fit; scores: number[] } {
  const fit = fitLogistic(data, labels);
  return { fit, scores: data.map((r) => predict(fit, r)) };
}

function day(iso: string | null): number {
  return iso ? Date.parse(iso) / DAY_MS : 0;
}

function devMrr(model: Model): number {
  const engine = new StoryIndex(model);
  engine.addAll(articles);
  const acc = new RetrievalAccumulator();
  for (const q of articles) {
    const relevant = new Set(
      articles.filter((a) => a.story === q.story && a.id !== q.id && Math.abs(day(a.publishedAt) - day(q.publishedAt)) <= 7).map((a) => a.id),
    );
    acc.add(engine.rank(q).map((c) => c.id), relevant);
  }
  return acc.result().mrr;
}

const full = train(rows);
const th = thresholds(full.scores);
const model: Model = {
  version: MODEL.version + 1,
  signals: [...SIGNALS],
  weights: full.fit.weights.map((w) => Math.round(w * 10000) / 10000),
  bias: Math.round(full.fit.bias * 10000) / 10000,
  thresholds: { sameStory: th.sameStory, related: th.related, topic: MODEL.thresholds.topic },
};
const note = `trained by npm run train on ${values.articles} (${articles.length} articles) and ${values.pairs} (${pairs.length} pairs)`;
writeFileSync(values.out!, `${JSON.stringify({ ...model, note }, null, 2)}\n`);
console.log(`pairs ROC-AUC ${rocAuc(full.scores, labels).toFixed(3)}, F1 ${th.f1.toFixed(3)} at ${th.sameStory}; related from ${th.related}`);
console.log(`weights: ${SIGNALS.map((s, i) => `${s}=${model.weights[i]}`).join(' ')} bias=${model.bias}`);
console.log(`wrote ${values.out}`);

if (values.ablation) {
  console.log('\n| signals | dev pairs ROC-AUC | dev pairs F1 (own threshold) | dev MRR |');
  console.log('| --- | --- | --- | --- |');
  const line = (name: string, scores: number[], fit: Fit, t: ReturnType<typeof thresholds>) => {
    const m: Model = { ...model, weights: fit.weights, bias: fit.bias, thresholds: { ...model.thresholds, sameStory: t.sameStory, related: t.related } };
    console.log(`| ${name} | ${rocAuc(scores, labels).toFixed(3)} | ${t.f1.toFixed(3)} | ${devMrr(m).toFixed(3)} |`);
  };
  line('all', full.scores, full.fit, th);
  for (const [name, drop] of ABLATIONS) {
    const ablated = train(masked(drop));
    line(name, ablated.scores, ablated.fit, thresholds(ablated.scores));
  }
  readFileSync(values.out!);
}
