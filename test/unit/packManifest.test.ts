import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SoftmaxClassifier } from '../../src/detection/backends/softmaxClassifier';
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
  });
});
