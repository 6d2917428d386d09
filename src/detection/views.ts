import type { WorkingPixels } from './imageDecoder';
import * as ort from 'onnxruntime-node';
import type { ImageInput } from './packs/manifest';
import { prepareInput, Region, wholeImage } from './preprocess';

// Views a model scores for CentricScore (docs/centric-score.md): full, centre, four quadrants.
export const VIEW_COUNT = 6;

/** The six views CentricScore compares: full, centre, and four quadrants. */
export function views(image: WorkingPixels): Region[] {
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

/**
 * Every view of every image (the six CentricScore views, unless told which), prepared for the
 * model, as one NCHW batch (image-major), sampled straight into the batch. It runs on the model's
 * inference thread (see inputRecipes.ts).
 */
export async function prepareViews(images: WorkingPixels[], input: ImageInput, viewsOf: (image: WorkingPixels) => Region[] = views): Promise<ort.Tensor> {
  const regions = images.flatMap((image) => viewsOf(image).map((region) => ({ image, region })));
  const size = 3 * input.width * input.height;
  const batch = new Float32Array(size * regions.length);
  for (const [r, { image, region }] of regions.entries()) {
    await prepareInput(image, input, region, batch.subarray(r * size, (r + 1) * size));
  }
  return new ort.Tensor('float32', batch, [regions.length, 3, input.height, input.width]);
}
