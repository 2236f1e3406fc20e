import { describe, expect, it } from 'vitest';
import { classify, percentile, RetrievalAccumulator, rocAuc } from '../../src/index/metrics';

describe('benchmark metrics on a hand-checked example', () => {
  it('computes MRR, recall@5, capped recall@5, hit@5 and precision@5', () => {
    const acc = new RetrievalAccumulator();
    // Query 1: first relevant at rank 2; 2 of its 2 relevant in the top 5.
    acc.add(['x', 'a', 'b', 'y', 'z'], new Set(['a', 'b']));
    // Query 2: first relevant at rank 4; 1 of its 6 relevant in the top 5.
    acc.add(['p', 'q', 'r', 'c', 's', 'd'], new Set(['c', 'd', 'e', 'f', 'g', 'h']));
    // Query 3: nothing relevant found at all.
    acc.add(['p'], new Set(['k']));
    // A query with no relevant article does not count.
    acc.add(['a'], new Set());
    const m = acc.result();
    expect(m.queries).toBe(3);
    expect(m.mrr).toBeCloseTo((1 / 2 + 1 / 4 + 0) / 3, 10); // 0.25
    expect(m.recallAt5).toBeCloseTo((1 + 1 / 6 + 0) / 3, 10);
    expect(m.cappedRecallAt5).toBeCloseTo((1 + 1 / 5 + 0) / 3, 10); // 0.4
    expect(m.hitAt5).toBeCloseTo(2 / 3, 10);
    expect(m.precisionAt5).toBeCloseTo((2 / 5 + 1 / 5 + 0) / 3, 10);
  });

  it('computes ROC-AUC as the chance a positive outscores a negative, ties half', () => {
    // Positives 0.9, 0.4; negatives 0.5, 0.1, 0.4. Pairs won: 0.9 beats 3; 0.4 beats 0.1 and ties 0.4.
    expect(rocAuc([0.9, 0.4, 0.5, 0.1, 0.4], [1, 1, 0, 0, 0])).toBeCloseTo((3 + 1 + 0.5) / 6, 10); // 0.75
    expect(rocAuc([0.2, 0.8], [0, 1])).toBe(1);
    expect(rocAuc([0.2, 0.8], [1, 1])).toBeNaN();
  });

  it('computes precision, recall and F1 of a decision', () => {
    // tp = 2, fp = 1, fn = 1.
    const c = classify([true, true, true, false, false], [1, 1, 0, 1, 0]);
    expect(c.precision).toBeCloseTo(2 / 3);
    expect(c.recall).toBeCloseTo(2 / 3);
    expect(c.f1).toBeCloseTo(2 / 3);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
