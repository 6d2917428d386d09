// Latency sampling: warm-up runs, then timed runs one after another, and nearest-rank percentiles.

/** The p-th percentile (0 < p ≤ 100) by nearest rank: a value that was actually measured. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  return {
    samples: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    mean: values.reduce((sum, v) => sum + v, 0) / values.length,
    max: Math.max(...values),
  };
}

/**
 * Times each of several contenders on the same work, alternating them sample by sample (so that
 * a noisy moment of the machine hits all of them alike), after `warmup` untimed rounds.
 * Returns each contender's durations in milliseconds.
 */
export async function sampleAlternating<K extends string>(
  contenders: Record<K, () => Promise<unknown>>,
  options: { warmup: number; samples: number },
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  for (let i = 0; i < options.warmup; i += 1) for (const name of names) await contenders[name]();
  const durations = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < options.samples; i += 1) {
    for (const name of names) {
      const started = performance.now();
      await contenders[name]();
      durations[name].push(performance.now() - started);
    }
  }
  return durations;
}
