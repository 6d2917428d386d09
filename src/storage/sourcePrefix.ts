import { invalidArgument, missingParameter } from '../api/errors';
import { checkFilePath } from './fileSource';
import { BUCKET_NAME, MAX_URI_LENGTH, SourceUri } from './sourceUri';

export { fileUri, objectUri } from './sourceUri';

/** Where a task finds its images: every object under a bucket prefix, or every file below a folder. */
export type SourcePrefix = Extract<SourceUri, { kind: 'object' }> | Extract<SourceUri, { kind: 'file' }>;

/**
 * Parses a task's source: oss://bucket/dir/, s3://bucket/dir/ (any key prefix, or none for the
 * whole bucket) or file:///dir/ (a folder under FILE_ROOTS). The result is shaped like a sourceURI
 * (the prefix as its key or path), so ImageSources.authorize decides on it as on one image.
 */
export function parseSourcePrefix(uri: string | null | undefined, field: string): SourcePrefix {
  if (uri === undefined || uri === null || uri === '') throw missingParameter(field);
  if (uri.length > MAX_URI_LENGTH) throw invalidArgument(`${field} must be at most ${MAX_URI_LENGTH} characters.`, field);
  if (/[\u0000-\u001f\u007f]/.test(uri)) throw invalidArgument(`${field} contains control characters.`, field);
  if (!URL.canParse(uri))
    throw invalidArgument(`${field} is not a URI (expected oss://bucket/prefix/, s3://bucket/prefix/ or file:///folder/).`, field);
  const url = new URL(uri);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    throw invalidArgument(`${field} contains a malformed %-escape.`, field);
  }
  switch (url.protocol) {
    case 'oss:':
    case 's3:': {
      if (!BUCKET_NAME.test(url.hostname)) throw invalidArgument(`${field}: "${url.hostname}" is not a valid bucket name.`, field);
      return { kind: 'object', scheme: url.protocol === 'oss:' ? 'oss' : 's3', bucket: url.hostname, key: path.replace(/^\//, ''), uri };
    }
    case 'file:': {
      if (url.hostname && url.hostname !== 'localhost') throw invalidArgument(`${field}: file URIs must not name a host.`, field);
      const folder = path.length > 1 ? path.replace(/\/+$/, '') : path;
      if (!folder.startsWith('/')) throw invalidArgument(`${field} must name a folder by its absolute path.`, field);
      try {
        checkFilePath(folder);
      } catch {
        throw invalidArgument(`${field} must not contain "." or ".." path segments.`, field);
      }
      return { kind: 'file', path: folder, uri };
    }
    default:
      throw invalidArgument(`${field} must be an oss://, s3:// or file:// folder (got ${url.protocol.replace(':', '')}://).`, field);
  }
}

// What the decoder reads (JPEG, PNG, WebP, GIF, TIFF): other files under a prefix are not images.
const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|tiff?)$/i;

/** Whether a key or file name looks like an image the detector reads. */
export const isImageName = (name: string) => IMAGE_EXTENSIONS.test(name);
