import type { WorkingPixels } from './imageDecoder';
import * as ort from 'onnxruntime-node';
import type { ImageInput } from './packs/manifest';
import { prepareInput, wholeImage } from './preprocess';

/**
 * A model input described rather than computed: which images, and how to make them a tensor. The
 * model's inference thread computes it, so the sampling (about 11 ms of an image's work here) runs
 * off the event loop and beside the other model's, and the pixels cross in shared memory.
 */
export type InputRecipe =
  /** Each image whole, once, one NCHW batch. */
  | { recipe: 'whole'; images: WorkingPixels[]; input: ImageInput }
  /** One image letterboxed into the input, a batch of one. */
  | { recipe: 'letterbox'; images: [WorkingPixels]; input: ImageInput };

export const isRecipe = (feed: unknown): feed is InputRecipe => typeof feed === 'object' && feed !== null && 'recipe' in feed;

/** Only the pixels travel, not the rest of a decoded image. */
const pixelsOf = ({ rgb, rgbWidth, rgbHeight }: WorkingPixels): WorkingPixels => ({ rgb, rgbWidth, rgbHeight });

export const wholeOf = (images: WorkingPixels[], input: ImageInput): InputRecipe => ({
  recipe: 'whole',
  images: images.map(pixelsOf),
  input,
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
  return { recipe: first.recipe, images: recipes.flatMap((r) => r.images), input: first.input };
}

/** The tensor a recipe describes. */
export async function materialize(recipe: InputRecipe): Promise<ort.Tensor> {
  const { input } = recipe;
  if (recipe.recipe === 'whole') return prepareWholeBatch(recipe.images, input);
  const { tensor } = await prepareInput(recipe.images[0], input);
  return new ort.Tensor('float32', tensor, [1, 3, input.height, input.width]);
}

/** Every image whole, prepared for the model, as one NCHW batch sampled straight into place. */
async function prepareWholeBatch(images: WorkingPixels[], input: ImageInput): Promise<ort.Tensor> {
  const size = 3 * input.width * input.height;
  const batch = new Float32Array(size * images.length);
  for (const [i, image] of images.entries()) await prepareInput(image, input, wholeImage(image), batch.subarray(i * size, (i + 1) * size));
  return new ort.Tensor('float32', batch, [images.length, 3, input.height, input.width]);
}
