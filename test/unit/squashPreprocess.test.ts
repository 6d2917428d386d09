import sharp from 'sharp';
import { decodeImage } from '../../src/detection/imageDecoder';
import type { ImageInput } from '../../src/detection/packs/manifest';
import { prepareInput } from '../../src/detection/preprocess';

// Places365's recipe: the whole photo stretched to 256×256, whatever its shape, then the centre
// 224×224 (from 16 to 240 on each side). A gradient image shows where each model pixel is sampled.
const input: ImageInput = {
  width: 224,
  height: 224,
  resize: 'squash',
  cropFraction: 0.875,
  padValue: 0,
  channelOrder: 'RGB',
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  dynamicBatch: true,
};

/** 400×200: red grows with x (0..255), green with y. */
async function gradient(width: number, height: number) {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      rgb[(y * width + x) * 3] = Math.round((255 * x) / (width - 1));
      rgb[(y * width + x) * 3 + 1] = Math.round((255 * y) / (height - 1));
    }
  }
  return decodeImage(
    await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

describe('squash preprocessing', () => {
  it('stretches a wide photo to a square and takes the centre 224 of 256, channels first, 0..255', async () => {
    const width = 400;
    const height = 200;
    const image = await gradient(width, height);
    const { tensor } = await prepareInput(image, input);
    const plane = 224 * 224;
    // Model pixel x samples the photo at (16 + x + 0.5) / 256 of its width; so for y and the height.
    const expectedRed = (x: number) => (255 * ((16 + x + 0.5) * (width / 256) - 0.5)) / (width - 1);
    const expectedGreen = (y: number) => (255 * ((16 + y + 0.5) * (height / 256) - 0.5)) / (height - 1);
    for (const [x, y] of [
      [0, 0],
      [111, 57],
      [223, 223],
      [0, 223],
    ]) {
      expect(Math.abs(tensor[y * 224 + x] - expectedRed(x))).toBeLessThan(1.5);
      expect(Math.abs(tensor[plane + y * 224 + x] - expectedGreen(y))).toBeLessThan(1.5);
      expect(tensor[2 * plane + y * 224 + x]).toBe(0);
    }
    // Both sides lose the same 1/16 at each end, though the photo is twice as wide as it is high.
    expect(tensor[0]).toBeCloseTo(expectedRed(0), 0);
    expect(tensor[plane]).toBeCloseTo(expectedGreen(0), 0);
  });

  it('samples a mirrored view as the plain one read right to left, and a view of another crop fraction wider', async () => {
    const image = await gradient(400, 200);
    const plain = (await prepareInput(image, input)).tensor;
    const mirrored = (await prepareInput(image, input, undefined, undefined, { mirror: true })).tensor;
    for (const [x, y] of [
      [0, 0],
      [40, 100],
      [223, 223],
    ]) {
      expect(mirrored[y * 224 + x]).toBeCloseTo(plain[y * 224 + (223 - x)], 3);
      expect(mirrored[224 * 224 + y * 224 + x]).toBeCloseTo(plain[224 * 224 + y * 224 + (223 - x)], 3);
    }
    // The whole frame (fraction 1) starts at the photo's left edge; the default centre 7/8 does not.
    const whole = (await prepareInput(image, input, undefined, undefined, { mirror: false, cropFraction: 1 })).tensor;
    expect(whole[0]).toBeLessThan(1);
    expect(plain[0]).toBeGreaterThan(10);
  });
});
