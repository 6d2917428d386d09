import { LatencyHistogram } from '../../scripts/soak/latencyHistogram';
import { lastThirdTrend, leastSquaresSlope } from '../../scripts/soak/memoryTrend';
import { soakFailures } from '../../scripts/soak/runSoak';
import { parseSoakArgs } from '../../scripts/soak/soakArgs';

describe('soak arithmetic', () => {
  it('fits a least-squares slope', () => {
    expect(leastSquaresSlope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))).toBeCloseTo(2);
    expect(leastSquaresSlope([{ x: 1, y: 3 }])).toBe(0);
  });

  it('reads the trend over the last third only: warm-up growth does not count, late growth does', () => {
    const warmThenFlat = Array.from({ length: 31 }, (_, i) => ({ minute: i, rssMb: Math.min(i, 15) * 10 + 100, heapMb: 50 }));
    expect(lastThirdTrend(warmThenFlat).rssMbPerMin).toBeCloseTo(0);
    const leaking = warmThenFlat.map((s) => ({ ...s, rssMb: s.rssMb + 3 * s.minute }));
    expect(lastThirdTrend(leaking).rssMbPerMin).toBeCloseTo(3);
    expect(lastThirdTrend(leaking).samples).toBe(11);
  });

  it('fails on any error or on RSS growth over the tolerance', () => {
    expect(soakFailures(0, 0.5)).toEqual([]);
    expect(soakFailures(1, 0)).toHaveLength(1);
    expect(soakFailures(0, 3)).toEqual([expect.stringMatching(/RSS grew 3.00 MB\/min/)]);
  });

  it('reads percentiles to 1 % with fixed memory', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms += 1) histogram.record(ms);
    expect(histogram.percentile(0.5) / 500).toBeCloseTo(1, 1);
    expect(histogram.percentile(0.99) / 990).toBeCloseTo(1, 1);
    histogram.reset();
    expect(histogram.percentile(0.5)).toBe(0);
  });

  it('parses its flags and refuses others', () => {
    expect(parseSoakArgs([])).toEqual({ minutes: 30, concurrency: 16 });
    expect(parseSoakArgs(['--minutes', '3', '--concurrency=4'])).toEqual({ minutes: 3, concurrency: 4 });
    expect(() => parseSoakArgs(['--minutes', 'soon'])).toThrow(/--minutes/);
    expect(() => parseSoakArgs(['--concurrency', '2.5'])).toThrow(/whole/);
    expect(() => parseSoakArgs(['--forever'])).toThrow(/unknown argument/);
  });
});
