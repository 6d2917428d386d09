import { ImageInput, InputView, PLAIN_VIEW } from './packs/manifest';
import type { WorkingPixels } from './imageDecoder';

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

interface Pixels {
  rgb: Uint8Array;
  width: number;
  height: number;
}

export const wholeImage = (image: WorkingPixels): Region => ({ left: 0, top: 0, width: image.rgbWidth, height: image.rgbHeight });

/**
 * The centre of a region, cropFraction of each side: squashing the region to width/cropFraction ×
 * height/cropFraction and cropping the centre width×height samples exactly this part of it.
 */
function centreFraction(region: Region, fraction: number): Region {
  const width = region.width * fraction;
  const height = region.height * fraction;
  return { left: region.left + (region.width - width) / 2, top: region.top + (region.height - height) / 2, width, height };
}

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

// Bilinear sampling aliases when it shrinks by more than about 2×; such views are sampled from a
// half-resolution copy (2×2 box filter), made once per image.
const halves = new WeakMap<WorkingPixels, Pixels>();

function halfResolution(image: WorkingPixels): Pixels {
  let half = halves.get(image);
  if (half) return half;
  const width = Math.max(1, image.rgbWidth >> 1);
  const height = Math.max(1, image.rgbHeight >> 1);
  const rgb = new Uint8Array(width * height * 3);
  const src = image.rgb;
  const stride = image.rgbWidth * 3;
  for (let y = 0; y < height; y += 1) {
    const row0 = 2 * y * stride;
    const row1 = Math.min(2 * y + 1, image.rgbHeight - 1) * stride;
    for (let x = 0; x < width; x += 1) {
      const a = 2 * x * 3;
      const b = Math.min(2 * x + 1, image.rgbWidth - 1) * 3;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c += 1) rgb[o + c] = (src[row0 + a + c] + src[row0 + b + c] + src[row1 + a + c] + src[row1 + b + c] + 2) >> 2;
    }
  }
  half = { rgb, width, height };
  halves.set(image, half);
  return half;
}

/**
 * Resamples a region (bilinear, pixel centres aligned) straight into a normalised CHW tensor:
 * one pass, no intermediate images. Pixels outside [0, outWidth)×[0, outHeight) get padValue.
 * Hot path: column offsets and weights are computed once per call, channels are unrolled. Mirrored:
 * output column x samples where column outWidth - 1 - x would.
 */
function sampleInto(
  source: Pixels,
  region: Region,
  outWidth: number,
  outHeight: number,
  input: ImageInput,
  tensor: Float32Array,
  mirror = false,
): void {
  const plane = input.width * input.height;
  const { rgb, width, height } = source;
  // Source byte offsets of the tensor's channels 0, 1, 2 within a pixel (BGR models read 2, 1, 0).
  const [s0, s1, s2] = input.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const m0 = 1 / (input.scale * input.std[0]);
  const m1 = 1 / (input.scale * input.std[1]);
  const m2 = 1 / (input.scale * input.std[2]);
  const a0 = -input.mean[0] / input.std[0];
  const a1 = -input.mean[1] / input.std[1];
  const a2 = -input.mean[2] / input.std[2];

  const scaleX = region.width / outWidth;
  const scaleY = region.height / outHeight;
  const x0s = new Int32Array(outWidth);
  const x1s = new Int32Array(outWidth);
  const fxs = new Float32Array(outWidth);
  for (let x = 0; x < outWidth; x += 1) {
    const column = mirror ? outWidth - 1 - x : x;
    const sx = Math.min(width - 1, Math.max(0, region.left + (column + 0.5) * scaleX - 0.5));
    const x0 = Math.floor(sx);
    x0s[x] = x0 * 3;
    x1s[x] = Math.min(width - 1, x0 + 1) * 3;
    fxs[x] = sx - x0;
  }

  for (let y = 0; y < input.height; y += 1) {
    const rowOut = y * input.width;
    if (y >= outHeight) {
      tensor.fill(input.padValue * m0 + a0, rowOut, rowOut + input.width);
      tensor.fill(input.padValue * m1 + a1, plane + rowOut, plane + rowOut + input.width);
      tensor.fill(input.padValue * m2 + a2, 2 * plane + rowOut, 2 * plane + rowOut + input.width);
      continue;
    }
    const sy = Math.min(height - 1, Math.max(0, region.top + (y + 0.5) * scaleY - 0.5));
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const r0 = y0 * width * 3;
    const r1 = Math.min(height - 1, y0 + 1) * width * 3;
    for (let x = 0; x < outWidth; x += 1) {
      const fx = fxs[x];
      const i00 = r0 + x0s[x];
      const i01 = r0 + x1s[x];
      const i10 = r1 + x0s[x];
      const i11 = r1 + x1s[x];
      const o = rowOut + x;
      let top = rgb[i00 + s0] + (rgb[i01 + s0] - rgb[i00 + s0]) * fx;
      let bottom = rgb[i10 + s0] + (rgb[i11 + s0] - rgb[i10 + s0]) * fx;
      tensor[o] = (top + (bottom - top) * fy) * m0 + a0;
      top = rgb[i00 + s1] + (rgb[i01 + s1] - rgb[i00 + s1]) * fx;
      bottom = rgb[i10 + s1] + (rgb[i11 + s1] - rgb[i10 + s1]) * fx;
      tensor[plane + o] = (top + (bottom - top) * fy) * m1 + a1;
      top = rgb[i00 + s2] + (rgb[i01 + s2] - rgb[i00 + s2]) * fx;
      bottom = rgb[i10 + s2] + (rgb[i11 + s2] - rgb[i10 + s2]) * fx;
      tensor[2 * plane + o] = (top + (bottom - top) * fy) * m2 + a2;
    }
    if (outWidth < input.width) {
      tensor.fill(input.padValue * m0 + a0, rowOut + outWidth, rowOut + input.width);
      tensor.fill(input.padValue * m1 + a1, plane + rowOut + outWidth, plane + rowOut + input.width);
      tensor.fill(input.padValue * m2 + a2, 2 * plane + rowOut + outWidth, 2 * plane + rowOut + input.width);
    }
  }
}

/** Picks full or half resolution so that bilinear never shrinks by more than 2×. */
function sourceFor(image: WorkingPixels, region: Region, outWidth: number, outHeight: number): [Pixels, Region] {
  const shrink = Math.min(region.width / outWidth, region.height / outHeight);
  if (shrink <= 2 || image.rgbWidth < 2 || image.rgbHeight < 2)
    return [{ rgb: image.rgb, width: image.rgbWidth, height: image.rgbHeight }, region];
  return [halfResolution(image), { left: region.left / 2, top: region.top / 2, width: region.width / 2, height: region.height / 2 }];
}

/** Model pixels per image pixel when a region is letterboxed into the input. */
export const letterboxScale = (region: Region, input: ImageInput): number =>
  Math.min(input.width / region.width, input.height / region.height);

/**
 * Crops, resizes and normalises (part of) a decoded image as a model expects it, into `tensor` when
 * given; centre-crop and squash inputs take a view (mirrored, another crop fraction).
 */
export async function prepareInput(
  image: WorkingPixels,
  input: ImageInput,
  region: Region = wholeImage(image),
  tensor = new Float32Array(3 * input.width * input.height),
  view: InputView = PLAIN_VIEW,
): Promise<ModelInput> {
  if (input.resize === 'centre-crop' || input.resize === 'squash') {
    const fraction = view.cropFraction ?? input.cropFraction;
    const crop = input.resize === 'centre-crop' ? centreSquare(region, fraction) : centreFraction(region, fraction);
    sampleInto(...sourceFor(image, crop, input.width, input.height), input.width, input.height, input, tensor, view.mirror);
    return { tensor, scale: input.width / crop.width };
  }
  const scale = letterboxScale(region, input);
  const width = Math.max(1, Math.min(input.width, Math.round(region.width * scale)));
  const height = Math.max(1, Math.min(input.height, Math.round(region.height * scale)));
  sampleInto(...sourceFor(image, region, width, height), width, height, input, tensor);
  return { tensor, scale };
}
