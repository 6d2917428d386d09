import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api/errors';

/** What a signed URL serves: the original, or a thumbnail of one of the fixed sizes. */
export type ImageVariant = 'original' | `thumbnail-${number}`;

/** Every refusal of a signature reads the same, whether it was forged, altered or for another image. */
const badSignature = () =>
  new ApiError('AccessDenied', 'The image URL is not valid: its signature does not match (URLs are bound to one image and size).');
const expired = () =>
  new ApiError('AccessDenied', 'The image URL has expired: ask the API for a new one (StoredImage.url or thumbnailUrl).');

/**
 * Signs and checks short-lived image URLs: an HMAC-SHA256, under the server's secret, of the image
 * id, the variant and the expiry time, so a URL opens that one image at that size until then, and
 * nothing else. The image's project is checked again when it is served.
 */
export class ImageUrlSigner {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 32) throw new Error('The image URL secret must be at least 32 bytes.');
  }

  /** The signature of (image, variant) valid until `expiresAt` (seconds since the epoch). */
  sign(imageId: string, variant: ImageVariant, expiresAt: number): string {
    return createHmac('sha256', this.secret).update(`labelgate-image-url-v1\n${imageId}\n${variant}\n${expiresAt}`).digest('base64url');
  }

  /** Refuses (AccessDenied) a signature that is missing, altered, for another image or variant, or expired. */
  verify(imageId: string, variant: ImageVariant, expiresAt: string | undefined, signature: string | undefined, now = Date.now()): void {
    if (!expiresAt || !signature || !/^\d{1,12}$/.test(expiresAt)) throw badSignature();
    const expected = Buffer.from(this.sign(imageId, variant, Number(expiresAt)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badSignature();
    if (Number(expiresAt) * 1000 <= now) throw expired();
  }
}

/** IMAGE_URL_SECRET when set; else one derived from the admin key (so every process of a deployment agrees). */
export function imageUrlSecret(configured: string | undefined, adminKey: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8');
  return createHmac('sha256', adminKey).update('labelgate image URL secret').digest();
}
