import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { ImageRepository, ImageSourceFacts } from '../persistence/imageRepository';
import type { ProjectDirectory } from '../projects/projectDirectory';
import type { AuthorizedSource, ImageSources } from '../storage/imageSources';
import { parseSourceUri } from '../storage/sourceUri';
import { ApiError } from '../api/errors';
import type { ImageUrlSigner, ImageVariant } from './imageUrlSigner';
import type { ThumbnailCache } from './thumbnailCache';
import { renderThumbnail, THUMBNAIL_TYPES, ThumbnailFormat } from './thumbnailRenderer';
import { checkThumbnailSize, checkUrlLifetime } from './thumbnailSizes';

/** An image as the API lists it: enough to sign its URLs. */
export interface ImageRef {
  id: string;
}

/** What the image route sends. */
export interface ImageResponse {
  contentType: string;
  /** A strong validator, quoted as the ETag header wants it. */
  etag: string;
}

const ORIGINAL_TYPES: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
};

const sourceNoLongerAnImage = () =>
  new ApiError('InvalidArgument', 'The source no longer holds an image of a supported format (it changed since it was labelled).');

/** The format sharp reads in an image's header, or null for bytes it does not take for an image. */
const formatOf = (bytes: Buffer): Promise<string | null> =>
  sharp(bytes)
    .metadata()
    .then(
      (metadata) => metadata.format ?? null,
      () => null,
    );

/** Signed URLs expire on a whole minute, so one image's URL stays the same for a while and browsers can cache it. */
const EXPIRY_STEP_SECONDS = 60;

export const thumbnailVariant = (size: number): ImageVariant => `thumbnail-${size}`;

/**
 * Image delivery: URLs for a stored image (a presigned GET for oss:// and s3:// originals; else a
 * short-lived signed URL of the gateway's image route), and the bytes that route serves: the
 * original, or a thumbnail from a bounded disk cache. Every read goes through the image's own
 * source, authorised against its project's sources as they are now (ImageSources.authorize), so a
 * URL never reaches a file the project may no longer read, nor anything but that image.
 */
export class ImageDeliveryService {
  constructor(
    private readonly images: ImageRepository,
    private readonly projects: ProjectDirectory,
    private readonly sources: ImageSources,
    private readonly signer: ImageUrlSigner,
    private readonly thumbnails: ThumbnailCache,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The image's own source, read as its detection read it, if its project may still read it (else
   * AccessDenied, with no detail).
   */
  private async authorize(image: ImageSourceFacts): Promise<AuthorizedSource> {
    const project = await this.projects.get(image.projectName);
    return this.sources.authorize(parseSourceUri(image.sourceUri, 'sourceURI', true), image.credentialConfig, project.sources);
  }

  private signedRoute(
    image: ImageRef,
    baseUrl: string,
    path: string,
    variant: ImageVariant,
    expiresInSeconds: number | null | undefined,
    query: Record<string, string> = {},
  ): string {
    const lifetime = checkUrlLifetime(expiresInSeconds);
    const expires = Math.ceil((this.now() / 1000 + lifetime) / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    const params = new URLSearchParams({ ...query, expires: String(expires), sig: this.signer.sign(image.id, variant, expires) });
    return `${baseUrl}/images/${image.id}/${path}?${params}`;
  }

  /**
   * The original's URL: presigned by the storage for oss:// and s3:// sources, else signed for the
   * gateway's route; null when the project may no longer read the image's source.
   */
  async originalUrl(image: ImageRef, baseUrl: string, expiresInSeconds?: number | null): Promise<string | null> {
    const lifetime = checkUrlLifetime(expiresInSeconds);
    let authorized: AuthorizedSource;
    try {
      authorized = await this.authorize(await this.images.sourceOf(image.id));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'AccessDenied') return null;
      throw error;
    }
    return (await this.sources.presignedUrl(authorized, lifetime)) ?? this.signedRoute(image, baseUrl, 'original', 'original', lifetime);
  }

  /** A signed URL of a thumbnail (the gateway renders those of every source). */
  thumbnailUrl(image: ImageRef, baseUrl: string, size?: number | null, expiresInSeconds?: number | null): string {
    const checked = checkThumbnailSize(size);
    return this.signedRoute(image, baseUrl, 'thumbnail', thumbnailVariant(checked), expiresInSeconds, { size: String(checked) });
  }

  /** Refuses (AccessDenied) a signed URL that is not valid for this image and variant now. */
  checkSignature(imageId: string, variant: ImageVariant, expires: string | undefined, signature: string | undefined): void {
    this.signer.verify(imageId, variant, expires, signature, this.now());
  }

  /** The original as its source holds it now; its ETag is the hash of those bytes. */
  async original(imageId: string): Promise<ImageResponse & { body: Buffer }> {
    const image = await this.images.sourceOf(imageId);
    const body = await this.sources.read(await this.authorize(image));
    const sha256 = createHash('sha256').update(body).digest('hex');
    // The source is served as it is now; when it changed since it was labelled, its type is read
    // from the bytes, not taken from the labelled image, and bytes that are no image are not served.
    const format = sha256 === image.sha256 ? image.format : await formatOf(body);
    const contentType = format ? ORIGINAL_TYPES[format] : undefined;
    if (!contentType) throw sourceNoLongerAnImage();
    return { contentType, etag: `"${sha256}"`, body };
  }

  /**
   * A thumbnail of the image as last detected: its ETag is known before any byte is read, so a
   * revalidation costs no read; `body` reads the cache, else the source (then renders and keeps it).
   */
  async thumbnail(imageId: string, size: number, format: ThumbnailFormat): Promise<ImageResponse & { body: () => Promise<Buffer> }> {
    const image = await this.images.sourceOf(imageId);
    const authorized = await this.authorize(image);
    const key = `${image.id}-${image.sha256.slice(0, 16)}-${size}.${format}`;
    return {
      contentType: THUMBNAIL_TYPES[format],
      etag: `"${key}"`,
      body: () => this.thumbnails.get(key, async () => renderThumbnail(await this.sources.read(authorized), size, format)),
    };
  }
}
