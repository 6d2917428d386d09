import type { EvalPhoto, Truth } from '../../scripts/eval/evalManifest';
import { missCounts, missesOf, reliability, ScoredOutcome } from '../../scripts/eval/missReport';

// A matcher over a two-level toy hierarchy: a retriever is a dog; "dog" answers a truth of dog.
const parents: Record<string, string> = { retriever: 'dog' };
const matcher = {
  idsOf: (truth: Truth) => new Set(truth.names.filter((n) => ['dog', 'retriever', 'kitchen', 'park'].includes(n))),
  hits: (id: string, truth: Truth) => truth.names.includes(id) || truth.names.includes(parents[id] ?? ''),
};
const photo = (id: string, truths: Truth[]): EvalPhoto => ({
  id,
  file: `${id}.jpg`,
  group: 'object',
  truths,
  grayscale: false,
  split: 'tune',
  source: 'test',
  licence: 'test',
});

describe('the eval miss report', () => {
  const outcomes: ScoredOutcome[] = [
    {
      photo: photo('a', [
        { kind: 'object', names: ['dog'] },
        { kind: 'scene', names: ['park'] },
      ]),
      all: ['retriever', 'dog', 'cat', 'x', 'y', 'z', 'park'],
      confidences: [0.9, 0.9, 0.4, 0.3, 0.3, 0.2, 0.1],
      atDefault: ['retriever', 'dog'],
    },
    {
      photo: photo('b', [
        { kind: 'scene', names: ['kitchen'] },
        { kind: 'object', names: ['wok'] },
        { kind: 'object', names: ['dog'] },
      ]),
      all: ['cat', 'kitchen'],
      confidences: [0.8, 0.45],
      atDefault: ['cat'],
    },
  ];

  it('says why each truth was missed at the default threshold', () => {
    const misses = missesOf(outcomes, matcher);
    expect(misses.map((m) => [m.photoId, m.truth.names[0], m.kind, m.rank])).toEqual([
      ['a', 'park', 'ranked past 5', 7],
      ['b', 'kitchen', 'below 0.5', 2],
      ['b', 'wok', 'no label', undefined],
      ['b', 'dog', 'not returned', undefined],
    ]);
    expect(misses[1].confidence).toBe(0.45);
    expect(Object.fromEntries([...missCounts(misses)].map(([kind, row]) => [kind, Object.fromEntries(row)]))).toEqual({
      scene: { 'ranked past 5': 1, 'below 0.5': 1 },
      object: { 'no label': 1, 'not returned': 1 },
    });
  });

  it('counts right labels per confidence band, the first three of each photo', () => {
    const right = (id: string, o: ScoredOutcome) => o.photo.truths.some((t) => matcher.hits(id, t));
    const rows = reliability(outcomes, right, [0, 0.5, 1]);
    // a: retriever 0.9 and dog 0.9 right, cat 0.4 wrong; b: cat 0.8 wrong, kitchen 0.45 right.
    expect(rows).toEqual([
      { from: 0, to: 0.5, labels: 2, right: 1 },
      { from: 0.5, to: 1, labels: 3, right: 2 },
    ]);
  });
});
