/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least
 * squares): small, dependency-free and deterministic, and a dozen signals over a couple of
 * hundred thousand rows converge in a few passes.
 */
export interface Fit {
  weights: number[];
  bias: number;
}

export interface FitOptions {
  /** Per-row weights (default 1); classes are balanced on top of them. */
  rowWeights?: readonly number[];
  l2?: number;
  iterations?: number;
}

export function fitLogistic(rows: readonly number[][], labels: readonly (0 | 1)[], options: FitOptions = {}): Fit {
  const dims = (rows[0]?.length ?? 0) + 1;
  const n = rows.length;
  const l2 = options.l2 ?? 1e-3;
  const base = options.rowWeights ?? rows.map(() => 1);
  // Balance the classes so the fit does not simply learn that most rows are negative.
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]) pos += base[i];
    else neg += base[i];
  }
  const total = pos + neg;
  const w = base.map((b, i) => (labels[i] ? (b * total) / (2 * Math.max(pos, 1e-9)) : (b * total) / (2 * Math.max(neg, 1e-9))) / total);
  const beta = Array.from({ length: dims }, () => 0);
  const x = (i: number, d: number) => (d === dims - 1 ? 1 : rows[i][d]);
  for (let it = 0; it < (options.iterations ?? 25); it++) {
    const grad = Array.from({ length: dims }, () => 0);
    const hess = Array.from({ length: dims }, () => Array.from({ length: dims }, () => 0));
    for (let i = 0; i < n; i++) {
      let z = beta[dims - 1];
      for (let d = 0; d < dims - 1; d++) z += beta[d] * rows[i][d];
      const p = 1 / (1 + Math.exp(-z));
      const err = w[i] * (p - labels[i]);
      const curv = w[i] * Math.max(p * (1 - p), 1e-9);
      for (let a = 0; a < dims; a++) {
        const xa = x(i, a);
        if (xa === 0) continue;
        grad[a] += err * xa;
        for (let b = 0; b <= a; b++) hess[a][b] += curv * xa * x(i, b);
      }
    }
    for (let a = 0; a < dims; a++) {
      for (let b = 0; b < a; b++) hess[b][a] = hess[a][b];
      if (a < dims - 1) {
        grad[a] += l2 * beta[a];
        hess[a][a] += l2;
      }
      hess[a][a] += 1e-9;
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let d = 0; d < dims; d++) {
      beta[d] -= step[d];
      change = Math.max(change, Math.abs(step[d]));
    }
    if (change < 1e-7) break;
  }
  return { weights: beta.slice(0, dims - 1), bias: beta[dims - 1] };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and symmetric). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col] || 1e-12;
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const out = Array.from({ length: n }, () => 0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * out[c];
    out[r] = s / (m[r][r] || 1e-12);
  }
  return out;
}

export function predict(fit: Fit, row: readonly number[]): number {
  let z = fit.bias;
  for (let d = 0; d < row.length; d++) z += fit.weights[d] * row[d];
  return 1 / (1 + Math.exp(-z));
}
