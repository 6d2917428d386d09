import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AccessControl } from '../auth/accessControl';
import { ApiAction } from '../auth/actions';
import type { Principal } from '../auth/principal';
import { thumbnailVariant, type ImageDeliveryService, type ImageResponse } from '../delivery/imageDeliveryService';
import type { ImageVariant } from '../delivery/imageUrlSigner';
import type { ThumbnailFormat } from '../delivery/thumbnailRenderer';
import { checkThumbnailSize } from '../delivery/thumbnailSizes';
import { ApiError, invalidArgument } from '../api/errors';
import type { Logger } from '../logger';
import { isServiceOutage, SERVICE_UNAVAILABLE_MESSAGE } from '../serviceOutage';
import { authenticationMiddleware, clientBucketOf, type AuthenticationOptions } from './authentication';
import { sendRequestError } from './errorResponse';

export interface ImageRouteDeps {
  delivery: ImageDeliveryService;
  /** Requests per second per client address on signed URLs (RATE_LIMIT_IMAGE_QPS). */
  signedUrlQps: number;
  authentication: AuthenticationOptions;
  accessFor: (principal: Principal | null, client: string) => AccessControl;
  logger: Logger;
}

/** How long a browser may reuse what a key (not a signed URL) fetched before it revalidates. */
const KEYED_CACHE_CONTROL = 'private, no-cache';

function firstString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const imageIdOf = (req: Request): string => String(req.params.id);

/** WebP when the browser takes it (or ?format asks), else JPEG. */
function thumbnailFormat(req: Request): ThumbnailFormat {
  const asked = firstString(req.query.format);
  if (asked === 'webp' || asked === 'jpeg') return asked;
  if (asked !== undefined) throw invalidArgument('format must be webp or jpeg.', 'format');
  return (req.header('accept') ?? '').includes('image/webp') ? 'webp' : 'jpeg';
}

/**
 * GET /images/:id/original and /images/:id/thumbnail?size=256: an image of a project the caller
 * may read. Either the URL carries a signature the API issued (expires, sig: for <img> tags, which
 * send no header), or the request sends an API key allowed ReadImages on the image's project.
 */
export function imageRouter(deps: ImageRouteDeps): Router {
  const router = Router();
  const authenticate = authenticationMiddleware(deps.authentication);

  /**
   * A signed URL passes on its signature, within its client address's rate (it has no key whose
   * budget it could spend); anything else must present a key.
   */
  const authorize = (variantOf: (req: Request) => ImageVariant) => async (req: Request, res: Response, next: NextFunction) => {
    if (req.query.sig === undefined) return authenticate(req, res, next);
    try {
      deps.delivery.checkSignature(imageIdOf(req), variantOf(req), firstString(req.query.expires), firstString(req.query.sig));
      const wait = await deps.authentication.limiter.take(`images:${clientBucketOf(req.ip)}`, deps.signedUrlQps);
      if (wait) {
        res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
        throw new ApiError('Throttling', 'Too many image requests from this address.', { retryAfterMs: wait });
      }
      req.principal = null;
      req.signedUrl = true;
      next();
    } catch (error) {
      next(error);
    }
  };

  const requireKeyAccess = async (req: Request) => {
    if (req.signedUrl) return;
    const access = deps.accessFor(req.principal, req.ip ?? '');
    await access.chargeKey(1);
    await access.requireImage(ApiAction.ReadImages, imageIdOf(req));
  };

  /** Headers, then 304 when the browser's copy is current, else the bytes. */
  const send = async (req: Request, res: Response, image: ImageResponse, body: () => Promise<Buffer>) => {
    const cached = (req.header('if-none-match') ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    const fresh = cached.includes(image.etag);
    // The bytes come before any header: when making them fails (the source gone or no longer an
    // image), the error answer must not go out as a cacheable image with this image's ETag.
    const bytes = fresh ? null : await body();
    res.setHeader('etag', image.etag);
    res.setHeader('vary', 'Accept, Authorization');
    // A signed URL names one image and variant until it expires: it may be kept that long.
    const expires = Number(firstString(req.query.expires));
    res.setHeader(
      'cache-control',
      req.signedUrl ? `private, max-age=${Math.max(0, Math.floor(expires - Date.now() / 1000))}` : KEYED_CACHE_CONTROL,
    );
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    if (bytes === null) return void res.status(304).end();
    res.type(image.contentType).send(bytes);
  };

  router.get(
    '/images/:id/thumbnail',
    authorize((req) => thumbnailVariant(checkThumbnailSize(firstString(req.query.size)))),
    async (req, res, next) => {
      try {
        await requireKeyAccess(req);
        const size = checkThumbnailSize(firstString(req.query.size));
        const thumbnail = await deps.delivery.thumbnail(imageIdOf(req), size, thumbnailFormat(req));
        await send(req, res, thumbnail, thumbnail.body);
      } catch (error) {
        next(error);
      }
    },
  );

  router.get(
    '/images/:id/original',
    authorize(() => 'original'),
    async (req, res, next) => {
      try {
        await requireKeyAccess(req);
        const original = await deps.delivery.original(imageIdOf(req));
        await send(req, res, original, async () => original.body);
      } catch (error) {
        next(error);
      }
    },
  );

  // Errors answer in the API's shape (an IMM code and the request id); only unexpected ones are logged.
  router.use('/images', (error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof ApiError) return sendRequestError(res, req.requestId, error.code, error.message, error.details);
    if (isServiceOutage(error)) return sendRequestError(res, req.requestId, 'ServiceUnavailable', SERVICE_UNAVAILABLE_MESSAGE);
    deps.logger.error({ err: error, requestId: req.requestId }, 'image request failed');
    sendRequestError(res, req.requestId, 'InternalError', 'An internal error occurred. Quote the request id when reporting it.');
  });

  return router;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Authorised by a signed image URL rather than by a key. */
    signedUrl?: boolean;
  }
}
