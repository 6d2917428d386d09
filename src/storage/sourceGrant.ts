import { sep } from 'node:path';
import { ApiError } from '../api/errors';

/** The form of a storage profile's name, in a project's sources and in credentialConfig alike. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** One storage profile a project may read through; `buckets` null: every bucket the profile serves. */
export interface StorageProfileGrant {
  profile: string;
  buckets: string[] | null;
}

/**
 * The sources a project may read (like IMM's project-bound credentials). `allServerSources`: every
 * source the server serves, as before projects listed theirs; only projects that existed before
 * the upgrade have it (see the migration 20261210080000_project_sources).
 */
export interface SourceGrant {
  allServerSources: boolean;
  storageProfiles: StorageProfileGrant[];
  /** Absolute folders, each inside the server's FILE_ROOTS. */
  fileRoots: string[];
  /** https:// sources, where the server enables them (HTTPS_SOURCES_ENABLED). */
  https: boolean;
  /**
   * Where uploaded photos are written: an oss://, s3:// prefix or file:// folder URI ending in "/",
   * inside the sources above; null or absent: the project takes no uploads.
   */
  uploadTo?: string | null;
}

/** What a new project may read unless its creator lists sources: nothing. */
export const NO_SOURCES: SourceGrant = Object.freeze({ allServerSources: false, storageProfiles: [], fileRoots: [], https: false });

/**
 * The one answer for every source a project may not read. It never names a profile, bucket or path
 * nor says whether it exists, so a key cannot learn what the server or other projects hold.
 */
export const sourceDenied = () =>
  new ApiError('AccessDenied', "This project may not read the source sourceURI names (it is not among the project's sources).");

/** Whether `path` is `root` or lies below it (both absolute and normalised). */
export const isWithin = (path: string, root: string): boolean => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** Whether the grant lets a project read `bucket` through the storage profile `profile`. */
export function grantsObject(grant: SourceGrant, profile: string, bucket: string): boolean {
  if (grant.allServerSources) return true;
  const entry = grant.storageProfiles.find((g) => g.profile === profile);
  return entry !== undefined && (entry.buckets === null || entry.buckets.includes(bucket));
}
