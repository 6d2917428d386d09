import sharp from 'sharp';
import { IMAGE_LIMITS } from '../detection/imageDecoder';
import { invalidArgument } from '../api/errors';

export type ThumbnailFormat = 'webp' | 'jpeg';

export const THUMBNAIL_TYPES: Record<ThumbnailFormat, string> = { webp: 'image/webp', jpeg: 'image/jpeg' };

/**
 * A thumbnail: EXIF orientation applied, the longer side at most `size` (never enlarged), in WebP
 * or JPEG. Decoding is bounded like detection's (IMAGE_LIMITS.maxPixels) and runs on sharp's threads.
 */
export async function renderThumbnail(bytes: Buffer, size: number, format: ThumbnailFormat): Promise<Buffer> {
  try {
    const pipeline = sharp(bytes, { limitInputPixels: IMAGE_LIMITS.maxPixels, pages: 1 })
      .rotate()
      .resize(size, size, { fit: 'inside', withoutEnlargement: true });
    return await (format === 'webp' ? pipeline.webp({ quality: 80 }) : pipeline.jpeg({ quality: 82, mozjpeg: true })).toBuffer();
  } catch {
    throw invalidArgument('The image cannot be decoded to make a thumbnail (its source may have changed since it was labelled).', 'image');
  }
}
