import { invalidArgument } from '../api/errors';

/** Thumbnail sizes (the longer side, in pixels): a fixed set, so a cache holds few variants of an image. */
export const THUMBNAIL_SIZES = [128, 256, 512, 1024] as const;
export const DEFAULT_THUMBNAIL_SIZE = 256;

/** Bounds of a URL's lifetime, in seconds: a minute to a day (presigned S3 URLs allow at most a week). */
export const URL_LIFETIME = { min: 60, max: 86_400, default: 900 } as const;

export function checkThumbnailSize(size: number | string | null | undefined): number {
  const value = size === undefined || size === null || size === '' ? DEFAULT_THUMBNAIL_SIZE : Number(size);
  if (!(THUMBNAIL_SIZES as readonly number[]).includes(value))
    throw invalidArgument(`size must be one of ${THUMBNAIL_SIZES.join(', ')}.`, 'size');
  return value;
}

export function checkUrlLifetime(seconds: number | null | undefined): number {
  const value = seconds ?? URL_LIFETIME.default;
  if (!Number.isInteger(value) || value < URL_LIFETIME.min || value > URL_LIFETIME.max) {
    throw invalidArgument(`expiresInSeconds must be a whole number from ${URL_LIFETIME.min} to ${URL_LIFETIME.max}.`, 'expiresInSeconds');
  }
  return value;
}
