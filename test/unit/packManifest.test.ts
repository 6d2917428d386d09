import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meanSoftmax, SoftmaxClassifier } from '../../src/detection/backends/softmaxClassifier';
import { manifestSchema } from '../../src/detection/packs/manifest';
import { bundledManifestDir, loadPack, PackError } from '../../src/detection/packs/packLoader';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { detectionTaxonomyOf } from '../../src/detection/detectionTaxonomy';
import { sharedDir } from '../support/sharedData';

const sceneDir = join(sharedDir, 'models', 'squeezenet-places365');
const bundled = () => JSON.parse(readFileSync(join(bundledManifestDir, 'squeezenet-places365.json'), 'utf8'));

describe('pack manifests', () => {
  it('read the scene pack: squash resize, tensor names, one view, power calibration', () => {
    const manifest = manifestSchema.parse(bundled());
    expect(manifest).toMatchObject({
      kind: 'classifier',
      output: 'logits',
      views: 'whole',
      calibration: { kind: 'power', exponent: expect.any(Number) },
      input: {
        name: 'image_rgb_0_255',
        resize: 'squash',
        cropFraction: 0.875,
        channelOrder: 'RGB',
        scale: 1,
        mean: [0, 0, 0],
        std: [1, 1, 1],
        dynamicBatch: true,
      },
    });
  });

  it('default what older manifests do not say: six views, no names, no calibration', () => {
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(bundledManifestDir, 'mobilenetv2-12-int8.json'), 'utf8')));
    if (manifest.kind !== 'classifier') throw new Error('expected a classifier');
    expect(manifest.views).toBe('centric');
    expect([manifest.output, manifest.calibration, manifest.input.name]).toEqual([undefined, undefined, undefined]);
  });

  it('refuse an unknown resize, a calibration that lowers probabilities, an unknown view', () => {
    const bad = (change: (m: ReturnType<typeof bundled>) => void) => {
      const manifest = bundled();
      change(manifest);
      return manifestSchema.safeParse(manifest).success;
    };
    expect(bad(() => undefined)).toBe(true);
    expect(bad((m) => (m.input.resize = 'stretch'))).toBe(false);
    expect(bad((m) => (m.calibration.exponent = 1.5))).toBe(false);
    expect(bad((m) => (m.calibration.kind = 'sigmoid'))).toBe(false);
    expect(bad((m) => (m.views = 'tiles'))).toBe(false);
    // Test-time views: a softmax pack over a squash input averages them; a detector takes the plain one.
    expect(bad((m) => (m.testViews = [{ mirror: false }, { mirror: true }, { cropFraction: 1 }]))).toBe(true);
    expect(bad((m) => (m.testViews = []))).toBe(false);
    expect(bad((m) => (m.testViews = [{ cropFraction: 0 }]))).toBe(false);
    expect(bad((m) => Object.assign(m, { head: 'yolox', testViews: [{ mirror: false }, { mirror: true }] }))).toBe(false);
    expect(bad((m) => Object.assign(m.input, { resize: 'letterbox' }) && (m.testViews = [{ mirror: true }]))).toBe(false);
  });

  it('average a softmax over test-time views', () => {
    // Two views of three classes: the mean of their softmaxes, not the softmax of their mean.
    const logits = new Float32Array([0, 0, Math.log(2), 0, Math.log(3), 0]);
    const mean = meanSoftmax(logits, 0, 2, 3);
    expect([...mean].map((p) => p.toFixed(4))).toEqual([
      (1 / 8 + 1 / 10).toFixed(4),
      (1 / 8 + 3 / 10).toFixed(4),
      (2 / 8 + 1 / 10).toFixed(4),
    ]);
    expect([...meanSoftmax(logits, 1, 1, 3)].map((p) => p.toFixed(4))).toEqual(['0.2000', '0.6000', '0.2000']);
  });

  it('load the shared scene pack through the bundled manifest, its file checked', async () => {
    const pack = await loadPack(sceneDir);
    expect(pack.manifestPath).toBe(join(bundledManifestDir, 'squeezenet-places365.json'));
    expect(pack.manifest.name).toBe('squeezenet-places365');
  });

  describe('a copy of the pack with its own manifest', () => {
    let dir: string;
    beforeAll(() => {
      dir = join(mkdtempSync(join(tmpdir(), 'labelgate-pack-')), 'scenes');
      mkdirSync(dir);
      copyFileSync(join(sceneDir, 'model.onnx'), join(dir, 'model.onnx'));
    });
    afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

    const withManifest = (change: (m: ReturnType<typeof bundled>) => void) => {
      const manifest = bundled();
      manifest.classMap = join(bundledManifestDir, manifest.classMap);
      change(manifest);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      return loadPack(dir);
    };

    it('fails at start, naming the graph’s outputs, when the manifest names one the graph lacks', async () => {
      const pack = await withManifest((m) => (m.output = 'scores'));
      if (pack.manifest.kind !== 'classifier') throw new Error('expected a classifier');
      const taxonomy = detectionTaxonomyOf(loadTaxonomy());
      await expect(SoftmaxClassifier.create(pack, pack.manifest, taxonomy, 1)).rejects.toThrow(
        /names the output "scores", but the graph's outputs are logits, probs/,
      );
    });

    it('is refused when its file is not the one the manifest names', async () => {
      await expect(withManifest((m) => (m.files.model.sha256 = '0'.repeat(64)))).rejects.toThrow(PackError);
    });

    it('is refused, naming its manifest, when the manifest is not JSON', async () => {
      writeFileSync(join(dir, 'manifest.json'), '{not json');
      await expect(loadPack(dir)).rejects.toThrow(new RegExp(`^${join(dir, 'manifest.json')} is not valid JSON`));
    });
  });

  describe('a folder named where a pack is expected', () => {
    let root: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'labelgate-packs-'));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('a known pack copied under another name loads through the bundled manifest its files match', async () => {
      const copy = join(root, 'objects');
      mkdirSync(copy);
      copyFileSync(join(sharedDir, 'models', 'yolox-nano', 'yolox_nano.onnx'), join(copy, 'yolox_nano.onnx'));
      const pack = await loadPack(copy);
      expect(pack.manifest.name).toBe('yolox-nano');
    });

    it('a folder of packs says to name the packs themselves', async () => {
      await expect(loadPack(join(sharedDir, 'models'))).rejects.toThrow(
        /holds model packs \(.*yolox-nano.*\), not one pack: name the pack folders/,
      );
    });

    it('a file says it is a file', async () => {
      const file = join(root, 'not-a-folder');
      writeFileSync(file, 'x');
      await expect(loadPack(file)).rejects.toThrow(`${file} is a file, not a model pack folder.`);
    });
  });
});
