import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PgClient } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';
import { localS3Client } from '../support/localS3';
import { sharedImage } from '../support/sharedData';
import { adminKey, bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Photos sent in the request (the GraphQL multipart request spec) over real HTTP to the real
// gateway, models, Postgres, Elasticsearch, S3Proxy and folders: stored in the project's upload
// folder, or refused with nothing written anywhere.

const bucket = `lg-upload-${process.pid}`;
const dog = readFileSync(sharedImage('darknet/dog.jpg'));
const coffee = readFileSync(sharedImage('photos/coffee.png'));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const inS3 = uniqueName('up-s3');
const inFolder = uniqueName('up-dir');
const noFolder = uniqueName('up-none');
// Projects that get their first uploads all at once (see 'concurrent first uploads').
const raceBucket = `lg-upload-race-${process.pid}`;
const raceS3 = uniqueName('up-race-s3');
const raceFolder = uniqueName('up-race-dir');
const keepFolder = uniqueName('up-keep');
const DETECT = `mutation($input: DetectImageLabelsInput!, $file: Upload) {
  detectImageLabels(input: $input, file: $file) { image { id sourceURI sha256 format thumbnailUrl(size: 128) } labels { labelName } } }`;

interface Answer {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions: { code: string; [key: string]: unknown } }[];
    extensions?: { requestId?: string };
  };
}

let server: TestServer;
let s3: S3Client;
let root: string;

/** A multipart request as the spec has it: operations, map, then the file. */
async function send(
  file: Blob | null,
  input: Record<string, unknown>,
  headers: Record<string, string> = { 'apollo-require-preflight': 'true', ...bearer(adminKey()) },
): Promise<Answer> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: DETECT, variables: { input, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  if (file) form.append('0', file, 'photo.jpg');
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body: form });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const blob = (bytes: Buffer) => new Blob([new Uint8Array(bytes)]);

const errorOf = (answer: Answer) => {
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.extensions?.requestId).toMatch(/^[0-9A-F-]{36}$/);
  return { code: answer.body.errors![0].extensions.code, message: answer.body.errors![0].message };
};

const objectsIn = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((object) => object.Key);
const filesIn = () => (existsSync(join(root, 'inbox')) ? readdirSync(join(root, 'inbox')) : []);
const imageCount = async (project: string) =>
  (await server.gql('query($n: String!) { project(name: $n) { imageCount } }', { n: project })).body.data!.project.imageCount;

/** What uploads wrote: objects, files and images in both projects. */
const written = async () => ({
  objects: await objectsIn(),
  files: filesIn(),
  images: [await imageCount(inS3), await imageCount(inFolder)],
});

beforeAll(async () => {
  s3 = localS3Client();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  root = mkdtempSync(join(tmpdir(), 'labelgate-uploads-'));
  server = await startTestServer({ FILE_ROOTS: root });
  const create = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { name sources { uploadTo } } }';
  const projects = [
    [inS3, { storageProfiles: [{ profile: 'local', buckets: [bucket] }], uploadTo: `s3://${bucket}/uploads` }],
    [inFolder, { fileRoots: [root], uploadTo: `file://${root}/inbox/` }],
    [noFolder, { fileRoots: [root] }],
  ] as const;
  const uploadTos = [];
  for (const [name, sources] of projects) {
    const result = await server.gql(create, { input: { name, sources } });
    expect(result.body.errors).toBeUndefined();
    uploadTos.push(result.body.data!.createProject.sources.uploadTo);
  }
  // A prefix or folder is kept with its trailing slash, however it was written.
  expect(uploadTos).toEqual([`s3://${bucket}/uploads/`, `file://${root}/inbox/`, null]);
}, 120_000);

afterAll(async () => {
  for (const name of [inS3, inFolder, noFolder, raceS3, raceFolder, keepFolder])
    await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  await server?.close();
  s3?.destroy();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a photo sent in the request', () => {
  it('is labelled, stored in the S3 upload prefix under its SHA-256, and searchable with a thumbnail', async () => {
    const answer = await send(blob(dog), { projectName: inS3, language: 'EN' });
    expect(answer.body.errors).toBeUndefined();
    const { image, labels } = answer.body.data!.detectImageLabels;
    expect(labels.map((label: { labelName: string }) => label.labelName)).toContain('dog');
    expect(image).toMatchObject({ sourceURI: `s3://${bucket}/uploads/${sha256(dog)}.jpg`, sha256: sha256(dog), format: 'jpeg' });
    const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `uploads/${sha256(dog)}.jpg` }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(dog)).toBe(true);
    expect(stored.ContentType).toBe('image/jpeg');

    const thumbnail = await fetch(image.thumbnailUrl);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get('content-type')).toMatch(/^image\//);

    server.relay.kick();
    let found: { sourceURI: string }[] = [];
    for (let i = 0; i < 100 && found.length === 0; i += 1) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const search = await server.gql('query($p: String!) { searchImages(projectName: $p, text: "dog") { nodes { id sourceURI } } }', {
        p: inS3,
      });
      found = search.body.data!.searchImages.nodes;
    }
    expect(found).toEqual([{ id: image.id, sourceURI: image.sourceURI }]);
  });

  it('finds the same image when the same photo is sent again (by the compiled plan too)', async () => {
    const first = await send(blob(dog), { projectName: inS3 });
    const again = await send(blob(dog), { projectName: inS3 });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.detectImageLabels.image.id).toBe(first.body.data!.detectImageLabels.image.id);
    expect(await objectsIn()).toEqual([`uploads/${sha256(dog)}.jpg`]);
  });

  it('goes into a file:// upload folder (made when missing) and is labelled again from there', async () => {
    const answer = await send(blob(coffee), { projectName: inFolder, language: 'EN' });
    expect(answer.body.errors).toBeUndefined();
    const { image } = answer.body.data!.detectImageLabels;
    expect(image.sourceURI).toBe(`file://${root}/inbox/${sha256(coffee)}.png`);
    expect(readFileSync(join(root, 'inbox', `${sha256(coffee)}.png`)).equals(coffee)).toBe(true);
    expect(filesIn()).toEqual([`${sha256(coffee)}.png`]);

    const again = await server.gql('mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } } }', {
      input: { projectName: inFolder, sourceURI: image.sourceURI },
    });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.detectImageLabels.image.id).toBe(image.id);
  });

  it('is sent by `labelgate detect --upload`', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(projectRoot, 'dist/src/cli/labelgate.js'),
        'detect',
        sharedImage('darknet/dog.jpg'),
        '--upload',
        '--project',
        inS3,
        '--url',
        server.url,
        '--key',
        adminKey(),
        '--language',
        'en',
      ],
      { cwd: projectRoot },
    );
    const printed = JSON.parse(stdout);
    expect(printed.SourceURI).toBe(`s3://${bucket}/uploads/${sha256(dog)}.jpg`);
    expect(printed.Labels.map((label: { LabelName: string }) => label.LabelName)).toContain('dog');
    expect(printed.Labels[0]).toMatchObject({ Language: 'en' });
    expect(printed.ImageWidth).toBeGreaterThan(0);
  });
});

describe('refused uploads write nothing', () => {
  let before: Awaited<ReturnType<typeof written>>;
  beforeAll(async () => {
    before = await written();
  });
  afterEach(async () => {
    expect(await written()).toEqual(before);
  });

  it('a file over 20 MB: LimitExceeded, cut off while it streams', async () => {
    const huge = Buffer.alloc(20 * 1024 * 1024 + 1);
    dog.copy(huge);
    const answer = await send(blob(huge), { projectName: inS3 });
    expect(errorOf(answer)).toEqual({ code: 'LimitExceeded', message: expect.stringContaining('20 MB') });
  });

  it('a file over 20 MB whose request never ends: answered as soon as the limit is passed', async () => {
    // Chunked, with no length to go by: the answer must come while the body is still open.
    const boundary = 'labelgate-test-boundary';
    const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
    const head =
      part(
        'Content-Disposition: form-data; name="operations"',
        JSON.stringify({ query: DETECT, variables: { input: { projectName: inS3 }, file: null } }),
      ) +
      part('Content-Disposition: form-data; name="map"', JSON.stringify({ 0: ['variables.file'] })) +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`;
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(head));
      },
      async pull(controller) {
        if (sent > 21) return new Promise<void>(() => undefined); // holds the request open for ever
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const controller = new AbortController();
    try {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'apollo-require-preflight': 'true', ...bearer(adminKey()) },
        body,
        duplex: 'half',
        signal: controller.signal,
      } as RequestInit);
      const answer = { status: response.status, body: (await response.json()) as Answer['body'] };
      expect(errorOf(answer).code).toBe('LimitExceeded');
      expect(sent).toBeGreaterThan(20);
    } finally {
      controller.abort();
    }
  });

  it('a request declaring far more than a file may hold: LimitExceeded before its body is read', async () => {
    const answer = await send(blob(Buffer.alloc(23 * 1024 * 1024)), { projectName: inS3 });
    expect(answer.status).toBe(413);
    expect(errorOf(answer).code).toBe('LimitExceeded');
  });

  it.each([
    ['text named .jpg', Buffer.from('not a photo at all, only text\n'.repeat(100))],
    ['a truncated JPEG', readFileSync(sharedImage('bad/truncated.jpg'))],
  ])('%s: InvalidArgument', async (_label, bytes) => {
    expect(errorOf(await send(blob(bytes), { projectName: inS3 })).code).toBe('InvalidArgument');
  });

  it('without the CSRF prevention header: refused before its body is read', async () => {
    const answer = await send(blob(dog), { projectName: inS3 }, bearer(adminKey()));
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({ code: 'InvalidArgument', message: expect.stringContaining('Apollo-Require-Preflight') });
  });

  it('without an API key: InvalidAccessKeyId', async () => {
    const answer = await send(blob(dog), { projectName: inS3 }, { 'apollo-require-preflight': 'true' });
    expect(answer.status).toBe(401);
    expect(errorOf(answer).code).toBe('InvalidAccessKeyId');
  });

  it('to a project without an upload folder: InvalidArgument saying how to give it one', async () => {
    expect(errorOf(await send(blob(dog), { projectName: noFolder }))).toEqual({
      code: 'InvalidArgument',
      message: expect.stringContaining('uploadTo'),
    });
  });

  it('with a sourceURI as well: InvalidArgument', async () => {
    expect(errorOf(await send(blob(dog), { projectName: inS3, sourceURI: `s3://${bucket}/uploads/x.jpg` })).code).toBe('InvalidArgument');
  });

  it('a map naming a file the request lacks: MissingParameter', async () => {
    expect(errorOf(await send(null, { projectName: inS3 })).code).toBe('MissingParameter');
  });

  it.each([
    ['an empty body', ''],
    ['no form at all', 'not a form'],
    ['only the closing boundary', '--x--\r\n'],
    [
      'operations and map without the closing boundary',
      `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({
        query: DETECT,
        variables: { input: { projectName: inS3 }, file: null },
      })}\r\n--x\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n`,
    ],
  ])('a malformed form (%s): InvalidArgument at once, nothing written', async (_label, body) => {
    const before = await written();
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'apollo-require-preflight': 'true', ...bearer(adminKey()) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const answer = { status: response.status, body: (await response.json()) as Answer['body'] };
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toEqual({ code: 'InvalidArgument', message: expect.stringContaining('multipart request is malformed') });
    expect(await written()).toEqual(before);
  });

  it('to a project the key may not detect in: ResourceNotFound', async () => {
    const created = await server.gql(
      'mutation { createApiKey(input: { name: "upload test", actions: [DetectImageLabels], projectNames: ["elsewhere"] }) { key } }',
    );
    const key = created.body.data!.createApiKey.key;
    expect(errorOf(await send(blob(dog), { projectName: inS3 }, { 'apollo-require-preflight': 'true', ...bearer(key) })).code).toBe(
      'ResourceNotFound',
    );
  });
});

describe('uploadTo', () => {
  it.each([
    [
      'a bucket the project does not list',
      () => ({ storageProfiles: [{ profile: 'local', buckets: [bucket] }], uploadTo: 's3://another-bucket/x/' }),
    ],
    ['a folder outside its file roots', () => ({ fileRoots: [join(root, 'a')], uploadTo: `file://${root}/b/` })],
    ['an https:// address', () => ({ https: true, uploadTo: 'https://example.com/uploads/' })],
  ])('%s: InvalidArgument', async (_label, sources) => {
    const result = await server.gql('mutation($input: UpdateProjectInput!) { updateProject(input: $input) { name } }', {
      input: { name: noFolder, sources: sources() },
    });
    expect(result.body.errors?.[0].extensions).toMatchObject({ code: 'InvalidArgument', field: 'sources.uploadTo' });
  });
});

describe('an upload folder with a file on its path', () => {
  const blocked = uniqueName('up-blocked');

  afterAll(async () => {
    await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: blocked });
  });

  it('is InvalidArgument naming uploadTo, and nothing is written', async () => {
    const file = join(root, 'a-file.png');
    writeFileSync(file, coffee);
    const create = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }';
    const created = await server.gql(create, {
      input: { name: blocked, sources: { fileRoots: [root], uploadTo: `file://${file}/inbox/` } },
    });
    expect(created.body.errors).toBeUndefined();
    const answer = await send(blob(dog), { projectName: blocked });
    expect(errorOf(answer)).toEqual({ code: 'InvalidArgument', message: expect.stringContaining('uploadTo') });
    expect(readFileSync(file)).toEqual(coffee);
    expect(await imageCount(blocked)).toBe(0);
  });
});

describe('concurrent first uploads', () => {
  // Photos no other test here sends: each project below has neither objects nor images yet when
  // they arrive, several copies of one photo at the same time, and two other photos alongside.
  const horse = readFileSync(sharedImage('photos/horse.png'));
  const rocket = readFileSync(sharedImage('photos/rocket.jpg'));
  const camera = readFileSync(sharedImage('photos/camera.png'));
  const photos = [horse, horse, rocket, horse, camera, horse, rocket, horse];
  const distinct = [horse, rocket, camera];
  const nameOf = (bytes: Buffer) => `${sha256(bytes)}.${bytes === rocket ? 'jpg' : 'png'}`;

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: raceBucket }));
    const create = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }';
    for (const [name, sources] of [
      [raceS3, { storageProfiles: [{ profile: 'local', buckets: [raceBucket] }], uploadTo: `s3://${raceBucket}/first/` }],
      [raceFolder, { fileRoots: [root], uploadTo: `file://${root}/race/` }],
    ] as const)
      expect((await server.gql(create, { input: { name, sources } })).body.errors).toBeUndefined();
  });

  it.each([
    [
      'an S3 prefix',
      () => raceS3,
      (name: string) => `s3://${raceBucket}/first/${name}`,
      async () =>
        ((await s3.send(new ListObjectsV2Command({ Bucket: raceBucket }))).Contents ?? []).map((object) =>
          object.Key!.replace(/^first\//, ''),
        ),
    ],
    [
      'a file:// folder made by the first of them',
      () => raceFolder,
      (name: string) => `file://${root}/race/${name}`,
      async () => (existsSync(join(root, 'race')) ? readdirSync(join(root, 'race')) : []),
    ],
  ])('to %s: all succeed, each photo is stored once and is one image', async (_label, project, uriOf, stored) => {
    expect(await stored()).toEqual([]);
    const answers = await Promise.all(photos.map((bytes) => send(blob(bytes), { projectName: project() })));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    const images = answers.map((answer) => answer.body.data!.detectImageLabels.image);
    images.forEach((image, i) => expect(image).toMatchObject({ sourceURI: uriOf(nameOf(photos[i])), sha256: sha256(photos[i]) }));
    // One image per photo, whichever request stored it first.
    const idOf = new Map(distinct.map((bytes) => [sha256(bytes), images[photos.indexOf(bytes)].id]));
    images.forEach((image) => expect(image.id).toBe(idOf.get(image.sha256)));
    expect(new Set(idOf.values()).size).toBe(distinct.length);
    const listed = await server.gql('query($p: String!) { images(projectName: $p, first: 50) { nodes { id sourceURI } } }', {
      p: project(),
    });
    expect(
      listed.body.data!.images.nodes.map((image: { id: string; sourceURI: string }) => `${image.id} ${image.sourceURI}`).sort(),
    ).toEqual(distinct.map((bytes) => `${idOf.get(sha256(bytes))} ${uriOf(nameOf(bytes))}`).sort());
    // Once each, and nothing else (no temporary file left behind).
    expect((await stored()).sort()).toEqual(distinct.map(nameOf).sort());
  });
});

describe('an upload whose image cannot be stored', () => {
  it('keeps its file, which the next upload of the photo reuses', async () => {
    // Postgres refuses the image row as a server going away would, for this folder only: the
    // file is written by then. Deleting it again would take its source from any image of the same
    // photo another request stored meanwhile (files are named by content), so it stays.
    const folder = `keep-${process.pid}`;
    const created = await server.gql('mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }', {
      input: { name: keepFolder, sources: { fileRoots: [root], uploadTo: `file://${root}/${folder}/` } },
    });
    expect(created.body.errors).toBeUndefined();
    const trigger = `lg_test_refuse_${process.pid}`;
    const pg = new PgClient({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      await pg.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.source_uri LIKE '%/${folder}/%' THEN RAISE EXCEPTION 'terminating connection' USING ERRCODE = '57P01'; END IF;
          RETURN NEW;
        END $$`);
      await pg.query(`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON images FOR EACH ROW EXECUTE FUNCTION ${trigger}()`);
      const refused = await send(blob(dog), { projectName: keepFolder });
      expect(errorOf(refused).code).toBe('ServiceUnavailable');
    } finally {
      await pg.query(`DROP TRIGGER IF EXISTS ${trigger} ON images`);
      await pg.query(`DROP FUNCTION IF EXISTS ${trigger}()`);
      await pg.end();
    }
    const name = `${sha256(dog)}.jpg`;
    expect(readdirSync(join(root, folder))).toEqual([name]);
    expect(await imageCount(keepFolder)).toBe(0);

    const stored = await send(blob(dog), { projectName: keepFolder });
    expect(stored.body.errors).toBeUndefined();
    expect(stored.body.data!.detectImageLabels.image.sourceURI).toBe(`file://${root}/${folder}/${name}`);
    expect(readdirSync(join(root, folder))).toEqual([name]);
    expect(await imageCount(keepFolder)).toBe(1);
  });
});
