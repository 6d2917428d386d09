import { isAbsolute, normalize } from 'node:path';
import { invalidArgument } from '../api/errors';
import { isWithin, PROFILE_NAME, SourceGrant, StorageProfileGrant } from '../storage/sourceGrant';
import { BUCKET_NAME } from '../storage/sourceUri';
import { fileUri, objectUri, parseSourcePrefix } from '../storage/sourcePrefix';

/** A project's sources as createProject / updateProject name them; left-out lists are empty. */
export interface ProjectSourcesRequest {
  storageProfiles?: { profile?: string | null; buckets?: string[] | null }[] | null;
  fileRoots?: string[] | null;
  https?: boolean | null;
  uploadTo?: string | null;
}

export const SOURCES_LIMITS = { profiles: 32, bucketsPerProfile: 100, fileRoots: 32 } as const;

function checkCount(list: unknown[], max: number, field: string): void {
  if (list.length > max) throw invalidArgument(`${field} may list at most ${max} entries (got ${list.length}).`, field);
}

// Profile and bucket names are checked for form only: saying which exist would let a key that
// manages one project learn the server's profiles.
function checkProfile(entry: { profile?: string | null; buckets?: string[] | null }, i: number): StorageProfileGrant {
  const field = `sources.storageProfiles[${i}]`;
  if (!entry.profile || !PROFILE_NAME.test(entry.profile))
    throw invalidArgument(`${field}.profile must be 1-64 letters, digits, ".", "_" or "-".`, `${field}.profile`);
  if (entry.buckets === undefined || entry.buckets === null) return { profile: entry.profile, buckets: null };
  checkCount(entry.buckets, SOURCES_LIMITS.bucketsPerProfile, `${field}.buckets`);
  entry.buckets.forEach((bucket, j) => {
    if (!BUCKET_NAME.test(bucket)) throw invalidArgument(`${field}.buckets[${j}] is not a valid bucket name.`, `${field}.buckets`);
  });
  return { profile: entry.profile, buckets: [...new Set(entry.buckets)].sort() };
}

/** A folder given lexically inside a server root: no file system access, so nothing is learnt about what exists. */
function checkFileRoot(root: string, i: number, serverRoots: string[]): string {
  const field = `sources.fileRoots[${i}]`;
  const trimmed = root.length > 1 ? root.replace(/\/+$/, '') : root;
  const wellFormed = isAbsolute(trimmed) && normalize(trimmed) === trimmed && !/[\u0000-\u001f]/.test(trimmed);
  if (!wellFormed || !serverRoots.some((server) => isWithin(trimmed, server))) {
    throw invalidArgument(`${field} must be an absolute folder (no "." or ".." segments) inside one of the server's FILE_ROOTS.`, field);
  }
  return trimmed;
}

/**
 * Checks the sources a project is given, before anything is written. Every file root must lie in
 * a server root (`serverRoots`, FILE_ROOTS as configured, without trailing slashes).
 */
export function checkProjectSources(request: ProjectSourcesRequest, serverRoots: string[]): SourceGrant {
  const profiles = request.storageProfiles ?? [];
  const roots = request.fileRoots ?? [];
  checkCount(profiles, SOURCES_LIMITS.profiles, 'sources.storageProfiles');
  checkCount(roots, SOURCES_LIMITS.fileRoots, 'sources.fileRoots');
  const storageProfiles = profiles.map(checkProfile);
  if (new Set(storageProfiles.map((p) => p.profile)).size !== storageProfiles.length) {
    throw invalidArgument('sources.storageProfiles names a profile twice; list its buckets once.', 'sources.storageProfiles');
  }
  const fileRoots = [...new Set(roots.map((root, i) => checkFileRoot(root, i, serverRoots)))];
  const grant: SourceGrant = { allServerSources: false, storageProfiles, fileRoots, https: request.https ?? false };
  return { ...grant, uploadTo: checkUploadTo(request.uploadTo, grant) };
}

/**
 * The folder uploads go to, as a URI ending in "/": a bucket prefix one of the project's storage
 * profiles lists, or a folder inside one of its file roots, so that the project reads its uploads
 * back (thumbnails, detecting again, tasks) like any other image.
 */
function checkUploadTo(uri: string | null | undefined, grant: SourceGrant): string | null {
  if (uri === undefined || uri === null || uri === '') return null;
  const field = 'sources.uploadTo';
  const folder = parseSourcePrefix(uri, field);
  const inside =
    folder.kind === 'object'
      ? grant.storageProfiles.some((entry) => entry.buckets === null || entry.buckets.includes(folder.bucket))
      : grant.fileRoots.some((root) => isWithin(folder.path, root));
  if (!inside) {
    throw invalidArgument(
      `${field} must lie inside the project's sources: a bucket its storageProfiles list, or a folder inside one of its fileRoots.`,
      field,
    );
  }
  if (folder.kind === 'file') return fileUri(folder.path === '/' ? '/' : `${folder.path}/`);
  const prefix = folder.key === '' || folder.key.endsWith('/') ? folder.key : `${folder.key}/`;
  return objectUri(folder.scheme, folder.bucket, prefix);
}
