import { invalidArgument, missingParameter } from '../api/errors';

export const MAX_URI_LENGTH = 2048;
// S3 and OSS bucket naming rules, which agree on this much.
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export type SourceUri =
  | { kind: 'object'; scheme: 'oss' | 's3'; bucket: string; key: string; uri: string }
  | { kind: 'file'; path: string; uri: string }
  | { kind: 'https'; url: URL; uri: string };

// What a path segment escapes to read back as itself: "%" (an escape), "?" and "#" (a query, a
// fragment), "\" (a separator in file URLs) and control characters. Nothing else: a space or 猫
// stays as it is, as people write it.
const ESCAPED = /[%?#\\\u0000-\u001f\u007f]/g;
const segmentOf = (text: string) => text.replace(ESCAPED, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/**
 * An object's sourceURI in the one spelling every path to it is stored under (a request, a task's
 * listing, an upload): the key decoded, then only what must be escaped escaped, so "猫.jpg",
 * "%E7%8C%AB.jpg" and "%e7%8c%ab.jpg" are one image.
 */
export const objectUri = (scheme: 'oss' | 's3', bucket: string, key: string) =>
  `${scheme}://${bucket}/${key.split('/').map(segmentOf).join('/')}`;

/** A file's sourceURI in its one stored spelling (as objectUri). */
export const fileUri = (path: string) => `file://${path.split('/').map(segmentOf).join('/')}`;

/** %-decoding that answers InvalidArgument for a malformed escape (decodeURIComponent throws URIError). */
function decoded(text: string, field: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidArgument(`${field} contains a malformed %-escape.`, field);
  }
}

/**
 * The sourceURI is an image's identity as written, so a spelling the URL parser would quietly
 * rewrite into another image's URI is refused rather than stored beside it: a scheme not written
 * in lower case with "//", a file URI with a host (file://localhost/), a query or fragment, and
 * "." or ".." segments (and, in a file path, empty ones: a//b).
 */
function checkWrittenPlainly(uri: string, url: URL, field: string): void {
  const fix = (what: string) => invalidArgument(`${field} ${what} (it would name the same image as another spelling).`, field);
  if (!uri.startsWith(`${url.protocol}//`)) throw fix(`must begin with "${url.protocol}//" in lower case`);
  if (url.search || url.hash || /[?#]/.test(uri)) throw fix('must not carry a query or fragment ("?", "#": write them as %3F, %23)');
  const file = url.protocol === 'file:';
  if (file && !uri.startsWith('file:///')) throw fix('must be written file:///path, with no host');
  const path = uri.slice(uri.indexOf('/', url.protocol.length + 2) + 1);
  const segments = path.split('/').map((segment) => segment.replace(/%2e/gi, '.'));
  if (segments.some((segment) => segment === '.' || segment === '..')) throw fix('must not contain "." or ".." path segments');
  if (file && segments.slice(0, -1).some((segment) => segment === '')) throw fix('must not contain empty path segments ("//")');
}

/** Parses and checks a sourceURI: oss://bucket/key, s3://bucket/key, file:///path or https://… */
export function parseSourceUri(
  uri: string | null | undefined,
  field = 'sourceURI',
  /** A URI stored before spellings were checked: read as it was then, so its image stays served. */
  stored = false,
): SourceUri {
  if (uri === undefined || uri === null || uri === '') throw missingParameter(field);
  if (uri.length > MAX_URI_LENGTH) throw invalidArgument(`${field} must be at most ${MAX_URI_LENGTH} characters.`, field);
  if (/[\u0000-\u001f\u007f]/.test(uri)) throw invalidArgument(`${field} contains control characters.`, field);
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalidArgument(`${field} is not a URI (expected oss://bucket/key, s3://bucket/key, file:///path or https://…).`, field);
  }
  if (!stored && (url.protocol === 'oss:' || url.protocol === 's3:' || url.protocol === 'file:')) checkWrittenPlainly(uri, url, field);
  switch (url.protocol) {
    case 'oss:':
    case 's3:': {
      const bucket = url.hostname;
      const key = decoded(url.pathname.replace(/^\//, ''), field);
      if (!BUCKET_NAME.test(bucket)) throw invalidArgument(`${field}: "${bucket}" is not a valid bucket name.`, field);
      if (!key || key.endsWith('/')) throw invalidArgument(`${field} must name an object, not a bucket or folder.`, field);
      const scheme = url.protocol === 'oss:' ? 'oss' : 's3';
      return { kind: 'object', scheme, bucket, key, uri: stored ? uri : objectUri(scheme, bucket, key) };
    }
    case 'file:': {
      if (url.hostname && url.hostname !== 'localhost') throw invalidArgument(`${field}: file URIs must not name a host.`, field);
      const path = decoded(url.pathname, field);
      if (!path.startsWith('/') || path.endsWith('/')) throw invalidArgument(`${field} must name a file by its absolute path.`, field);
      return { kind: 'file', path, uri: stored ? uri : fileUri(path) };
    }
    case 'https:':
      if (url.username || url.password) throw invalidArgument(`${field} must not carry credentials.`, field);
      return { kind: 'https', url, uri };
    default:
      throw invalidArgument(
        `${field}: the ${url.protocol.replace(':', '')} scheme is not supported (use oss://, s3://, file:// or https://).`,
        field,
      );
  }
}
