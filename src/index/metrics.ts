/** Retrieval and pair-classification metrics for the benchmark. Pure and hand-checked in tests. */

export interface RetrievalMetrics {
  mrr: number;
  recallAt5: number;
  cappedRecallAt5: number;
  hitAt5: number;
  precisionAt5: number;
  queries: number;
}

export class RetrievalAccumulator {
  private rr = 0;
  private recall = 0;
  private capped = 0;
  private hits = 0;
  private precision = 0;
  private n = 0;

  /** ranked: result ids best first (the query excluded); relevant: ids of the query's story. Queries with no relevant article are skipped. */
  add(ranked: readonly string[], relevant: ReadonlySet<string>): void {
    if (relevant.size === 0) return;
    this.n++;
    const first = ranked.findIndex((id) => relevant.has(id));
    if (first >= 0) this.rr += 1 / (first + 1);
    const top = ranked.slice(0, 5).filter((id) => relevant.has(id)).length;
    this.recall += top / relevant.size;
    this.capped += top / Math.min(5, relevant.size);
    this.hits += top > 0 ? 1 : 0;
    this.precision += top / 5;
  }

  result(): RetrievalMetrics {
    const d = Math.max(this.n, 1);
    return {
      mrr: this.rr / d,
      recallAt5: this.recall / d,
      cappedRecallAt5: this.capped / d,
      hitAt5: this.hits / d,
      precisionAt5: this.precision / d,
      queries: this.n,
    };
  }
}

/** ROC-AUC as the Mann-Whitney statistic: the chance a positive outscores a negative (ties count half). */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let positives = 0;
  let negatives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (order[k][1] === 1) {
        positives++;
        rankSum += averageRank;
      } else {
        negatives++;
      }
    }
    i = j;
  }
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface Classification {
  precision: number;
  recall: number;
  f1: number;
}

export function classify(predicted: readonly boolean[], labels: readonly (0 | 1)[]): Classification {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && labels[i] === 1) tp++;
    else if (p) fp++;
    else if (labels[i] === 1) fn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
