import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { loadConfig } from '../../src/config/env';
import { SoftmaxClassifier } from '../../src/detection/backends/softmaxClassifier';
import { calibrated } from '../../src/detection/calibration';
import { readClassMapFile } from '../../src/detection/classMap';
import { DetectionEngine, loadDetectionEngine } from '../../src/detection/detectionSetup';
import { detectionTaxonomyOf } from '../../src/detection/detectionTaxonomy';
import { decodeImage } from '../../src/detection/imageDecoder';
import type { DetectedLabel } from '../../src/taxonomy/labelNaming';
import type { ClassifierManifest, ImageInput } from '../../src/detection/packs/manifest';
import { sharedPackDirs } from '../../src/detection/packs/modelDirs';
import { loadPack } from '../../src/detection/packs/packLoader';
import { prepareInput } from '../../src/detection/preprocess';
import { recognize } from '../../src/detection/recognizer';
import { sharedImage } from '../support/sharedData';

// The Places365 scene model (../shared/models/squeezenet-places365) as a pack, on the shared photos.
const packDir = sharedPackDirs.find((dir) => basename(dir) === 'squeezenet-places365')!;
const photo = (path: string) => readFileSync(sharedImage(path));

let engine: DetectionEngine;
beforeAll(async () => {
  engine = await loadDetectionEngine(loadConfig({ ...process.env, MODEL_DIR: packDir }));
});
afterAll(() => engine?.close());

/** The labels at the default threshold (a project's 0.5), in English. */
const labelsOf = async (path: string) => (await engine.detector.detect(photo(path), { threshold: 0.5, language: 'en' })).labels;
const confidence = (labels: DetectedLabel[], id: string) => labels.find((l) => l.labelId === id)?.labelConfidence ?? 0;

/** Class probabilities straight from the graph. */
async function probabilities(tensor: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(join(packDir, 'model.onnx'), { intraOpNumThreads: 1 });
  try {
    const out = await session.run({ image_rgb_0_255: new ort.Tensor('float32', tensor, [1, 3, 224, 224]) });
    return out.probs.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** The model README's preprocessing, done by sharp: 256×256 ignoring the aspect ratio, centre 224 (offset 16, 16), RGB 0..255, channels first. */
async function readmeInput(path: string): Promise<Float32Array> {
  const { data } = await sharp(sharedImage(path))
    .rotate()
    .resize(256, 256, { fit: 'fill' })
    .extract({ left: 16, top: 16, width: 224, height: 224 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const plane = 224 * 224;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i += 1) for (let c = 0; c < 3; c += 1) out[c * plane + i] = data[3 * i + c];
  return out;
}

const totalVariation = (a: Float32Array, b: Float32Array) => 0.5 * a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0);

describe('the Places365 pack', () => {
  it('is one of the default packs, with the names, resize and calibration its manifest gives', async () => {
    const pack = await loadPack(packDir);
    const manifest = pack.manifest as ClassifierManifest;
    expect(manifest).toMatchObject({
      kind: 'classifier',
      head: 'softmax',
      output: 'logits',
      views: 'whole',
      calibration: { kind: 'power' },
    });
    expect(manifest.input).toMatchObject({
      name: 'image_rgb_0_255',
      resize: 'squash',
      cropFraction: 0.875,
      scale: 1,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    });
    expect(manifest.license).toMatch(/no licence stated/i);
    // The inference rules label too: their table's version is part of what labeled an image.
    expect(engine.detector.modelVersion).toMatch(new RegExp(`^squeezenet-places365@${manifest.version}\\+rules@\\S+$`));
  });

  // Squashed photos are what the model was trained on; a centre crop of a wide photo shows it
  // another scene (horses.jpg: 0.37 of the probability moves).
  it.each(['darknet/horses.jpg', 'darknet/dog.jpg', 'darknet/person.jpg'])(
    '%s: squash preprocessing gives what the README recipe gives',
    async (path) => {
      const pack = await loadPack(packDir);
      const input = pack.manifest.input as ImageInput;
      const image = await decodeImage(photo(path));
      const reference = await probabilities(await readmeInput(path));
      const squashed = await probabilities((await prepareInput(image, input)).tensor);
      const cropped = await probabilities((await prepareInput(image, { ...input, resize: 'centre-crop' })).tensor);
      // Decoding to 640 px and bilinear sampling differ a little from sharp's own resize.
      expect(totalVariation(squashed, reference)).toBeLessThan(0.2);
      expect(totalVariation(cropped, reference)).toBeGreaterThan(2 * totalVariation(squashed, reference));
    },
  );

  it('sums a group of classes into its label: pasture + corral + hayfield + wild field on horses.jpg', async () => {
    const pack = await loadPack(packDir);
    const manifest = pack.manifest as ClassifierManifest;
    const taxonomy = detectionTaxonomyOf(engine.taxonomy);
    const classifier = await SoftmaxClassifier.create(pack, manifest, taxonomy, 1);
    try {
      const image = await decodeImage(photo('darknet/horses.jpg'));
      const [evidence] = await recognize(classifier, [image]);
      const p = await probabilities((await prepareInput(image, manifest.input)).tensor);
      const names = readClassMapFile(pack.besideManifest(manifest.classMap)).classes.map((c) => c.name);
      const of = (name: string) => p[names.indexOf(name)];
      const pasture = evidence.find((e) => e.labelId === 'pasture')!;
      const grouped = of('pasture') + of('corral') + of('hayfield') + of('field/wild');
      expect(pasture.confidence).toBeCloseTo(calibrated(grouped, manifest.calibration), 3);
      expect(pasture.confidence).toBeGreaterThan(calibrated(of('pasture'), manifest.calibration) + 0.1);
      // A scene is the whole frame: the pack runs one view, and says so.
      expect(pasture.centricScore).toBe(1);
    } finally {
      await classifier.close();
    }
  });
});

describe('scene labels on the shared photos at the default threshold', () => {
  it('kite.jpg (people flying kites on a beach): coast, a natural landscape, outdoors', async () => {
    const labels = await labelsOf('darknet/kite.jpg');
    expect(confidence(labels, 'coast')).toBeGreaterThanOrEqual(0.5);
    expect(confidence(labels, 'natural-landscape')).toBeGreaterThanOrEqual(0.5);
    expect(confidence(labels, 'outdoor-scene')).toBeGreaterThanOrEqual(0.5);
    expect(confidence(labels, 'indoor-scene')).toBe(0);
    // Below the threshold, the beach is the scene the model ranks first.
    const all = (await engine.detector.detect(photo('darknet/kite.jpg'), { threshold: 0, language: 'en' })).labels;
    const specific = all.filter((l) => l.labelLevel === 3);
    expect(['beach', 'coast']).toContain(specific[0].labelId);
  });

  it('horses.jpg (horses grazing): pasture on a farm, outdoors', async () => {
    const labels = await labelsOf('darknet/horses.jpg');
    expect(confidence(labels, 'pasture')).toBeGreaterThanOrEqual(0.5);
    expect(labels.find((l) => l.labelId === 'pasture')?.parentLabelId).toBe('farm');
    expect(confidence(labels, 'farm')).toBeGreaterThanOrEqual(confidence(labels, 'pasture'));
    expect(confidence(labels, 'outdoor-scene')).toBeGreaterThanOrEqual(0.5);
    expect(confidence(labels, 'indoor-scene')).toBe(0);
  });

  it('eagle.jpg (an eagle on a lake shore): water in a natural landscape', async () => {
    const labels = await labelsOf('darknet/eagle.jpg');
    expect(confidence(labels, 'natural-landscape')).toBeGreaterThanOrEqual(0.5);
    expect(confidence(labels, 'lake')).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    ['photos/chelsea.png', 'indoor-scene', 'outdoor-scene'],
    ['photos/coffee.png', 'indoor-scene', 'outdoor-scene'],
    ['photos/astronaut.png', 'indoor-scene', 'outdoor-scene'],
    ['darknet/dog.jpg', 'outdoor-scene', 'indoor-scene'],
    ['darknet/giraffe.jpg', 'outdoor-scene', 'indoor-scene'],
    ['darknet/person.jpg', 'outdoor-scene', 'indoor-scene'],
  ])('%s is %s, not %s', async (path, is, isNot) => {
    const labels = await labelsOf(path);
    expect(confidence(labels, is)).toBeGreaterThanOrEqual(0.5);
    expect(confidence(labels, isNot)).toBe(0);
  });

  // Calibration lifts thin probabilities, but a scene needs 0.31 of the probability to reach 0.5,
  // so no photo gets more than three unrelated scenes.
  it('gives no photo more than three scenes that are not one another’s parents', async () => {
    const paths = [
      'darknet/dog.jpg',
      'darknet/eagle.jpg',
      'darknet/giraffe.jpg',
      'darknet/horses.jpg',
      'darknet/kite.jpg',
      'darknet/person.jpg',
      'photos/astronaut.png',
      'photos/brick.png',
      'photos/camera.png',
      'photos/chelsea.png',
      'photos/coffee.png',
      'photos/coins.png',
      'photos/grass.png',
      'photos/gravel.png',
      'photos/horse.png',
      'photos/hubble_deep_field.jpg',
      'photos/rocket.jpg',
      'photos/text.png',
    ];
    for (const path of paths) {
      const labels = await labelsOf(path);
      const parents = new Set(labels.map((l) => l.parentLabelId));
      const leaves = labels.filter((l) => !parents.has(l.labelId));
      expect(leaves.length).toBeLessThanOrEqual(3);
    }
  });

  it('names scenes in Chinese by default, with their parents', async () => {
    const { labels } = await engine.detector.detect(photo('darknet/horses.jpg'), { threshold: 0.5 });
    const pasture = labels.find((l) => l.labelId === 'pasture')!;
    expect(pasture).toMatchObject({ labelName: '牧场', parentLabelName: '农场', labelLevel: 3 });
    expect(labels.find((l) => l.labelId === 'outdoor-scene')?.labelName).toBe('户外与城市场景');
  });
});
