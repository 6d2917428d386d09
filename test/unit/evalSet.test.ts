import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { projectRoot } from '../../src/config/projectRoot';
import { readEvalManifests } from '../../scripts/eval/evalManifest';
import { firstSpecific, groupFigures, kindFigures, PhotoOutcome } from '../../scripts/eval/labelQuality';

// The labeled photos `npm run eval:labels` measures on: what the issue asks of the set, and that
// each photo carries its origin and licence statement.
const photos = readEvalManifests(join(projectRoot, 'eval'));
const primaries = (kind: string, group: string) =>
  new Set(
    photos
      .filter((p) => p.group === group)
      .flatMap((p) =>
        p.truths
          .filter((t) => t.kind === kind)
          .slice(0, 1)
          .map((t) => t.names[0]),
      ),
  );

describe('the labeled evaluation set', () => {
  it('has ≥ 300 photos: ≥ 100 scenes over ≥ 40 classes (some grayscale), ≥ 50 events over ≥ 12 types, objects and busy photos', () => {
    expect(photos.length).toBeGreaterThanOrEqual(300);
    const scenes = photos.filter((p) => p.group === 'scene');
    expect(scenes.length).toBeGreaterThanOrEqual(100);
    expect(primaries('scene', 'scene').size).toBeGreaterThanOrEqual(40);
    expect(scenes.filter((p) => p.grayscale).length).toBeGreaterThanOrEqual(10);
    expect(photos.filter((p) => p.group === 'event').length).toBeGreaterThanOrEqual(50);
    expect(primaries('event', 'event').size).toBeGreaterThanOrEqual(12);
    expect(photos.filter((p) => p.group === 'object').length).toBeGreaterThanOrEqual(30);
    expect(photos.filter((p) => p.group === 'multi').length).toBeGreaterThanOrEqual(30);
  });

  it('records origin and licence for every photo, and each scene or event photo has its truth first', () => {
    for (const photo of photos) {
      expect(existsSync(photo.file)).toBe(true);
      expect(photo.source).toMatch(/^[\w.-]+\/[\w.-]+:.+/);
      expect(photo.licence.trim()).not.toBe('');
      if (photo.group === 'scene' || photo.group === 'event') expect(photo.truths[0].kind).toBe(photo.group);
    }
  });

  it('stores photos downscaled (longest side ≤ 640 px)', async () => {
    for (const photo of photos) {
      const { width, height } = await sharp(photo.file).metadata();
      expect(Math.max(width!, height!)).toBeLessThanOrEqual(640);
    }
  });
});

describe('hit rates', () => {
  // animal > dog > puppy; scene > beach
  const parents: Record<string, string[]> = { dog: ['animal'], puppy: ['dog', 'animal'], beach: ['scene'] };
  const taxonomy = { ancestors: (id: string) => (parents[id] ?? []).map((p) => ({ id: p })) };
  const matcher = {
    hits: (id: string, truth: { names: string[] }) => truth.names.includes(id) || (parents[id] ?? []).some((p) => truth.names.includes(p)),
  };
  const photo = (truths: [string, string][]) => ({
    id: 'x',
    file: '',
    group: 'g',
    grayscale: false,
    split: 'test' as const,
    source: '',
    licence: '',
    truths: truths.map(([kind, name]) => ({ kind: kind as 'scene', names: [name] })),
  });
  const outcomes: PhotoOutcome[] = [
    { photo: photo([['object', 'dog']]), all: ['animal', 'dog', 'puppy'], atDefault: ['animal', 'dog'] },
    { photo: photo([['scene', 'beach']]), all: ['scene', 'dog', 'animal', 'x', 'y', 'beach'], atDefault: [] },
  ];

  it('takes the first label no other returned label is below as the specific one', () => {
    expect(firstSpecific(['animal', 'dog', 'puppy'], taxonomy)).toBe('puppy');
    expect(firstSpecific(['scene', 'dog', 'animal'], taxonomy)).toBe('scene');
  });

  it('counts a label below a truth as a hit and a label above it as a miss', () => {
    const figures = groupFigures(outcomes, matcher, taxonomy);
    expect(figures).toMatchObject({
      photos: 2,
      hitAt1: 0,
      hitAt5: 0.5,
      hitAnyRank: 1,
      firstSpecificRight: 0.5,
      hitAtDefault: 0.5,
      noLabelAtDefault: 0.5,
      topRightAtDefault: 0,
    });
    expect(kindFigures(outcomes, matcher).scene).toEqual({ truths: 1, foundAtDefault: 0, foundInTop5: 0, foundAnyRank: 1 });
  });
});
