import sharp from 'sharp';
import { ApiError, invalidArgument } from '../api/errors';
import { isSrgbProfile } from './iccProfile';

// IMM's documented limits for DetectImageLabels.
export const IMAGE_LIMITS = { maxBytes: 20 * 1024 * 1024, maxSide: 30_000, maxPixels: 250_000_000 } as const;
export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff'] as const;
export type ImageFormat = (typeof SUPPORTED_FORMATS)[number];

/**
 * Models see at most this many pixels on the long side: every input they take is smaller, and
 * decoding once to this size (JPEG shrink-on-load) is what keeps big photos cheap.
 */
export const WORKING_SIDE = 640;

/** The pixels the models see: sRGB, 3 channels, no alpha, orientation applied, long side at most WORKING_SIDE. */
export interface WorkingPixels {
  /** In shared memory: the models' threads read it without a copy. */
  rgb: Uint8Array;
  rgbWidth: number;
  rgbHeight: number;
}

export interface DecodedImage extends WorkingPixels {
  /** The stored image as the user sees it (after EXIF orientation). */
  width: number;
  height: number;
  format: ImageFormat;
  bytes: number;
}

/** A copy in shared memory, which every inference thread can read. */
function shared(pixels: Buffer): Uint8Array {
  const copy = new Uint8Array(new SharedArrayBuffer(pixels.length));
  copy.set(pixels);
  return copy;
}

/** Whether the bytes start like one of the supported formats, to tell "corrupt" from "not an image". */
function looksLikeSupportedImage(data: Buffer): boolean {
  const ascii = data.subarray(0, 12).toString('latin1');
  return (
    (data[0] === 0xff && data[1] === 0xd8) ||
    ascii.startsWith('\x89PNG') ||
    ascii.startsWith('GIF8') ||
    (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') ||
    ascii.startsWith('II*\0') ||
    ascii.startsWith('MM\0*')
  );
}

const corrupt = () => invalidArgument('The image is corrupt or truncated and cannot be decoded.', 'image');

const limitExceeded = (message: string) => new ApiError('LimitExceeded', message);

/**
 * Validates and decodes an image. Header checks run before any pixel is decoded, so oversized
 * images and decompression bombs are refused cheaply. Decoding runs on libuv's thread pool
 * (sharp), off the event loop.
 */
export async function decodeImage(data: Buffer, limits = IMAGE_LIMITS): Promise<DecodedImage> {
  if (data.length === 0) throw invalidArgument('The image is empty (0 bytes).', 'image');
  if (data.length > limits.maxBytes) {
    throw limitExceeded(`The image is ${data.length} bytes; at most ${limits.maxBytes} bytes (20 MB) are accepted.`);
  }

  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    if (looksLikeSupportedImage(data)) throw corrupt();
    throw invalidArgument('The data is not an image in a supported format (JPEG, PNG, WebP, GIF, TIFF).', 'image');
  }
  const format = metadata.format as ImageFormat;
  if (!SUPPORTED_FORMATS.includes(format)) {
    throw invalidArgument(`Images in ${metadata.format ?? 'this'} format are not supported; use JPEG, PNG, WebP, GIF or TIFF.`, 'image');
  }
  const { width = 0, height = 0 } = metadata;
  if (width < 1 || height < 1) throw invalidArgument('The image has no pixels.', 'image');
  if (width > limits.maxSide || height > limits.maxSide) {
    throw limitExceeded(`The image is ${width}×${height} pixels; each side may be at most ${limits.maxSide}.`);
  }
  if (width * height > limits.maxPixels) {
    throw limitExceeded(`The image has ${width * height} pixels; at most ${limits.maxPixels} (250 megapixels) are accepted.`);
  }
  // EXIF orientations 5-8 swap the sides.
  const swapped = (metadata.orientation ?? 1) >= 5;

  try {
    // An sRGB profile needs no conversion (see iccProfile.ts); any other is converted to sRGB.
    const ignoreIcc = isSrgbProfile(metadata.icc);
    const { data: rgb, info } = await sharp(data, { limitInputPixels: limits.maxPixels, failOn: 'warning', pages: 1, ignoreIcc })
      .rotate()
      .resize({ width: WORKING_SIDE, height: WORKING_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .flatten({ background: { r: 255, g: 255, b: 255 } })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return {
      width: swapped ? height : width,
      height: swapped ? width : height,
      format,
      bytes: data.length,
      rgb: shared(rgb),
      rgbWidth: info.width,
      rgbHeight: info.height,
    };
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw corrupt();
  }
}
