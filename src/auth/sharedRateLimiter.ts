import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

// Created by the migration 20261205000000_rate_limits, not by the library (it would need DDL rights
// at every start).
const TABLE = 'rate_limits';
const SWEEP_EVERY_MS = 5 * 60_000;

export interface RateWindow {
  /** Requests (points) a window allows. */
  points: number;
  ms: number;
}

/**
 * The fixed window that stands for a token bucket refilling at `ratePerSecond` and holding
 * `burstSeconds` worth: the whole requests the burst holds (at least one), over the time the rate
 * takes to earn them. 50/s with 2 s bursts: 100 per 2 s; 0.5/s: one per 2 s.
 */
export function windowOf(ratePerSecond: number, burstSeconds: number): RateWindow {
  const points = Math.max(1, Math.floor(ratePerSecond * burstSeconds));
  return { points, ms: Math.ceil((points / ratePerSecond) * 1000) };
}

/**
 * Rate limits by name (a key, a project, a client address) counted in Postgres, so that every
 * gateway process spends from the same windows. The only memory of its own is which names this
 * process already saw spent, until their windows end: a client hammering past its limit is then
 * refused without a query (a fast path only; Postgres stays the authority).
 */
export class SharedRateLimiter {
  /** One limiter per window shape; the shape is part of every row's key, so a changed limit starts afresh. */
  private readonly limiters = new LRUCache<string, RateLimiterPostgres>({ max: 1_000 });
  private readonly spent = new LRUCache<string, true>({ max: 100_000 });
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly pool: Pool,
    private readonly burstSeconds: number,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
  }

  /** How many requests one window of this rate allows: a request costing more never passes. */
  burstOf(ratePerSecond: number): number {
    return windowOf(ratePerSecond, this.burstSeconds).points;
  }

  /** Spends `cost`; 0 when allowed, else the milliseconds until a new window starts. */
  async take(name: string, ratePerSecond: number, cost = 1): Promise<number> {
    const window = windowOf(ratePerSecond, this.burstSeconds);
    const limiter = this.limiterFor(window);
    const key = limiter.getKey(name);
    const known = this.knownWait(key);
    if (known) return known;
    if (cost > window.points) return window.ms;
    try {
      const result = await limiter.consume(name, cost);
      if (result.remainingPoints === 0) this.spent.set(key, true, { ttl: result.msBeforeNext });
      return 0;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal; // Postgres failed: the caller answers ServiceUnavailable
      const wait = Math.max(1, refusal.msBeforeNext);
      this.spent.set(key, true, { ttl: wait });
      return wait;
    }
  }

  /**
   * Without spending and without a query: the milliseconds until `name` may spend again when this
   * process already saw its window spent, else 0 (take still decides).
   */
  knownSpent(name: string, ratePerSecond: number): number {
    return this.knownWait(this.limiterFor(windowOf(ratePerSecond, this.burstSeconds)).getKey(name));
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private knownWait(key: string): number {
    return Math.max(0, Math.ceil(this.spent.getRemainingTTL(key)));
  }

  private limiterFor(window: RateWindow): RateLimiterPostgres {
    const shape = `${window.points}per${window.ms}ms`;
    let limiter = this.limiters.get(shape);
    if (!limiter) {
      limiter = new RateLimiterPostgres({
        storeClient: this.pool,
        storeType: 'pool',
        tableName: TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false, // one sweep for all shapes (below), not a timer per limiter
        keyPrefix: shape,
        points: window.points,
        duration: window.ms / 1000,
      });
      this.limiters.set(shape, limiter);
    }
    return limiter;
  }

  /** Deletes ended windows (an ended window is reset on its next use anyway; this only bounds the table). */
  private async sweep(): Promise<void> {
    await this.pool.query(`DELETE FROM ${TABLE} WHERE expire < $1`, [Date.now()]).catch(() => undefined);
  }
}
