import type { NextFunction, Request, Response } from 'express';
import { processRequest, Upload } from 'graphql-upload-minimal';
import type { ErrorCode } from '../api/errors';
import { sendRequestError } from './errorResponse';

/** Apollo's CSRF prevention headers: a page on another site cannot send them without a CORS preflight. */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'];

// Room for the multipart framing and part headers around the operations, the map and the file.
const FRAMING_BYTES = 64 * 1024;

export interface UploadLimits {
  /** The largest file (ImageSources.maxBytes: the same as every other source). */
  maxFileBytes: number;
  /** The largest operations or map field (MAX_BODY_BYTES, as for a JSON body). */
  maxFieldBytes: number;
}

/** The Upload placeholders graphql-upload-minimal put into the operation's variables. */
function uploadsIn(value: unknown, found: Upload[] = []): Upload[] {
  if (value instanceof Upload) found.push(value);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) uploadsIn(item, found);
  return found;
}

/**
 * GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec): one
 * file, as an `Upload` variable, which the resolver reads as it arrives. Before any of the body is
 * read, it refuses a request without an API key, one without Apollo's CSRF prevention header
 * (multipart/form-data is a "simple" content type a foreign page's form may send), and one whose
 * declared length exceeds what it may carry. Other requests pass through untouched.
 */
export function uploadMiddleware(limits: UploadLimits) {
  const refuse = (req: Request, res: Response, code: ErrorCode, message: string) => sendRequestError(res, req.requestId, code, message);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('multipart/form-data')) return next();
    if (!PREFLIGHT_HEADERS.some((name) => req.header(name)?.trim())) {
      return refuse(
        req,
        res,
        'InvalidArgument',
        'A multipart request (a file upload) must carry an Apollo-Require-Preflight header (any value, e.g. "true") or X-Apollo-Operation-Name: this is how the server tells it from a cross-site form (CSRF).',
      );
    }
    if (!req.principal) return refuse(req, res, 'InvalidAccessKeyId', 'A file upload needs an API key: send Authorization: Bearer <key>.');
    if (Number(req.header('content-length')) > limits.maxFileBytes + 2 * limits.maxFieldBytes + FRAMING_BYTES) {
      return refuse(
        req,
        res,
        'LimitExceeded',
        `The request is larger than this server accepts: a file may hold at most ${limits.maxFileBytes} bytes (20 MB).`,
      );
    }
    processRequest(req, res, { maxFieldSize: limits.maxFieldBytes, maxFileSize: limits.maxFileBytes + 1, maxFiles: 1 }).then(
      (operations) => {
        req.body = operations;
        // A file no resolver reads (its operation failed before, or never named it) would hold the
        // request open: once the answer is out, the rest of the body is read and dropped.
        res.once('finish', () => {
          for (const upload of uploadsIn(operations)) {
            upload.promise.then(
              (file) => {
                try {
                  file.createReadStream().resume();
                } catch {
                  // Taken by a resolver, which drains it itself.
                }
              },
              () => undefined,
            );
          }
        });
        next();
      },
      (error: { status?: number; message?: string }) => {
        // A request whose client went away has no one to answer. Not req.destroyed: Node destroys a
        // request once its whole body is read, and a malformed form is often read to its end.
        if (res.headersSent || res.destroyed || req.socket.destroyed) return;
        if (error.status === 413)
          refuse(req, res, 'LimitExceeded', `${error.message} A request may carry one file of at most ${limits.maxFileBytes} bytes.`);
        else
          refuse(
            req,
            res,
            'InvalidArgument',
            `The multipart request is malformed (${error.message ?? 'it ended before it was complete'}): send the fields operations and map, then the file, as https://github.com/jaydenseric/graphql-multipart-request-spec describes.`,
          );
      },
    );
  };
}
