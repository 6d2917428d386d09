import type { Readable } from 'node:stream';
import { ApiError, invalidArgument, missingParameter } from '../api/errors';
import type { ImageFormat } from '../detection/imageDecoder';

/** A file sent with a request (the GraphQL multipart request spec), as the HTTP layer hands it over. */
export interface ImageUpload {
  filename: string;
  createReadStream(): Readable;
}

const EXTENSIONS: Record<ImageFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', tiff: 'tiff' };

/**
 * The name an upload is stored under: the SHA-256 of its bytes, with the extension of the format
 * it decoded as (never the sender's file name), so sending a photo again finds the same image.
 */
export const uploadNameOf = (image: { sha256: string; format: ImageFormat }) => `${image.sha256}.${EXTENSIONS[image.format]}`;

export const noUploadFolder = (project: string) =>
  invalidArgument(
    `Project "${project}" takes no uploads: give it a folder for them with updateProject(input: { name: "${project}", sources: { ...its sources, uploadTo: "s3://bucket/prefix/" or "file:///folder/" } }), inside its sources.`,
    'file',
  );

const tooLarge = (maxBytes: number) =>
  new ApiError('LimitExceeded', `The file is larger than ${maxBytes} bytes (20 MB); no more was read.`, { field: 'file' });

/**
 * The HTTP layer's refusal of a file (graphql-upload-minimal's errors carry an HTTP status) as
 * IMM's: a file the request's map names but never sent, or a request cut short.
 */
export function missingFileError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return (error as { status?: number }).status === 400
    ? missingParameter('file')
    : invalidArgument('The request ended before the file was complete.', 'file');
}

/** The HTTP layer's errors about a file, its size limit (HTTP 413) included, as IMM's. */
const uploadError = (error: unknown, maxBytes: number): ApiError =>
  (error as { status?: number }).status === 413 ? tooLarge(maxBytes) : missingFileError(error);

/** The stream of the file, taken at once, so that the caller can always drain it (see ImageService.detectUpload). */
export async function openUpload(upload: Promise<ImageUpload>, maxBytes: number): Promise<Readable> {
  try {
    return (await upload).createReadStream();
  } catch (error) {
    throw uploadError(error, maxBytes);
  }
}

/**
 * Reads an uploaded file, at most `maxBytes`: a larger one is refused as soon as its bytes pass the
 * limit, and what follows is discarded as it arrives, never kept.
 */
export function readUpload(stream: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const fail = (error: ApiError) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      chunks.length = 0;
      stream.resume();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) fail(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, length));
    // The parser stops a file at its own limit (just above maxBytes) and says so.
    stream.once('limit', () => fail(tooLarge(maxBytes)));
    stream.on('error', (error) => fail(uploadError(error, maxBytes)));
    stream.on('data', onData);
    stream.once('end', onEnd);
  });
}
