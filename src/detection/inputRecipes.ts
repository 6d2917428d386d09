import type { WorkingPixels } from './imageDecoder';
import * as ort from 'onnxruntime-node';
import type { ImageInput } from './packs/manifest';
import { prepareInput, wholeImage } from './preprocess';
import { prepareViews } from './views';

/**
 * A model input described rather than computed: which images, and how to make them a tensor. The
 * model's inference thread computes it, so the sampling (about 11 ms of an image's work here) runs
 * off the event loop and beside the other model's, and the pixels cross in shared memory.
 */
export type InputRecipe =
  /** The six CentricScore views of each image, one NCHW batch. */
  | { recipe: 'views'; images: WorkingPixels[]; input: ImageInput }
  /** Each image whole, once, one NCHW batch. */
  | { recipe: 'whole'; images: WorkingPixels[]; input: ImageInput }
  /** One image letterboxed into the input, a batch of one. */
  | { recipe: 'letterbox'; images: [WorkingPixels]; input: ImageInput };

export const isRecipe = (feed: unknown): feed is InputRecipe => typeof feed === 'object' && feed !== null && 'recipe' in feed;

/** Only the pixels travel, not the rest of a decoded image. */
const pixelsOf = ({ rgb, rgbWidth, rgbHeight }: WorkingPixels): WorkingPixels => ({ rgb, rgbWidth, rgbHeight });

export const viewsOf = (images: WorkingPixels[], input: ImageInput): InputRecipe => ({ recipe: 'views', images: images.map(pixelsOf), input });

export const wholeOf = (images: WorkingPixels[], input: ImageInput): InputRecipe => ({ recipe: 'whole', images: images.map(pixelsOf), input });

export const letterboxOf = (image: WorkingPixels, input: ImageInput): InputRecipe => ({ recipe: 'letterbox', images: [pixelsOf(image)], input });

/** Views (or whole-image) recipes of several requests as one batch, in order. */
export function joinViews(recipes: InputRecipe[]): InputRecipe {
  if (recipes.length === 1) return recipes[0];
  const [first] = recipes;
  if (first.recipe === 'letterbox' || recipes.some((r) => r.recipe !== first.recipe)) throw new Error(`cannot batch ${recipes.map((r) => r.recipe).join(', ')} recipes`);
  return { recipe: first.recipe, images: recipes.flatMap((r) => r.images), input: first.input };
}

/** The tensor a recipe describes. */
export async function materialize(recipe: InputRecipe): Promise<ort.Tensor> {
  const { input } = recipe;
  if (recipe.recipe === 'views') return prepareViews(recipe.images, input);
  if (recipe.recipe === 'whole') return prepareViews(recipe.images, input, (image) => [wholeImage(image)]);
  const { tensor } = await prepareInput(recipe.images[0], input);
  return new ort.Tensor('float32', tensor, [1, 3, input.height, input.width]);
}
