import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ImageUrlSigner } from '../../src/delivery/imageUrlSigner';
import { localS3, localS3Client, twoSourcesOf } from '../support/localS3';
import { sharedImage } from '../support/sharedData';
import { bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Image URLs end to end: the real gateway, models, Postgres, S3Proxy and folders. Project A lists a
// folder and a bucket; project B another folder. URLs are bound to one image and size, expire, and
// every read goes through the image's own source as its project may read it now.

const s3 = localS3();
const bucketA = `lg-deliver-a-${process.pid}`;
const bucketB = `lg-deliver-b-${process.pid}`;
const SECRET = 'image-url-secret-for-the-delivery-test-0123456789';
const coffee = readFileSync(sharedImage('photos/coffee.png'));
const A = uniqueName('deliver-a');
const B = uniqueName('deliver-b');
const DETECT = 'mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } } }';
const URLS =
  'query($id: ID!, $size: Int, $ttl: Int) { image(id: $id) { url(expiresInSeconds: $ttl) thumbnailUrl(size: $size, expiresInSeconds: $ttl) } }';

let root: string;
let cacheDir: string;
let server: TestServer;
const ids: Record<'fileA' | 'rotatedA' | 'objectA' | 'movedA' | 'fileB', string> = {
  fileA: '',
  rotatedA: '',
  objectA: '',
  movedA: '',
  fileB: '',
};

async function detect(projectName: string, sourceURI: string, credentialConfig?: string): Promise<string> {
  const result = await server.gql(DETECT, { input: { projectName, sourceURI, credentialConfig } });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.detectImageLabels.image.id;
}

async function urlsOf(id: string, size?: number, ttl?: number, key?: string): Promise<{ url: string | null; thumbnailUrl: string }> {
  const result = await server.gql(URLS, { id, size, ttl }, key ? bearer(key) : {});
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.image;
}

async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as { errors: { extensions: { code: string } }[]; extensions: { requestId: string } };
  expect(body.extensions.requestId).toBe(response.headers.get('x-request-id'));
  return body.errors[0].extensions.code;
}

beforeAll(async () => {
  root = await twoSourcesOf([bucketA, bucketB], ['a', 'b'], 'coffee.png', coffee, 'labelgate-deliver-');
  cacheDir = mkdtempSync(join(tmpdir(), 'labelgate-thumbs-'));
  writeFileSync(join(root, 'a', 'moved.png'), coffee);
  // 400 x 200 pixels stored, shown turned a quarter (EXIF orientation 6): 200 x 400 as a person sees it.
  const landscape = await sharp(coffee).resize(400, 200, { fit: 'fill' }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
  writeFileSync(join(root, 'a', 'rotated.jpg'), landscape);

  const profile = { endpoint: s3.url, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  server = await startTestServer({
    FILE_ROOTS: root,
    IMAGE_URL_SECRET: SECRET,
    THUMBNAIL_CACHE_DIR: cacheDir,
    STORAGE_CONFIG: JSON.stringify({ profiles: { alpha: profile } }),
  });
  const create = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }';
  const grantA = { storageProfiles: [{ profile: 'alpha', buckets: [bucketA] }], fileRoots: [join(root, 'a')] };
  expect((await server.gql(create, { input: { name: A, sources: grantA } })).body.errors).toBeUndefined();
  expect((await server.gql(create, { input: { name: B, sources: { fileRoots: [join(root, 'b')] } } })).body.errors).toBeUndefined();
  ids.fileA = await detect(A, `file://${root}/a/coffee.png`);
  ids.rotatedA = await detect(A, `file://${root}/a/rotated.jpg`);
  ids.movedA = await detect(A, `file://${root}/a/moved.png`);
  ids.objectA = await detect(A, `oss://${bucketA}/coffee.png`, 'alpha');
  ids.fileB = await detect(B, `file://${root}/b/coffee.png`);
}, 180_000);

afterAll(async () => {
  for (const name of [A, B]) await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  await server?.close();
  for (const dir of [root, cacheDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('thumbnails by signed URL', () => {
  it('an <img>-style GET (no key) gets a JPEG or WebP thumbnail no larger than asked, with validators', async () => {
    const { thumbnailUrl } = await urlsOf(ids.fileA, 128);
    expect(thumbnailUrl.startsWith(`${server.url}/images/${ids.fileA}/thumbnail?size=128&expires=`)).toBe(true);

    const jpeg = await fetch(thumbnailUrl);
    expect(jpeg.status).toBe(200);
    expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await jpeg.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBe(128);
    expect(jpeg.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
    const maxAge = Number(/max-age=(\d+)/.exec(jpeg.headers.get('cache-control')!)![1]);
    expect(maxAge).toBeGreaterThan(800);
    expect(maxAge).toBeLessThanOrEqual(960);

    const webp = await fetch(thumbnailUrl, { headers: { accept: 'image/avif,image/webp,*/*' } });
    expect(webp.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await webp.arrayBuffer())).metadata()).format).toBe('webp');
    expect(webp.headers.get('etag')).not.toBe(jpeg.headers.get('etag'));

    const again = await fetch(thumbnailUrl, { headers: { 'if-none-match': jpeg.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('applies EXIF orientation', async () => {
    const response = await fetch((await urlsOf(ids.rotatedA, 128)).thumbnailUrl);
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([64, 128]);
  });

  it('keeps rendered thumbnails on disk and serves them from there', async () => {
    const { thumbnailUrl } = await urlsOf(ids.fileA, 512);
    const first = Buffer.from(await (await fetch(thumbnailUrl)).arrayBuffer());
    const [cached] = readdirSync(cacheDir).filter((name) => name.startsWith(`${ids.fileA}-`) && name.includes('-512.'));
    expect(readFileSync(join(cacheDir, cached)).equals(first)).toBe(true);
  });

  it('a size outside the fixed set is InvalidArgument', async () => {
    const result = await server.gql(URLS, { id: ids.fileA, size: 300 });
    expect(result.body.errors![0].extensions.code).toBe('InvalidArgument');
    const response = await fetch(`${server.url}/images/${ids.fileA}/thumbnail?size=300`, { headers: bearer(process.env.ADMIN_API_KEY!) });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('InvalidArgument');
  });
});

describe('signed URLs are bound to one image and size, and expire', () => {
  it("another project's image id in the URL is refused", async () => {
    const signed = new URL((await urlsOf(ids.fileA)).thumbnailUrl);
    signed.pathname = `/images/${ids.fileB}/thumbnail`;
    const response = await fetch(signed);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('AccessDenied');
  });

  it('another size, the original, or an altered signature is refused', async () => {
    const signed = new URL((await urlsOf(ids.fileA, 128)).thumbnailUrl);
    const bigger = new URL(signed);
    bigger.searchParams.set('size', '1024');
    const original = new URL(signed);
    original.pathname = `/images/${ids.fileA}/original`;
    const altered = new URL(signed);
    altered.searchParams.set('sig', `${signed.searchParams.get('sig')!.slice(0, -2)}AA`);
    const later = new URL(signed);
    later.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 3600));
    for (const url of [bigger, original, altered, later]) expect((await fetch(url)).status).toBe(403);
  });

  it('an expired URL is refused, saying so', async () => {
    const past = Math.floor(Date.now() / 1000) - 5;
    const sig = new ImageUrlSigner(Buffer.from(SECRET)).sign(ids.fileA, 'thumbnail-256', past);
    const response = await fetch(`${server.url}/images/${ids.fileA}/thumbnail?size=256&expires=${past}&sig=${sig}`);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toMatch(/expired/);
  });

  it('lifetimes outside 60..86400 seconds are InvalidArgument', async () => {
    for (const ttl of [10, 100_000])
      expect((await server.gql(URLS, { id: ids.fileA, ttl })).body.errors![0].extensions.code).toBe('InvalidArgument');
  });
});

describe('originals', () => {
  it('file:// images get a signed gateway URL that serves the bytes', async () => {
    const { url } = await urlsOf(ids.fileA);
    expect(url!.startsWith(`${server.url}/images/${ids.fileA}/original?expires=`)).toBe(true);
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(coffee)).toBe(true);
  });

  it('oss:// images get a presigned GET from the storage itself, through the profile they were read with', async () => {
    const { url } = await urlsOf(ids.objectA, undefined, 120);
    const presigned = new URL(url!);
    expect(presigned.origin).toBe(new URL(s3.url).origin);
    expect(presigned.searchParams.get('X-Amz-Expires')).toBe('120');
    const response = await fetch(presigned);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(coffee)).toBe(true);

    // The same signature names no other object: not the same key in another bucket.
    const elsewhere = new URL(presigned);
    elsewhere.pathname = presigned.pathname.replace(bucketA, bucketB);
    expect((await fetch(elsewhere)).status).toBe(403);
  });

  it('a presigned URL stops working when it expires', async () => {
    const { url } = await urlsOf(ids.objectA, undefined, 60);
    // The storage checks X-Amz-Date + X-Amz-Expires; the same URL signed as of two minutes ago has lapsed.
    const presigned = new URL(url!);
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const client = localS3Client();
    const lapsed = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucketA, Key: 'coffee.png' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 120_000),
    });
    client.destroy();
    expect((await fetch(presigned)).status).toBe(200);
    expect((await fetch(lapsed)).status).toBe(403);
  });

  it("never serves a file outside the image's own source: a link to another project's folder is refused", async () => {
    unlinkSync(join(root, 'a', 'moved.png'));
    symlinkSync(join(root, 'b', 'coffee.png'), join(root, 'a', 'moved.png'));
    const { url } = await urlsOf(ids.movedA);
    const response = await fetch(url!);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('AccessDenied');
  });
});

describe('by API key', () => {
  let keyA: string;
  beforeAll(async () => {
    const created = await server.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }', {
      input: { name: 'delivery', actions: ['ReadImages', 'SearchImages'], projectNames: [A] },
    });
    keyA = created.body.data!.createApiKey.key;
  });

  it("a key reads its project's images and revalidates them by ETag", async () => {
    const response = await fetch(`${server.url}/images/${ids.fileA}/thumbnail?size=256`, { headers: bearer(keyA) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-cache');
    const again = await fetch(`${server.url}/images/${ids.fileA}/thumbnail?size=256`, {
      headers: { ...bearer(keyA), 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
  });

  it('a thumbnail whose source is gone is a JSON error, not an image to cache', async () => {
    writeFileSync(join(root, 'a', 'gone.png'), coffee);
    const id = await detect(A, `file://${root}/a/gone.png`);
    unlinkSync(join(root, 'a', 'gone.png'));
    const { thumbnailUrl } = await urlsOf(id, 512);
    for (const response of [
      await fetch(thumbnailUrl),
      await fetch(`${server.url}/images/${id}/thumbnail?size=512`, { headers: bearer(keyA) }),
    ]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('etag')).toBeNull();
      expect(await errorCode(response)).toBe('ResourceNotFound');
    }
  });

  it('an original replaced since it was labelled: served with the type its bytes have, refused when no image', async () => {
    writeFileSync(join(root, 'a', 'replaced.png'), coffee);
    const id = await detect(A, `file://${root}/a/replaced.png`);
    writeFileSync(join(root, 'a', 'replaced.png'), await sharp(coffee).jpeg().toBuffer());
    const asJpeg = await fetch(`${server.url}/images/${id}/original`, { headers: bearer(keyA) });
    expect(asJpeg.status).toBe(200);
    expect(asJpeg.headers.get('content-type')).toBe('image/jpeg');
    writeFileSync(join(root, 'a', 'replaced.png'), 'no longer a photo');
    const asText = await fetch(`${server.url}/images/${id}/original`, { headers: bearer(keyA) });
    expect(asText.status).toBe(400);
    expect(asText.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await errorCode(asText)).toBe('InvalidArgument');
  });

  it("another project's images do not exist for it", async () => {
    const response = await fetch(`${server.url}/images/${ids.fileB}/original`, { headers: bearer(keyA) });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('ResourceNotFound');
    const result = await server.gql(URLS, { id: ids.fileB }, bearer(keyA));
    expect(result.body.errors![0].extensions.code).toBe('ResourceNotFound');
  });

  it('without a key or a signature the route asks for a key', async () => {
    const response = await fetch(`${server.url}/images/${ids.fileA}/thumbnail`);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('InvalidAccessKeyId');
  });
});

describe('signed URLs have no key, so their client address is rate-limited', () => {
  it('answers Throttling with Retry-After past RATE_LIMIT_IMAGE_QPS', async () => {
    // Its own rate (2 a second, a 2-second burst), so no other test's requests share this window.
    const limited = await startTestServer({
      FILE_ROOTS: root,
      IMAGE_URL_SECRET: SECRET,
      THUMBNAIL_CACHE_DIR: cacheDir,
      RATE_LIMIT_IMAGE_QPS: '2',
    });
    try {
      const { thumbnailUrl } = (await limited.gql(URLS, { id: ids.fileA })).body.data!.image;
      // Twelve at once, as a grid loads them: a window holds four.
      const responses = await Promise.all(Array.from({ length: 12 }, () => fetch(thumbnailUrl)));
      const ok = responses.filter((response) => response.status === 200);
      const throttled = responses.find((response) => response.status === 429);
      expect(ok.length).toBeGreaterThanOrEqual(4);
      expect(ok.length).toBeLessThanOrEqual(8); // 8: the window turned over meanwhile
      expect(responses.every((response) => response.status === 200 || response.status === 429)).toBe(true);
      expect(throttled!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await errorCode(throttled!)).toBe('Throttling');
    } finally {
      await limited.close();
    }
  });
});

describe("when a project stops listing an image's source", () => {
  it('its URLs stop working and url is null', async () => {
    const { url, thumbnailUrl } = await urlsOf(ids.fileA, 1024);
    const update = 'mutation($input: UpdateProjectInput!) { updateProject(input: $input) { name } }';
    const narrowed = { storageProfiles: [{ profile: 'alpha', buckets: [bucketA] }], fileRoots: [] };
    expect((await server.gql(update, { input: { name: A, sources: narrowed } })).body.errors).toBeUndefined();
    for (const signed of [url!, thumbnailUrl]) expect((await fetch(signed)).status).toBe(403);
    expect((await urlsOf(ids.fileA)).url).toBeNull();
    expect((await urlsOf(ids.objectA)).url).not.toBeNull();
  });
});
