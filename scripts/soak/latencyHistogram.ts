/**
 * Latencies in logarithmic buckets 1 % wide (0.1 ms to about 2 minutes, 1,400 counters): fixed
 * memory whatever the run's length, so the load generator, which runs in the process whose memory
 * the soak watches, never grows with the requests it counts, as a list of samples would. Percentiles
 * are exact to the bucket (1 %), which is finer than latency noise.
 */
const MIN_MS = 0.1;
const GROWTH = Math.log(1.01);
const BUCKETS = 1400;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  record(ms: number): void {
    const index = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / GROWTH));
    this.counts[index] += 1;
    this.total += 1;
  }

  get count(): number {
    return this.total;
  }

  /** The latency (ms, the bucket's upper bound) below which `fraction` of the recorded ones fall; 0 when none. */
  percentile(fraction: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(fraction * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i];
      if (seen >= rank) return MIN_MS * Math.exp((i + 1) * GROWTH);
    }
    return MIN_MS * Math.exp(BUCKETS * GROWTH);
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
