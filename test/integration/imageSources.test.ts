import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServicesState } from '../../tools/services/serviceUrls';
import { ApiError } from '../../src/api/errors';
import { ImageSources } from '../../src/storage/imageSources';
import { isPublicAddress } from '../../src/storage/httpsSource';
import type { SourceGrant } from '../../src/storage/sourceGrant';
import { parseSourceUri } from '../../src/storage/sourceUri';
import { loadStorageConfig } from '../../src/storage/storageConfig';
import { sharedImage } from '../support/sharedData';

// oss:// and s3:// against the real S3Proxy that `npm test` starts; file:// against real folders.
const s3 = readServicesState().s3!;
const bucket = `labelgate-test-${process.pid}`;
const coffee = readFileSync(sharedImage('photos/coffee.png'));
let root: string;
let sources: ImageSources;
let client: S3Client;

// These tests are about the readers: the project may read every source the server serves.
const EVERY: SourceGrant = { allServerSources: true, storageProfiles: [], fileRoots: [], https: false };
const readFrom = async (from: ImageSources, uri: string, credentialConfig?: string) =>
  from.read(from.authorize(parseSourceUri(uri), credentialConfig, EVERY));
const read = (uri: string, credentialConfig?: string) => readFrom(sources, uri, credentialConfig);

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  }
  return 'no error';
};

beforeAll(async () => {
  client = new S3Client({
    endpoint: s3.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/coffee.png', Body: coffee }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'huge.bin', Body: Buffer.alloc(20 * 1024 * 1024 + 1) }));

  root = mkdtempSync(join(tmpdir(), 'labelgate-files-'));
  mkdirSync(join(root, 'album'));
  writeFileSync(join(root, 'album', 'coffee.png'), coffee);
  symlinkSync('/etc/hostname', join(root, 'album', 'escape.png'));
  // A FIFO nobody writes to: opening it for reading the usual way blocks a thread-pool thread.
  execFileSync('mkfifo', [join(root, 'album', 'pipe.png')]);
  const storage = loadStorageConfig({
    LOCAL_S3_URL: process.env.LOCAL_S3_URL,
    STORAGE_CONFIG: JSON.stringify({
      profiles: { wrong: { endpoint: s3.url, accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret-0000' } },
    }),
  });
  sources = new ImageSources({ storage, fileRoots: [root], https: { enabled: true, timeoutMs: 2000 } });
});

afterAll(() => {
  sources.close();
  client.destroy();
  rmSync(root, { recursive: true, force: true });
});

describe('object storage (S3 protocol, S3Proxy)', () => {
  it('reads oss:// and s3:// objects byte for byte', async () => {
    expect((await read(`oss://${bucket}/photos/coffee.png`)).equals(coffee)).toBe(true);
    expect((await read(`s3://${bucket}/photos/coffee.png`)).equals(coffee)).toBe(true);
  });

  it.each([
    ['a missing object', () => `oss://${bucket}/photos/none.png`, undefined, 'ResourceNotFound'],
    ['a missing bucket', () => 'oss://no-such-bucket-here/a.png', undefined, 'ResourceNotFound'],
    ['wrong credentials', () => `oss://${bucket}/photos/coffee.png`, 'wrong', 'AccessDenied'],
    ['an unknown credentialConfig', () => `oss://${bucket}/photos/coffee.png`, 'nobody-knows', 'AccessDenied'],
    ['an object over 20 MB', () => `oss://${bucket}/huge.bin`, undefined, 'LimitExceeded'],
    ['a bucket name that is not one', () => 'oss://UPPER_case/a.png', undefined, 'InvalidArgument'],
    ['a bucket without a key', () => `oss://${bucket}/`, undefined, 'InvalidArgument'],
  ])('%s', async (_label, uri, credentialConfig, code) => {
    expect(await codeOf(read(uri(), credentialConfig))).toBe(code);
  });

  it('answers ServiceUnavailable at its deadline when the endpoint stalls', async () => {
    // A server that accepts connections and never answers.
    const sockets: Socket[] = [];
    const stalled = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const port = (stalled.address() as { port: number }).port;
    const storage = loadStorageConfig({
      STORAGE_CONFIG: JSON.stringify({
        profiles: { stalled: { endpoint: `http://127.0.0.1:${port}`, accessKeyId: 'a', secretAccessKey: 'b' } },
        defaultProfile: 'stalled',
      }),
    });
    const slow = new ImageSources({ storage, fileRoots: [], https: { enabled: false, timeoutMs: 1000 }, storageTimeoutMs: 1000 });
    try {
      const started = Date.now();
      expect(await codeOf(readFrom(slow, `s3://${bucket}/photos/coffee.png`))).toBe('ServiceUnavailable');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      slow.close();
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => stalled.close(resolve));
    }
  });

  it('refuses a malformed %-escape in an object key', async () => {
    expect(await codeOf(read(`oss://${bucket}/photos/%E0%A4%A.png`))).toBe('InvalidArgument');
  });

  it('never puts secrets in errors', async () => {
    try {
      await read(`oss://${bucket}/photos/coffee.png`, 'wrong');
    } catch (error) {
      expect(JSON.stringify({ message: (error as Error).message, details: (error as ApiError).details })).not.toMatch(
        /not-the-secret|secret|accessKey/i,
      );
    }
  });
});

describe('file:// under configured roots', () => {
  it('reads a file inside a root', async () => {
    expect((await read(`file://${root}/album/coffee.png`)).equals(coffee)).toBe(true);
  });

  it.each([
    ['a file outside every root', () => 'file:///etc/hostname', 'AccessDenied'],
    ['a symlink out of the root', () => `file://${root}/album/escape.png`, 'AccessDenied'],
    ['an encoded ".." escape', () => `file://${root}/album/%2E%2E%2F..%2Fetc%2Fhostname`, 'InvalidArgument'],
    ['a missing file', () => `file://${root}/album/none.png`, 'ResourceNotFound'],
    ['a folder', () => `file://${root}/album/`, 'InvalidArgument'],
    ['a host in a file URI', () => 'file://server/share/a.png', 'InvalidArgument'],
    ['a FIFO', () => `file://${root}/album/pipe.png`, 'InvalidArgument'],
    ['a malformed %-escape', () => `file://${root}/album/%E0%A4%A.png`, 'InvalidArgument'],
  ])('%s is refused', async (_label, uri, code) => {
    expect(await codeOf(read(uri()))).toBe(code);
  });
});

describe('https:// sources', () => {
  it.each([
    'https://127.0.0.1/a.png',
    'https://localhost/a.png',
    'https://10.1.2.3/a.png',
    'https://192.168.0.1/a.png',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/a.png',
    'https://[::ffff:127.0.0.1]/a.png',
    'https://100.64.0.1/a.png',
  ])('never fetches %s (loopback, private, link-local)', async (uri) => {
    expect(await codeOf(read(uri))).toBe('AccessDenied');
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.1.1',
      '::1',
      'fe80::1',
      'fc00::1',
      '0.0.0.0',
      '224.0.0.1',
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
  });

  it('is refused when disabled, and plain http always', async () => {
    const closed = new ImageSources({ storage: loadStorageConfig({}), fileRoots: [], https: { enabled: false, timeoutMs: 1000 } });
    expect(await codeOf(readFrom(closed, 'https://example.com/a.png'))).toBe('AccessDenied');
    expect(await codeOf(readFrom(closed, 'http://example.com/a.png'))).toBe('InvalidArgument');
    expect(await codeOf(readFrom(closed, `file://${root}/album/coffee.png`))).toBe('AccessDenied');
    closed.close();
  });
});

describe('malformed sourceURIs', () => {
  it.each([
    ['', 'MissingParameter'],
    ['not a uri', 'InvalidArgument'],
    ['ftp://host/a.png', 'InvalidArgument'],
    [`oss://${'b'.repeat(10)}/${'k'.repeat(2100)}`, 'InvalidArgument'],
    ['oss://bucket/key\u0000.png', 'InvalidArgument'],
  ])('%j → %s', async (uri, code) => {
    expect(await codeOf(read(uri))).toBe(code);
  });
});
