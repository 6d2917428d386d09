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

/** One stretch of the warm-up: how many calls ran and their median, per contender. */
export interface WarmupWindow {
  /** Seconds since the warm-up started, at the end of the window. */
  endSeconds: number;
  /** Calls each contender made in it. */
  calls: number;
  p50: Record<string, number>;
}

/**
 * Runs every workload under every contender in turn, round after round, for `seconds`, untimed
 * for the results; returns the median per window of `windowSeconds`, so a report can show how far
 * from steady the system started. After a fresh start or a bulk load, Elasticsearch's JVM (and
 * Node's) compiles the search code paths over the first thousand or so searches: here a freshly
 * started node's p50 went from 36 to 18 ms, and its p99 from 212 to 30 ms, over the first 100 s.
 */
export async function warmUp(
  workloads: readonly Record<string, () => Promise<unknown>>[],
  options: { seconds: number; windowSeconds: number },
): Promise<WarmupWindow[]> {
  const windows: WarmupWindow[] = [];
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  while (elapsed() < options.seconds) {
    const end = Math.min(options.seconds, elapsed() + options.windowSeconds);
    const durations: Record<string, number[]> = {};
    while (elapsed() < end) {
      for (const contenders of workloads) {
        for (const [name, call] of Object.entries(contenders)) {
          const callStarted = performance.now();
          await call();
          (durations[name] ??= []).push(performance.now() - callStarted);
        }
      }
    }
    const p50 = Object.fromEntries(Object.entries(durations).map(([name, values]) => [name, percentile(values, 50)]));
    windows.push({ endSeconds: elapsed(), calls: Object.values(durations)[0]?.length ?? 0, p50 });
  }
  return windows;
}
