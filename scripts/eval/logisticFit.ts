/**
 * Logistic regression by Newton's method with a Gaussian prior around `prior` (weights pulled
 * towards it with strength `lambda`, in units of one sample's log-likelihood): with few samples a
 * fit stays near the prior, with many the data decide. Small and dense: a handful of features.
 */
export interface LogisticSample {
  features: number[];
  /** 1 right, 0 wrong. */
  outcome: 0 | 1;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Solves A·x = b (A symmetric positive definite, small) by Gaussian elimination with pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let row = 0; row < n; row++) {
      if (row === col || m[col][col] === 0) continue;
      const factor = m[row][col] / m[col][col];
      for (let k = col; k <= n; k++) m[row][k] -= factor * m[col][k];
    }
  }
  return m.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
}

export function fitLogistic(samples: LogisticSample[], prior: number[], lambda: number, iterations = 50): number[] {
  const w = [...prior];
  const d = prior.length;
  for (let it = 0; it < iterations; it++) {
    const gradient = w.map((wi, j) => lambda * (wi - prior[j]));
    const hessian = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => (j === k ? lambda : 0)));
    for (const { features: x, outcome } of samples) {
      const p = sigmoid(x.reduce((sum, xi, j) => sum + xi * w[j], 0));
      for (let j = 0; j < d; j++) {
        gradient[j] += (p - outcome) * x[j];
        for (let k = 0; k < d; k++) hessian[j][k] += p * (1 - p) * x[j] * x[k];
      }
    }
    const step = solve(hessian, gradient);
    for (let j = 0; j < d; j++) w[j] -= step[j];
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return w;
}
