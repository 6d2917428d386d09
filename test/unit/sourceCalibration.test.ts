import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrate, RULES_SOURCE, SourceCalibration } from '../../src/detection/sourceCalibration';
import { fitLogistic } from '../../scripts/eval/logisticFit';
import { seededRandom } from '../../scripts/seededRandom';

const plain = { grayscale: false, lowResolution: false };

describe('source calibration', () => {
  it('keeps a source’s order of labels, and is the identity at slope 1 without shifts', () => {
    const curve = { slope: 1.4, intercept: -0.3, grayscale: -0.5, lowResolution: 0 };
    const ps = [0.05, 0.2, 0.5, 0.7, 0.95];
    const out = ps.map((p) => calibrate(p, curve, plain));
    expect([...out].sort((a, b) => a - b)).toEqual(out);
    for (const p of ps) expect(calibrate(p, { slope: 1, intercept: 0, grayscale: 0, lowResolution: 0 }, plain)).toBeCloseTo(p, 6);
    // A grayscale photo's labels from this source are trusted less, as fitted.
    expect(calibrate(0.7, curve, { grayscale: true, lowResolution: false })).toBeLessThan(calibrate(0.7, curve, plain));
  });

  it('changes only the sources it has a curve for', () => {
    const calibration = SourceCalibration.of({
      version: 't',
      sources: { [RULES_SOURCE]: { slope: 2, intercept: -1, grayscale: 0, lowResolution: 0 } },
    });
    const evidence = [{ labelId: 'wedding', confidence: 0.6, centricScore: 0.5 }];
    expect(calibration.apply('some-pack', evidence, plain)).toEqual(evidence);
    const [lowered] = calibration.apply(RULES_SOURCE, evidence, plain);
    expect(lowered.confidence).toBeCloseTo(1 / (1 + Math.exp(-(2 * Math.log(0.6 / 0.4) - 1))), 6);
    expect(lowered.centricScore).toBe(0.5);
  });

  it('reads a fitted file, and without one keeps every source on its own scale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calibration-'));
    try {
      expect(SourceCalibration.load(join(dir, 'absent.json'))).toBe(SourceCalibration.none);
      const path = join(dir, 'fitted.json');
      writeFileSync(
        path,
        JSON.stringify({
          version: '2026-12-05.abc',
          sources: { [RULES_SOURCE]: { slope: 1.4, intercept: -0.3, fittedOn: { right: 23, wrong: 14 } } },
        }),
      );
      const loaded = SourceCalibration.load(path);
      expect(loaded.version).toBe('2026-12-05.abc');
      expect(loaded.has(RULES_SOURCE)).toBe(true);
      writeFileSync(path, JSON.stringify({ version: 'x', sources: { [RULES_SOURCE]: { slope: -1, intercept: 0 } } }));
      expect(() => SourceCalibration.load(path)).toThrow(/slope/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fits logistic curves: recovers known parameters, stays at the prior without data', () => {
    const random = seededRandom(15);
    const truth = [1.5, -0.4];
    const samples = Array.from({ length: 4000 }, () => {
      const x = 6 * random() - 3;
      const p = 1 / (1 + Math.exp(-(truth[0] * x + truth[1])));
      return { features: [x, 1], outcome: (random() < p ? 1 : 0) as 0 | 1 };
    });
    const [slope, intercept] = fitLogistic(samples, [1, 0], 1);
    expect(slope).toBeCloseTo(1.5, 0);
    expect(Math.abs(intercept - -0.4)).toBeLessThan(0.15);
    expect(fitLogistic([], [1, 0, 0], 4)).toEqual([1, 0, 0]);
  });
});
