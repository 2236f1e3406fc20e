/**
 * L2-regularised logistic regression by full-batch gradient descent: small, dependency-free and
 * deterministic, which is all ten signals over twenty thousand pairs need.
 */
export interface Fit {
  weights: number[];
  bias: number;
}

export function fitLogistic(rows: readonly number[][], labels: readonly (0 | 1)[], options = { iterations: 3000, rate: 0.5, l2: 1e-3 }): Fit {
  const dims = rows[0]?.length ?? 0;
  const weights = Array.from({ length: dims }, () => 0);
  let bias = 0;
  const n = rows.length;
  // Balance the classes so the fit does not simply learn that most pairs are negative.
  const positives = labels.filter((l) => l === 1).length;
  const wPos = n / (2 * Math.max(positives, 1));
  const wNeg = n / (2 * Math.max(n - positives, 1));
  for (let it = 0; it < options.iterations; it++) {
    const grad = Array.from({ length: dims }, () => 0);
    let gradBias = 0;
    for (let i = 0; i < n; i++) {
      let z = bias;
      const row = rows[i];
      for (let d = 0; d < dims; d++) z += weights[d] * row[d];
      const p = 1 / (1 + Math.exp(-z));
      const err = (p - labels[i]) * (labels[i] === 1 ? wPos : wNeg);
      for (let d = 0; d < dims; d++) grad[d] += err * row[d];
      gradBias += err;
    }
    for (let d = 0; d < dims; d++) weights[d] -= options.rate * (grad[d] / n + options.l2 * weights[d]);
    bias -= (options.rate * gradBias) / n;
  }
  return { weights, bias };
}

export function predict(fit: Fit, row: readonly number[]): number {
  let z = fit.bias;
  for (let d = 0; d < row.length; d++) z += fit.weights[d] * row[d];
  return 1 / (1 + Math.exp(-z));
}
