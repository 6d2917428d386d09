import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/env';
import { DetectionEngine, loadDetectionEngine } from '../../src/detection/detectionSetup';
import { mostSpecific } from '../../src/detection/labelAssembler';
import type { DetectRequest } from '../../src/detection/labelDetector';
import type { DetectedLabel } from '../../src/taxonomy/labelNaming';
import { sharedPackDirs } from '../../src/detection/packs/modelDirs';
import { ApiError } from '../../src/api/errors';
import { sharedImage } from '../support/sharedData';

// The real models from ../shared/models (MobileNetV2 + YOLOX-Nano + the Places365 scene model) on real photos.
let engine: DetectionEngine;
beforeAll(async () => {
  engine = await loadDetectionEngine(loadConfig({ ...process.env, MODEL_DIR: sharedPackDirs.join(',') }));
});
afterAll(() => engine?.close());

const photo = (path: string) => readFileSync(sharedImage(path));
const detect = (data: Buffer, request: Partial<DetectRequest> = {}) =>
  engine.detector.detect(data, { threshold: 0.5, language: 'en', ...request });
const byId = (labels: DetectedLabel[]) => new Map(labels.map((l) => [l.labelId, l]));
const category = (labelId: string) => [labelId, ...engine.taxonomy.ancestors(labelId).map((a) => a.id)].at(-1);

describe('real labels on real photos', () => {
  it.each([
    ['photos/coffee.png', ['cup']],
    ['photos/chelsea.png', ['cat']],
    ['darknet/dog.jpg', ['dog', 'bicycle']],
    ['darknet/person.jpg', ['person', 'dog', 'horse']],
    ['darknet/giraffe.jpg', ['giraffe']],
    ['darknet/eagle.jpg', ['bird']],
    ['darknet/horses.jpg', ['horse']],
  ])('%s is labelled %j', async (file, expected) => {
    const result = await detect(photo(file));
    const labels = byId(result.labels);
    for (const id of expected) {
      expect(labels.get(id)?.labelConfidence ?? 0).toBeGreaterThanOrEqual(0.5);
    }
  });

  // The int8 MobileNetV2's fine-grained scores move with the CPU's int8 kernels (AVX2 saturates
  // where VNNI does not): "eagle" scored 0.8 on one machine here and 0.24 on another. The ranking holds.
  // Since taxonomy 1.1.0 the bald eagle sits beside the eagle under bird (levels stop at 3). The
  // scene model's labels (the lake it stands by) are no animals.
  it('darknet/eagle.jpg: an eagle is the strongest animal below bird', async () => {
    const result = await detect(photo('darknet/eagle.jpg'), { threshold: 0 });
    const specific = result.labels.filter(
      (label) => label.labelLevel > 1 && label.labelId !== 'bird' && category(label.labelId) === 'animal',
    );
    expect(['eagle', 'bald-eagle']).toContain(specific[0]?.labelId);
    expect(specific[0]?.parentLabelId).toBe('bird');
  });

  it('the hierarchy is consistent: each parent is present, one level up, with at least the child’s confidence', async () => {
    for (const file of ['photos/coffee.png', 'photos/chelsea.png', 'darknet/person.jpg']) {
      const { labels } = await detect(photo(file), { threshold: 0.3 });
      const present = byId(labels);
      expect(labels.length).toBeGreaterThan(0);
      for (const label of labels) {
        expect(label.labelConfidence).toBeGreaterThanOrEqual(0);
        expect(label.labelConfidence).toBeLessThanOrEqual(1);
        expect(label.centricScore).toBeGreaterThanOrEqual(0);
        expect(label.centricScore).toBeLessThanOrEqual(1);
        if (label.labelLevel === 1) {
          expect(label.parentLabelId).toBeNull();
          continue;
        }
        const parent = present.get(label.parentLabelId!);
        expect(parent).toBeDefined();
        expect(parent!.labelLevel).toBe(label.labelLevel - 1);
        expect(parent!.labelConfidence).toBeGreaterThanOrEqual(label.labelConfidence);
        expect(label.parentLabelName).toBe(parent!.labelName);
      }
    }
  });

  it('speaks Chinese by default, as IMM does', async () => {
    const result = await engine.detector.detect(photo('photos/chelsea.png'), { threshold: 0.5 });
    const cat = result.labels.find((l) => l.labelId === 'cat')!;
    expect(cat.language).toBe('zh-Hans');
    expect(cat.labelName).toBe('猫');
    expect(result.labels.every((l) => /[\u4e00-\u9fff]/.test(l.labelName))).toBe(true);
  });

  it('a higher threshold returns a subset; maxLabels caps the specific labels, parents come along', async () => {
    const low = await detect(photo('darknet/person.jpg'), { threshold: 0.2 });
    const high = await detect(photo('darknet/person.jpg'), { threshold: 0.8 });
    expect(high.labels.length).toBeLessThan(low.labels.length);
    const lowIds = new Set(low.labels.map((l) => l.labelId));
    expect(high.labels.every((l) => lowIds.has(l.labelId))).toBe(true);
    const capped = (await detect(photo('darknet/person.jpg'), { threshold: 0.2, maxLabels: 3 })).labels;
    const specificIds = (labels: DetectedLabel[]) =>
      mostSpecific(
        labels,
        (l) => l.labelId,
        (id) => engine.taxonomy.ancestors(id),
        (l) => l.labelLevel,
      ).map((l) => l.labelId);
    const confidenceOf = (result: { labels: DetectedLabel[] }, id: string) => result.labels.find((l) => l.labelId === id)!.labelConfidence;
    const specific = specificIds(capped);
    // The three are the strongest specific labels of the uncapped answer.
    expect(new Set(specific)).toEqual(
      new Set([...specificIds(low.labels)].sort((a, b) => confidenceOf(low, b) - confidenceOf(low, a)).slice(0, 3)),
    );
    expect(specific).toContain(capped[0].labelId);
    for (const label of capped) if (label.parentLabelId) expect(capped.some((l) => l.labelId === label.parentLabelId)).toBe(true);
  });

  it('leads with the strongest most specific label, not a category', async () => {
    for (const file of ['photos/chelsea.png', 'darknet/dog.jpg', 'darknet/giraffe.jpg']) {
      const { labels } = await detect(photo(file), { threshold: 0.5 });
      expect(labels[0].labelLevel).toBeGreaterThan(1);
      expect(labels.some((l) => l.parentLabelId === labels[0].labelId)).toBe(false);
    }
  });

  it('filters by label and category, by id or by name in either language', async () => {
    const animals = category('cat')!;
    const withoutAnimals = await detect(photo('darknet/person.jpg'), { threshold: 0.3, excludeCategories: [animals] });
    expect(withoutAnimals.labels.some((l) => category(l.labelId) === animals)).toBe(false);
    expect(withoutAnimals.labels.some((l) => l.labelId === 'person')).toBe(true);

    const onlyDogs = await detect(photo('darknet/person.jpg'), { threshold: 0.3, includeLabels: ['狗'] });
    expect(onlyDogs.labels.map((l) => l.labelId)).toContain('dog');
    expect(onlyDogs.labels.every((l) => l.labelId === 'dog' || engine.taxonomy.ancestors(l.labelId).some((a) => a.id === 'dog'))).toBe(
      true,
    );
  });

  it('refuses unknown filter labels and bad options with InvalidArgument before doing any work', async () => {
    for (const request of [
      { includeLabels: ['no-such-label-anywhere'] },
      { threshold: 1.5 },
      { maxLabels: 0 },
      { includeCategories: ['dog'] },
    ]) {
      await expect(detect(photo('photos/coffee.png'), request)).rejects.toMatchObject({ code: 'InvalidArgument' });
    }
  });

  it('refuses a truncated photo cleanly', async () => {
    await expect(detect(photo('bad/truncated.jpg'))).rejects.toBeInstanceOf(ApiError);
  });

  it('batches concurrent requests without mixing up their answers', async () => {
    const files = ['photos/coffee.png', 'photos/chelsea.png', 'darknet/dog.jpg', 'darknet/giraffe.jpg'];
    const sequential: string[][] = [];
    for (const file of files) sequential.push((await detect(photo(file))).labels.map((l) => l.labelId));
    const concurrent = await Promise.all([...files, ...files].map((file) => detect(photo(file))));
    concurrent.forEach((result, i) => expect(result.labels.map((l) => l.labelId)).toEqual(sequential[i % files.length]));
  });
});

describe('CentricScore on images built for it', () => {
  /** The same photo filling a 448×448 canvas, or shrunk to an eighth of it in the top-left corner. */
  async function composed(file: string, large: boolean): Promise<Buffer> {
    const side = large ? 448 : 112;
    const subject = await sharp(photo(file)).resize(side, side, { fit: 'cover' }).png().toBuffer();
    return sharp({ create: { width: 448, height: 448, channels: 3, background: { r: 128, g: 128, b: 128 } } })
      .composite([{ input: subject, left: large ? 0 : 8, top: large ? 0 : 8 }])
      .png()
      .toBuffer();
  }

  it.each([
    ['photos/chelsea.png', 'cat'],
    ['darknet/giraffe.jpg', 'giraffe'],
  ])('%s: %s large and centred scores well above small in a corner', async (file, labelId) => {
    const large = (await detect(await composed(file, true), { threshold: 0.05 })).labels.find((l) => l.labelId === labelId);
    const small = (await detect(await composed(file, false), { threshold: 0.05 })).labels.find((l) => l.labelId === labelId);
    expect(large).toBeDefined();
    expect(large!.centricScore).toBeGreaterThan(0.6);
    expect(small?.centricScore ?? 0).toBeLessThan(large!.centricScore - 0.3);
  });
});
