import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrated } from '../../src/detection/calibration';
import { groupProbabilities, loadClassGroups } from '../../src/detection/classGroups';
import type { LabelVocabulary } from '../../src/detection/recognizer';

const vocabulary: LabelVocabulary = {
  version: 'test-1',
  has: (id) => ['street', 'kitchen', 'indoor-scene'].includes(id),
  ancestorIds: () => [],
  promptLabels: () => [],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelgate-groups-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const classes = ['street', 'crosswalk', 'alley', 'kitchen', 'galley'].map((name, index) => ({ index, name, labelId: null }));
function mapFile(groups: unknown[]): string {
  const path = join(dir, `map-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ taxonomyVersion: 'test-1', classes, groups }));
  return path;
}

describe('class groups', () => {
  it('resolve member names to class indices, calibrated unless they say not', () => {
    const groups = loadClassGroups(
      mapFile([
        { id: 'street', labelId: 'street', members: ['street', 'crosswalk', 'alley'] },
        { id: 'indoor', labelId: 'indoor-scene', members: ['kitchen', 'galley'], calibrated: false },
      ]),
      vocabulary,
    );
    expect(groups).toEqual([
      { id: 'street', labelId: 'street', classes: [0, 1, 2], calibrated: true },
      { id: 'indoor', labelId: 'indoor-scene', classes: [3, 4], calibrated: false },
    ]);
  });

  it('sum their members’ probabilities, each group on its own, never above 1', () => {
    const groups = [
      { id: 'street', labelId: 'street', classes: [0, 1, 2], calibrated: true },
      { id: 'kitchen', labelId: 'kitchen', classes: [3, 4], calibrated: true },
      { id: 'overlapping', labelId: 'street', classes: [1, 3], calibrated: true },
    ];
    const sums = groupProbabilities([0.06, 0.5, 0.15, 0.2, 0.09], groups);
    expect(sums[0]).toBeCloseTo(0.71, 6);
    expect(sums[1]).toBeCloseTo(0.29, 6);
    expect(sums[2]).toBeCloseTo(0.7, 6);
    expect(groupProbabilities([0.7, 0.7, 0, 0, 0], groups)[0]).toBe(1);
  });

  it('are refused when they name an unknown class or label, or a class twice', () => {
    expect(() => loadClassGroups(mapFile([{ id: 'g', labelId: 'street', members: ['street', 'plaza'] }]), vocabulary)).toThrow(
      /plaza, which is not a class/,
    );
    expect(() => loadClassGroups(mapFile([{ id: 'g', labelId: 'no-such-label', members: ['street', 'alley'] }]), vocabulary)).toThrow(
      /no-such-label, which taxonomy test-1 lacks/,
    );
    expect(() => loadClassGroups(mapFile([{ id: 'g', labelId: 'street', members: ['street', 'street'] }]), vocabulary)).toThrow(
      /names a class twice/,
    );
    expect(() => loadClassGroups(mapFile([{ id: 'g', labelId: 'street', members: ['street'] }]), vocabulary)).toThrow();
  });

  it('are none for a class map without any', () => {
    expect(loadClassGroups(mapFile([]), vocabulary)).toEqual([]);
  });
});

describe('power calibration', () => {
  const calibration = { kind: 'power' as const, exponent: 0.6 };

  it('keeps 0, 1 and the order, and lifts thin probabilities', () => {
    expect(calibrated(0, calibration)).toBe(0);
    expect(calibrated(1, calibration)).toBe(1);
    expect(calibrated(0.31, calibration)).toBeCloseTo(0.495, 3);
    const probabilities = [0.01, 0.05, 0.2, 0.31, 0.6, 0.9];
    const confidences = probabilities.map((p) => calibrated(p, calibration));
    expect([...confidences].sort((a, b) => a - b)).toEqual(confidences);
    confidences.forEach((c, i) => expect(c).toBeGreaterThan(probabilities[i]));
  });

  it('is the probability itself without a calibration, and clamps what rounding pushed past 1', () => {
    expect(calibrated(0.42, undefined)).toBe(0.42);
    expect(calibrated(1.0000001, calibration)).toBe(1);
  });
});
