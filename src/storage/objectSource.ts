import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { withDeadline } from '../deadline';
import { ApiError, notFound } from '../api/errors';
import { sourceDenied } from './sourceGrant';
import type { StorageConfig, StorageProfile } from './storageConfig';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket']);
const DENIED = new Set(['AccessDenied', 'Forbidden', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled']);

/** Maps storage failures to IMM codes with messages that never carry keys or secrets. */
function translate(error: unknown, scheme: string, bucket: string, key: string): ApiError {
  if (error instanceof ApiError) return error;
  const name = (error as { name?: string }).name ?? '';
  const status = (error as S3ServiceException).$metadata?.httpStatusCode;
  if (NOT_FOUND.has(name) || status === 404) return notFound(`${scheme}://${bucket}/${key} does not exist.`);
  if (DENIED.has(name) || status === 403)
    return new ApiError('AccessDenied', `The storage refused access to ${scheme}://${bucket}/${key}.`);
  return new ApiError('ServiceUnavailable', `The storage for ${scheme}://${bucket} could not be reached; try again later.`);
}

/** One page of a listing. */
export interface ObjectPage {
  keys: { key: string; size: number }[];
  more: boolean;
}

/** Reads oss:// and s3:// objects through an S3-compatible client, one per storage profile. */
export class ObjectSource {
  private readonly clients = new Map<string, S3Client>();

  constructor(
    private readonly config: StorageConfig,
    /** The whole read (head, get and body) must end within this many milliseconds. */
    private readonly timeoutMs = 15_000,
  ) {}

  /** The profile that serves a read: the request's credentialConfig, else the bucket's mapping, else the default; null when none. */
  profileNameFor(scheme: 'oss' | 's3', bucket: string, credentialConfig?: string | null): string | null {
    return (
      credentialConfig ??
      this.config.buckets.find((b) => (b.scheme === '*' || b.scheme === scheme) && (b.bucket === bucket || b.bucket === '*'))?.profile ??
      this.config.defaultProfile ??
      null
    );
  }

  /** Whether this server has a profile of that name. */
  hasProfile(name: string): boolean {
    return Object.hasOwn(this.config.profiles, name);
  }

  private client(name: string, profile: StorageProfile): S3Client {
    let client = this.clients.get(name);
    if (!client) {
      client = new S3Client({
        endpoint: profile.endpoint,
        region: profile.region,
        forcePathStyle: profile.forcePathStyle,
        credentials: { accessKeyId: profile.accessKeyId, secretAccessKey: profile.secretAccessKey },
        maxAttempts: 2,
        // A stalled endpoint must not hold a socket past the read's deadline.
        requestHandler: { connectionTimeout: Math.min(5_000, this.timeoutMs), requestTimeout: this.timeoutMs },
      });
      this.clients.set(name, client);
    }
    return client;
  }

  /** The client of a profile this server has; AccessDenied for any other name. */
  private clientFor(profileName: string): S3Client {
    if (!this.hasProfile(profileName)) throw sourceDenied();
    return this.client(profileName, this.config.profiles[profileName]);
  }

  /**
   * Runs one exchange with the storage within the deadline (`doing` completes "did not … within"),
   * and maps whatever fails to an IMM error naming `scheme://bucket/key`.
   */
  private async exchange<T>(
    profileName: string,
    place: { scheme: 'oss' | 's3'; bucket: string; key: string },
    doing: string,
    run: (client: S3Client, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const client = this.clientFor(profileName);
    const { scheme, bucket, key } = place;
    const tooSlow = () =>
      new ApiError(
        'ServiceUnavailable',
        `The storage for ${scheme}://${bucket} did not ${doing} within ${this.timeoutMs} ms; try again later.`,
      );
    try {
      return await withDeadline(this.timeoutMs, tooSlow, (abortSignal) => run(client, abortSignal));
    } catch (error) {
      throw translate(error, scheme, bucket, key);
    }
  }

  /** Reads through the named profile, which the caller has checked the project may use (ImageSources.authorize). */
  async read(profileName: string, scheme: 'oss' | 's3', bucket: string, key: string, maxBytes: number): Promise<Buffer> {
    return this.exchange(profileName, { scheme, bucket, key }, 'answer', async (client, abortSignal) => {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
      if ((head.ContentLength ?? 0) > maxBytes) {
        throw new ApiError(
          'LimitExceeded',
          `${scheme}://${bucket}/${key} is ${head.ContentLength} bytes; at most ${maxBytes} bytes (20 MB) are accepted.`,
        );
      }
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
      // The body streams after the headers; a stall there must end with the deadline too.
      abortSignal.addEventListener('abort', () => (object.Body as { destroy?: () => void }).destroy?.(), { once: true });
      const body = Buffer.from(await object.Body!.transformToByteArray());
      if (body.length > maxBytes)
        throw new ApiError('LimitExceeded', `${scheme}://${bucket}/${key} is larger than ${maxBytes} bytes (20 MB).`);
      return body;
    });
  }

  /**
   * One page (at most `maxKeys`) of the keys under `prefix`, in S3's order (UTF-8 byte order), after
   * `startAfter`; `more` when S3 has further keys. Each page is one request with the read deadline.
   */
  async list(
    profileName: string,
    scheme: 'oss' | 's3',
    bucket: string,
    prefix: string,
    startAfter: string | undefined,
    maxKeys: number,
  ): Promise<ObjectPage> {
    const page = await this.exchange(profileName, { scheme, bucket, key: prefix }, 'answer a listing', (client, abortSignal) =>
      client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: maxKeys }), {
        abortSignal,
      }),
    );
    const keys = (page.Contents ?? [])
      .map((object) => ({ key: object.Key ?? '', size: object.Size ?? 0 }))
      .filter((object) => object.key !== '');
    return { keys, more: Boolean(page.IsTruncated) };
  }

  /**
   * Writes an object through the named profile (checked by the caller, as for read), within the
   * read deadline; `created` is false when an object of that key was there already (uploads are
   * named by their content, so it held the same bytes).
   */
  async write(
    profileName: string,
    scheme: 'oss' | 's3',
    bucket: string,
    key: string,
    body: Buffer,
    contentType: string,
  ): Promise<{ created: boolean }> {
    try {
      return await this.exchange(profileName, { scheme, bucket, key }, 'take the upload', async (client, abortSignal) => {
        const existed = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }).then(
          () => true,
          (error: unknown) => {
            if (translate(error, scheme, bucket, key).code === 'ResourceNotFound') return false;
            throw error;
          },
        );
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }), { abortSignal });
        return { created: !existed };
      });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ResourceNotFound')
        throw notFound(`The bucket ${scheme}://${bucket} the project uploads to does not exist.`);
      throw error;
    }
  }

  /**
   * A presigned GET of the object through the named profile (checked by the caller, as for read),
   * valid for `expiresInSeconds`; computed locally, without asking the storage.
   */
  presignGet(profileName: string, bucket: string, key: string, expiresInSeconds: number): Promise<string> {
    const client = this.clientFor(profileName);
    return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: expiresInSeconds });
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
  }
}
