import type { WorkingPixels } from './imageDecoder';
import * as ort from 'onnxruntime-node';
import { ImageInput, InputView, PLAIN_VIEW } from './packs/manifest';
import { prepareInput, wholeImage } from './preprocess';

/**
 * A model input described rather than computed: which images, and how to make them a tensor. The
 * model's inference thread computes it, so the sampling (about 11 ms of an image's work here) runs
 * off the event loop and beside the other model's, and the pixels cross in shared memory.
 */
export type InputRecipe =
  /** Each image whole, once per view, one NCHW batch: image 0's views, then image 1's, ... */
  | { recipe: 'whole'; images: WorkingPixels[]; input: ImageInput; views: InputView[] }
  /** One image letterboxed into the input, a batch of one. */
  | { recipe: 'letterbox'; images: [WorkingPixels]; input: ImageInput };

export const isRecipe = (feed: unknown): feed is InputRecipe => typeof feed === 'object' && feed !== null && 'recipe' in feed;

/** Only the pixels travel, not the rest of a decoded image. */
const pixelsOf = ({ rgb, rgbWidth, rgbHeight }: WorkingPixels): WorkingPixels => ({ rgb, rgbWidth, rgbHeight });

export const wholeOf = (images: WorkingPixels[], input: ImageInput, views: InputView[] = [PLAIN_VIEW]): InputRecipe => ({
  recipe: 'whole',
  images: images.map(pixelsOf),
  input,
  views,
});

export const letterboxOf = (image: WorkingPixels, input: ImageInput): InputRecipe => ({
  recipe: 'letterbox',
  images: [pixelsOf(image)],
  input,
});

/** Whole-image recipes of several requests as one batch, in order. */
export function joinWhole(recipes: InputRecipe[]): InputRecipe {
  if (recipes.length === 1) return recipes[0];
  const [first] = recipes;
  if (first.recipe === 'letterbox' || recipes.some((r) => r.recipe !== first.recipe))
    throw new Error(`cannot batch ${recipes.map((r) => r.recipe).join(', ')} recipes`);
  return { ...first, images: recipes.flatMap((r) => r.images) };
}

/** The tensor a recipe describes. */
export async function materialize(recipe: InputRecipe): Promise<ort.Tensor> {
  const { input } = recipe;
  if (recipe.recipe === 'whole') return prepareWholeBatch(recipe.images, input, recipe.views);
  const { tensor } = await prepareInput(recipe.images[0], input);
  return new ort.Tensor('float32', tensor, [1, 3, input.height, input.width]);
}

/** Every image whole, once per view, prepared for the model as one NCHW batch sampled straight into place. */
async function prepareWholeBatch(images: WorkingPixels[], input: ImageInput, views: InputView[]): Promise<ort.Tensor> {
  const size = 3 * input.width * input.height;
  const count = images.length * views.length;
  const batch = new Float32Array(size * count);
  let item = 0;
  for (const image of images) {
    for (const view of views) {
      await prepareInput(image, input, wholeImage(image), batch.subarray(item * size, (item + 1) * size), view);
      item += 1;
    }
  }
  return new ort.Tensor('float32', batch, [count, 3, input.height, input.width]);
}
