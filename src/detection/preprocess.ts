import sharp from 'sharp';
import type { ImageInput } from './packs/manifest';
import type { DecodedImage } from './imageDecoder';

/** A rectangle in the decoded image's pixel coordinates. */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ModelInput {
  /** CHW float32, ready to be one item of an NCHW batch. */
  tensor: Float32Array;
  /** Model pixels per decoded-image pixel (letterbox), to map boxes back. */
  scale: number;
}

export const wholeImage = (image: DecodedImage): Region => ({ left: 0, top: 0, width: image.rgbWidth, height: image.rgbHeight });

/** The centre square of a region, cropFraction of its shorter side (ImageNet's 224-of-256). */
function centreSquare(region: Region, fraction: number): Region {
  const side = Math.max(1, Math.round(Math.min(region.width, region.height) * fraction));
  return {
    left: region.left + Math.floor((region.width - side) / 2),
    top: region.top + Math.floor((region.height - side) / 2),
    width: side,
    height: side,
  };
}

function toTensor(rgb: Buffer, input: ImageInput): Float32Array {
  const plane = input.width * input.height;
  const tensor = new Float32Array(3 * plane);
  const order = input.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c += 1) {
    const source = order[c];
    const mean = input.mean[c];
    const std = input.std[c];
    const offset = c * plane;
    for (let i = 0; i < plane; i += 1) {
      tensor[offset + i] = (rgb[i * 3 + source] / input.scale - mean) / std;
    }
  }
  return tensor;
}

/** Crops, resizes and normalises (part of) a decoded image as a model expects it. */
export async function prepareInput(image: DecodedImage, input: ImageInput, region: Region = wholeImage(image)): Promise<ModelInput> {
  const source = sharp(image.rgb, { raw: { width: image.rgbWidth, height: image.rgbHeight, channels: 3 } });
  if (input.resize === 'centre-crop') {
    const crop = centreSquare(region, input.cropFraction);
    const rgb = await source.extract(crop).resize(input.width, input.height, { fit: 'fill' }).raw().toBuffer();
    return { tensor: toTensor(rgb, input), scale: input.width / crop.width };
  }
  const scale = Math.min(input.width / region.width, input.height / region.height);
  const width = Math.max(1, Math.min(input.width, Math.round(region.width * scale)));
  const height = Math.max(1, Math.min(input.height, Math.round(region.height * scale)));
  const pad = { r: input.padValue, g: input.padValue, b: input.padValue };
  const rgb = await source
    .extract(region)
    .resize(width, height, { fit: 'fill' })
    .extend({ right: input.width - width, bottom: input.height - height, background: pad })
    .raw()
    .toBuffer();
  return { tensor: toTensor(rgb, input), scale };
}

/** Stacks CHW tensors into one NCHW batch. */
export function stack(tensors: Float32Array[]): Float32Array {
  const size = tensors[0]?.length ?? 0;
  const batch = new Float32Array(size * tensors.length);
  tensors.forEach((tensor, i) => batch.set(tensor, i * size));
  return batch;
}
