import { RateLimiter } from '../../src/auth/rateLimiter';

// The limiter reads time through a clock it is given, so these tests step time exactly.
describe('RateLimiter (token buckets)', () => {
  let now = 0;
  const limiter = () => new RateLimiter(2, () => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows a burst of rate × burst seconds, then says how long to wait', () => {
    const buckets = limiter();
    for (let i = 0; i < 10; i += 1) expect(buckets.take('k', 5)).toBe(0);
    expect(buckets.take('k', 5)).toBe(200);
    now += 200;
    expect(buckets.take('k', 5)).toBe(0);
    expect(buckets.take('k', 5)).toBeGreaterThan(0);
  });

  it('keeps names apart', () => {
    const buckets = limiter();
    expect(buckets.take('a', 1, 2)).toBe(0);
    expect(buckets.take('a', 1)).toBeGreaterThan(0);
    expect(buckets.take('b', 1)).toBe(0);
  });

  it('peek does not take', () => {
    const buckets = limiter();
    expect(buckets.take('k', 1, 2)).toBe(0);
    expect(buckets.peek('k', 1)).toBe(1000);
    now += 1000;
    expect(buckets.peek('k', 1)).toBe(0);
    expect(buckets.peek('k', 1)).toBe(0);
    expect(buckets.take('k', 1)).toBe(0);
  });

  it('keeps a slow bucket (below one request per burst) until it is really full again', () => {
    const buckets = limiter();
    expect(buckets.take('slow', 0.05)).toBe(0);
    now += 12_000; // past the periodic sweep, but only 12 of the 20 s a token takes
    expect(buckets.take('other', 1)).toBe(0);
    expect(buckets.take('slow', 0.05)).toBe(8000);
  });

  it('never refills beyond the burst', () => {
    const buckets = limiter();
    buckets.take('k', 1);
    now += 3_600_000;
    expect(buckets.take('k', 1, 2)).toBe(0);
    expect(buckets.take('k', 1)).toBeGreaterThan(0);
  });
});
