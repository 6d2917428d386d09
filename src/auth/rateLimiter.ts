// Past this many buckets, full ones are forgotten at once rather than at the next periodic sweep.
const MAX_BUCKETS = 100_000;

/**
 * Token buckets by name (a key, a project, a client address), in this process's memory: each holds
 * `burstSeconds` worth of requests (at least one) and refills at the rate. Full buckets are
 * forgotten (a fresh one is the same), which keeps memory bounded by the names seen recently.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number; rate: number }>();
  private lastSweep = 0;

  constructor(
    private readonly burstSeconds: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes `cost` tokens; returns 0 when allowed, else the milliseconds until it would be. */
  take(name: string, ratePerSecond: number, cost = 1): number {
    const bucket = this.refilled(name, ratePerSecond, cost);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return this.waitFor(bucket, cost);
  }

  /** As take, without taking: 0 when `cost` tokens are there now. */
  peek(name: string, ratePerSecond: number, cost = 1): number {
    const bucket = this.refilled(name, ratePerSecond, cost);
    return bucket.tokens >= cost ? 0 : this.waitFor(bucket, cost);
  }

  private refilled(name: string, ratePerSecond: number, cost: number) {
    const now = this.now();
    this.sweep(now);
    const capacity = this.capacity(ratePerSecond, cost);
    const bucket = this.buckets.get(name) ?? { tokens: capacity, at: now, rate: ratePerSecond };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * ratePerSecond);
    bucket.at = now;
    bucket.rate = ratePerSecond;
    this.buckets.set(name, bucket);
    return bucket;
  }

  private waitFor(bucket: { tokens: number; rate: number }, cost: number): number {
    return Math.max(1, Math.ceil(((cost - bucket.tokens) / bucket.rate) * 1000));
  }

  private capacity(ratePerSecond: number, cost = 1): number {
    return Math.max(ratePerSecond * this.burstSeconds, cost, 1);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000 && this.buckets.size < MAX_BUCKETS) return;
    this.lastSweep = now;
    for (const [name, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate >= this.capacity(bucket.rate)) this.buckets.delete(name);
    }
  }
}
