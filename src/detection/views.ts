import type { DecodedImage } from './imageDecoder';
import { ort } from './onnxSession';
import type { ImageInput } from './packs/manifest';
import { prepareInput, Region, stack, wholeImage } from './preprocess';

// Views a model scores for CentricScore (docs/centric-score.md): full, centre, four quadrants.
export const VIEW_COUNT = 6;

/** The six views CentricScore compares: full, centre, and four quadrants. */
export function views(image: DecodedImage): Region[] {
  const whole = wholeImage(image);
  const halfW = Math.max(1, Math.floor(whole.width / 2));
  const halfH = Math.max(1, Math.floor(whole.height / 2));
  const centre = { left: Math.floor(whole.width / 4), top: Math.floor(whole.height / 4), width: halfW, height: halfH };
  const quadrants = [
    { left: 0, top: 0, width: halfW, height: halfH },
    { left: whole.width - halfW, top: 0, width: halfW, height: halfH },
    { left: 0, top: whole.height - halfH, width: halfW, height: halfH },
    { left: whole.width - halfW, top: whole.height - halfH, width: halfW, height: halfH },
  ];
  return [whole, centre, ...quadrants];
}

/** Lets the event loop turn: it also serves HTTP and search, and a batch's views take a while. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Every view of every image, prepared for the model, as one NCHW batch (image-major), sampled
 * straight into the batch. The event loop gets a turn after each view.
 */
export async function prepareViews(images: DecodedImage[], input: ImageInput): Promise<ort.Tensor> {
  const regions = images.flatMap(views);
  const size = 3 * input.width * input.height;
  const batch = new Float32Array(size * regions.length);
  for (const [r, region] of regions.entries()) {
    await prepareInput(images[Math.floor(r / VIEW_COUNT)], input, region, batch.subarray(r * size, (r + 1) * size));
    await yieldToEventLoop();
  }
  return new ort.Tensor('float32', batch, [regions.length, 3, input.height, input.width]);
}

/** Concatenates NCHW batches along N. */
export function concatBatches(batches: ort.Tensor[]): ort.Tensor {
  if (batches.length === 1) return batches[0];
  const [, ...rest] = batches[0].dims;
  const count = batches.reduce((n, t) => n + t.dims[0], 0);
  return new ort.Tensor('float32', stack(batches.map((t) => t.data as Float32Array)), [count, ...rest]);
}
