import { IMAGE_LIMITS } from '../detection/imageDecoder';
import { checkFilePath, FileSource } from './fileSource';
import { HttpsSource, HttpsSourceOptions } from './httpsSource';
import { ObjectPage, ObjectSource } from './objectSource';
import { invalidArgument } from '../api/errors';
import { grantsObject, isWithin, PROFILE_NAME, SourceGrant, sourceDenied } from './sourceGrant';
import type { SourceUri } from './sourceUri';
import type { StorageConfig } from './storageConfig';

export interface ImageSourcesOptions {
  storage: StorageConfig;
  fileRoots: string[];
  https: Omit<HttpsSourceOptions, 'maxBytes'>;
  /** Deadline of one oss:// or s3:// read. */
  storageTimeoutMs?: number;
}

/** A source a project may read, as `authorize` found it: the only thing `read` accepts. */
export type AuthorizedSource =
  | { kind: 'object'; source: Extract<SourceUri, { kind: 'object' }>; profile: string }
  | { kind: 'file'; source: Extract<SourceUri, { kind: 'file' }>; roots: string[] | null }
  | { kind: 'https'; source: Extract<SourceUri, { kind: 'https' }> };

/**
 * credentialConfig names a storage profile, which only oss:// and s3:// sources are read through.
 * Its form is checked before anything else (it is stored with the image): a malformed name, or one
 * given for a file:// or https:// source, is InvalidArgument; an unknown well-formed name is the
 * usual AccessDenied, which says nothing of the server's profiles.
 */
function checkCredentialConfig(source: SourceUri, credentialConfig: string | null | undefined): void {
  if (credentialConfig === null || credentialConfig === undefined) return;
  if (!PROFILE_NAME.test(credentialConfig))
    throw invalidArgument('credentialConfig names a storage profile: 1-64 letters, digits, ".", "_" or "-".', 'credentialConfig');
  if (source.kind !== 'object')
    throw invalidArgument(
      `credentialConfig names a storage profile for oss:// and s3:// sources; a ${source.kind === 'file' ? 'file://' : 'https://'} source takes none.`,
      'credentialConfig',
    );
}

/** sourceURI → image bytes, whichever scheme it uses; every reader enforces IMM's 20 MB limit. */
export class ImageSources {
  private readonly objects: ObjectSource;
  private readonly files: FileSource;
  private readonly web: HttpsSource;

  constructor(
    options: ImageSourcesOptions,
    /** The most bytes any source may hold (uploads too). */
    readonly maxBytes: number = IMAGE_LIMITS.maxBytes,
  ) {
    this.objects = new ObjectSource(options.storage, options.storageTimeoutMs);
    this.files = new FileSource(options.fileRoots);
    this.web = new HttpsSource({ ...options.https, maxBytes });
  }

  /**
   * Whether a project with this grant may read the source, decided without any I/O, so a refusal
   * says nothing about what exists: every refusal is the same AccessDenied (sourceDenied).
   */
  authorize(source: SourceUri, credentialConfig: string | null | undefined, grant: SourceGrant): AuthorizedSource {
    checkCredentialConfig(source, credentialConfig);
    switch (source.kind) {
      case 'object': {
        const profile = this.objects.profileNameFor(source.scheme, source.bucket, credentialConfig);
        if (profile === null || !grantsObject(grant, profile, source.bucket) || !this.objects.hasProfile(profile)) throw sourceDenied();
        return { kind: 'object', source, profile };
      }
      case 'file': {
        checkFilePath(source.path);
        if (!grant.allServerSources && !grant.fileRoots.some((root) => isWithin(source.path, root))) throw sourceDenied();
        return { kind: 'file', source, roots: grant.allServerSources ? null : grant.fileRoots };
      }
      case 'https':
        if (!grant.allServerSources && !grant.https) throw sourceDenied();
        return { kind: 'https', source };
    }
  }

  async read(authorized: AuthorizedSource): Promise<Buffer> {
    switch (authorized.kind) {
      case 'object': {
        const { scheme, bucket, key } = authorized.source;
        return this.objects.read(authorized.profile, scheme, bucket, key, this.maxBytes);
      }
      case 'file':
        return this.files.read(authorized.source.path, this.maxBytes, authorized.roots);
      case 'https':
        return this.web.read(authorized.source.url);
    }
  }

  /**
   * Writes an upload where an authorized oss://, s3:// or file:// source names (the project's
   * uploadTo and the file's name); `created` is false when it was there already.
   */
  write(authorized: AuthorizedSource, bytes: Buffer, contentType: string): Promise<{ created: boolean }> {
    switch (authorized.kind) {
      case 'object': {
        const { scheme, bucket, key } = authorized.source;
        return this.objects.write(authorized.profile, scheme, bucket, key, bytes, contentType);
      }
      case 'file':
        return this.files.write(authorized.source.path, bytes, authorized.roots);
      case 'https':
        throw sourceDenied();
    }
  }

  /** One page of the object keys under an authorized oss:// or s3:// prefix (its `key` is the prefix). */
  listObjects(
    authorized: Extract<AuthorizedSource, { kind: 'object' }>,
    startAfter: string | undefined,
    maxKeys: number,
  ): Promise<ObjectPage> {
    const { scheme, bucket, key } = authorized.source;
    return this.objects.list(authorized.profile, scheme, bucket, key, startAfter, maxKeys);
  }

  /** The real folders an authorized file:// source may be read below (walks stay inside them). */
  readableRoots(authorized: Extract<AuthorizedSource, { kind: 'file' }>): Promise<string[]> {
    return this.files.readableRoots(authorized.roots);
  }

  /** A presigned GET URL for an object source, valid `expiresInSeconds`; null for other kinds (served by the gateway). */
  async presignedUrl(authorized: AuthorizedSource, expiresInSeconds: number): Promise<string | null> {
    if (authorized.kind !== 'object') return null;
    const { bucket, key } = authorized.source;
    return this.objects.presignGet(authorized.profile, bucket, key, expiresInSeconds);
  }

  close(): void {
    this.objects.close();
  }
}
