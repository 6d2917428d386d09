import { windowOf } from '../../src/auth/sharedRateLimiter';

// The fixed windows the shared limiter counts in, for the rates and bursts the configuration allows.
describe('windowOf', () => {
  it.each([
    [50, 2, { points: 100, ms: 2000 }],
    [3, 1, { points: 3, ms: 1000 }],
    [0.5, 1, { points: 1, ms: 2000 }],
    [0.05, 2, { points: 1, ms: 20_000 }],
    [2.5, 1, { points: 2, ms: 800 }],
  ])('%s/s with %s s bursts: %o', (rate, burst, window) => {
    expect(windowOf(rate, burst)).toEqual(window);
  });

  it('never allows more than the rate over a window, nor less than one request', () => {
    for (const rate of [0.01, 0.3, 1, 7.7, 1e6]) {
      for (const burst of [1, 2, 3600]) {
        const { points, ms } = windowOf(rate, burst);
        expect(points).toBeGreaterThanOrEqual(1);
        expect(points / (ms / 1000)).toBeLessThanOrEqual(rate * (1 + 1e-9));
      }
    }
  });
});
