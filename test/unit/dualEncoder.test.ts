import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { makeTinyDualEncoder } from '../../scripts/tinyPack/makeTinyDualEncoder';
import { DualEncoder, PromptLabel } from '../../src/detection/backends/dualEncoder';
import { decodeImage } from '../../src/detection/imageDecoder';
import { loadPack } from '../../src/detection/packs/packLoader';
import { recognize } from '../../src/detection/recognizer';
import { sharedDir } from '../support/sharedData';

// The tiny pack runs the whole dual-encoder path for real: CLIP tokenizer, text encoder, on-disk
// label-embedding cache, image encoder, similarity and calibration. It only knows colours.
const labels: PromptLabel[] = ['red', 'green', 'blue', 'white', 'black', 'cat', 'bicycle'].map((en) => ({ id: `lg-${en}`, en }));
let workDir: string;
let packDir: string;
let cacheDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'labelgate-tiny-'));
  packDir = await makeTinyDualEncoder(join(workDir, 'pack'), resolve(sharedDir, 'models', 'clip-vit-b32-tokenizer', 'tokenizer.json'));
  cacheDir = join(workDir, 'cache');
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const solid = async (r: number, g: number, b: number) =>
  decodeImage(
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer(),
  );

async function encoder() {
  const pack = await loadPack(packDir);
  if (pack.manifest.kind !== 'dual-encoder') throw new Error('expected a dual encoder');
  return DualEncoder.create(pack, pack.manifest, labels, 'test-taxonomy-1', cacheDir, 1);
}

describe('the dual-encoder pipeline on the tiny generated pack', () => {
  it('scores the matching colour label highest, calibrated to 0..1', async () => {
    const model = await encoder();
    const [red, blue] = await recognize(model, [await solid(230, 20, 20), await solid(20, 20, 230)]);
    const top = (evidence: typeof red) => [...evidence].sort((a, b) => b.confidence - a.confidence)[0];
    expect(top(red).labelId).toBe('lg-red');
    expect(top(red).confidence).toBeGreaterThan(0.9);
    expect(top(blue).labelId).toBe('lg-blue');
    for (const e of [...red, ...blue]) {
      expect(e.confidence).toBeGreaterThanOrEqual(0);
      expect(e.confidence).toBeLessThanOrEqual(1);
    }
    expect(red.find((e) => e.labelId === 'lg-blue')?.confidence ?? 0).toBeLessThan(0.1);
    // A uniform image looks the same in every view: the colour is the whole subject.
    expect(top(red).centricScore).toBeCloseTo(1, 1);
    await model.close();
  });

  it('caches label embeddings on disk per model and taxonomy, and reuses them', async () => {
    const first = await encoder();
    const [file] = readdirSync(cacheDir);
    expect(file).toMatch(/^tiny-dual-encoder-[0-9a-f]{24}\.f32$/);
    expect(statSync(join(cacheDir, file)).size).toBe(labels.length * 16 * 4);
    const before = statSync(join(cacheDir, file)).mtimeMs;

    const second = await encoder();
    expect(statSync(join(cacheDir, file)).mtimeMs).toBe(before);
    const image = await solid(20, 200, 20);
    expect(await recognize(second, [image])).toEqual(await recognize(first, [image]));
    await Promise.all([first.close(), second.close()]);
  });

  it('embeds images for semantic search: unit vectors, similar colours close', async () => {
    const model = await encoder();
    const [red, darkRed, blue] = await model.embed([await solid(230, 20, 20), await solid(150, 10, 10), await solid(20, 20, 230)]);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i], 0);
    expect(dot(red, red)).toBeCloseTo(1, 5);
    expect(dot(red, darkRed)).toBeGreaterThan(dot(red, blue));
    await model.close();
  });

  it('embeds free text as it embeds label prompts: the same tokenizer, template and space', async () => {
    const model = await encoder();
    const images = [await solid(230, 20, 20), await solid(20, 20, 230), await solid(20, 200, 20)];
    const embeddings = await model.embed(images);
    const evidence = await recognize(model, images);
    const text = await model.embedText('blue');
    expect(text.reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(1, 5);
    // A label's confidence is the calibrated similarity of the image to its prompt: "blue" as free
    // text must land exactly where the label "blue" does.
    const { manifest } = await loadPack(packDir);
    if (manifest.kind !== 'dual-encoder') throw new Error('expected a dual encoder');
    const { scale, bias } = manifest.calibration;
    embeddings.forEach((image, i) => {
      const similarity = image.reduce((sum, v, d) => sum + v * text[d], 0);
      const confidence = evidence[i].find((e) => e.labelId === 'lg-blue')?.confidence;
      if (confidence !== undefined) expect(1 / (1 + Math.exp(-scale * (similarity - bias)))).toBeCloseTo(confidence, 5);
    });
    expect(evidence[1].find((e) => e.labelId === 'lg-blue')!.confidence).toBeGreaterThan(0.9);
    await model.close();
  });

  it('hands out the image embeddings of a detection run, with no second inference', async () => {
    const model = await encoder();
    const images = [await solid(230, 20, 20), await solid(20, 20, 230)];
    const raw = await model.run(model.combine([await model.prepare([images[0]]), await model.prepare([images[1]])]));
    expect(model.embeddings(raw, 2)).toEqual(await model.embed(images));
    expect(model.embeddingModel).toBe('tiny-dual-encoder@1');
    await model.close();
  });
});
