import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { Client as PgClient } from 'pg';
import { readServicesState } from '../../tools/services/serviceUrls';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias } from '../../src/search/imageIndex';
import { sharedDir, sharedImage } from '../support/sharedData';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// detectImageLabels end to end: a real S3 server (S3Proxy), the real models, Postgres, Elasticsearch.
const DETECT = `mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) {
  requestId
  image { id projectName sourceURI sha256 width height format bytes modelVersion taxonomyVersion }
  labels { language labelId labelName labelLevel labelConfidence parentLabelId parentLabelName centricScore labelAlias clips { timeRange } } } }`;
const BATCH = `mutation($inputs: [DetectImageLabelsInput!]!) { detectImageLabelsBatch(inputs: $inputs) {
  sourceURI result { requestId image { id } labels { labelId } } error { code message } } }`;
const IMAGE = `query($id: ID!, $language: LabelLanguage) { image(id: $id) { id sourceURI labels(language: $language) { labelId labelName labelConfidence } } }`;
const IMAGES = `query($projectName: String!, $first: Int, $after: String) { images(projectName: $projectName, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id sourceURI } } }`;

const bucket = `lg-detect-${process.pid}`;
const project = uniqueName('detect');
let server: TestServer;
let pg: PgClient;
const search = createSearchClient(readServicesState().elasticsearch?.url ?? 'http://127.0.0.1:9200');
let alias: string;

const count = async (sql: string, params: unknown[] = []) => Number((await pg.query(sql, params)).rows[0].count);
const projectId = async () => (await pg.query('SELECT id FROM projects WHERE name = $1', [project])).rows[0].id as string;
const stored = async () => {
  const id = await projectId();
  return {
    images: await count('SELECT count(*) FROM images WHERE project_id = $1', [id]),
    labels: await count('SELECT count(*) FROM image_labels l JOIN images i ON i.id = l.image_id WHERE i.project_id = $1', [id]),
    detections: await count('SELECT count(*) FROM detections d JOIN images i ON i.id = d.image_id WHERE i.project_id = $1', [id]),
    outbox: await count('SELECT count(*) FROM outbox_events WHERE project_id = $1', [id]),
  };
};

/** Waits for the relay: the document appears (or disappears) in Elasticsearch. */
async function indexed(imageId: string, present = true): Promise<Record<string, any> | undefined> {
  for (let i = 0; i < 100; i += 1) {
    await search.indices.refresh({ index: alias });
    const hit = (await search.search({ index: alias, query: { term: { imageId } } })).hits.hits[0];
    if (Boolean(hit) === present) return hit?._source as Record<string, any> | undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`document of ${imageId} did not ${present ? 'appear' : 'disappear'}`);
}

beforeAll(async () => {
  const s3 = readServicesState().s3!;
  const client = new S3Client({
    endpoint: s3.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const file of ['photos/chelsea.png', 'photos/coffee.png', 'darknet/dog.jpg', 'darknet/giraffe.jpg']) {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: file, Body: readFileSync(sharedImage(file)) }));
  }
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'notes.txt', Body: 'not an image' }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'huge.jpg', Body: Buffer.alloc(20 * 1024 * 1024 + 1) }));
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'bad/truncated.jpg', Body: readFileSync(sharedImage('bad/truncated.jpg')) }),
  );
  client.destroy();

  // A profile with a wrong secret, to see the storage refuse; the default "local" one serves S3Proxy.
  const wrong = { endpoint: s3.url, accessKeyId: s3.accessKeyId, secretAccessKey: 'wrong-secret-1234' };
  server = await startTestServer({ FILE_ROOTS: `${sharedDir}/images`, STORAGE_CONFIG: JSON.stringify({ profiles: { wrong } }) });
  alias = imageAlias(process.env.ES_INDEX_PREFIX!);
  pg = new PgClient({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  // The project reads what these tests read: S3Proxy through both profiles, the shared photos, https (off on this server).
  const sources = { storageProfiles: [{ profile: 'local' }, { profile: 'wrong' }], fileRoots: [`${sharedDir}/images`], https: true };
  await server.gql(
    'mutation($n: String!, $s: ProjectSourcesInput) { createProject(input: { name: $n, defaultThreshold: 0.5, sources: $s }) { name } }',
    { n: project, s: sources },
  );
});

afterAll(async () => {
  await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await pg.end();
  await search.close();
  await server.close();
});

describe('detectImageLabels', () => {
  it('labels an oss:// image, stores it with its labels in one go, and indexes it', async () => {
    const result = await server.gql(DETECT, {
      input: { projectName: project, sourceURI: `oss://${bucket}/photos/chelsea.png`, language: 'EN' },
    });
    expect(result.body.errors).toBeUndefined();
    const payload = result.body.data!.detectImageLabels;
    expect(payload.requestId).toBe(result.headers.get('x-request-id'));
    expect(payload.image).toMatchObject({
      projectName: project,
      sourceURI: `oss://${bucket}/photos/chelsea.png`,
      width: 451,
      height: 300,
      format: 'png',
    });
    const cat = payload.labels.find((l: { labelId: string }) => l.labelId === 'cat');
    expect(cat).toMatchObject({
      language: 'EN',
      labelName: 'cat',
      labelLevel: 2,
      parentLabelId: 'animal',
      parentLabelName: 'animal',
      clips: [],
    });
    expect(cat.labelConfidence).toBeGreaterThan(0.5);

    const rows = await pg.query('SELECT label_id, confidence FROM image_labels WHERE image_id = $1 ORDER BY confidence DESC, label_id', [
      payload.image.id,
    ]);
    expect(rows.rows.map((r) => r.label_id).sort()).toEqual(payload.labels.map((l: { labelId: string }) => l.labelId).sort());
    const detection = await pg.query('SELECT request_id, label_count, model_version FROM detections WHERE image_id = $1', [
      payload.image.id,
    ]);
    expect(detection.rows).toEqual([
      { request_id: payload.requestId, label_count: payload.labels.length, model_version: payload.image.modelVersion },
    ]);

    const doc = (await indexed(payload.image.id))!;
    expect(doc.labelIds).toEqual(expect.arrayContaining(['cat', 'animal']));
    expect(doc.labels.find((l: { id: string }) => l.id === 'cat')).toMatchObject({
      level: expect.any(Number),
      confidence: expect.any(Number),
    });
    expect(doc.labelNames).toEqual(expect.arrayContaining(['cat', '猫']));

    // Fixed-class packs embed nothing: no vector in Postgres nor in the document.
    const embedding = await pg.query('SELECT cardinality(embedding) AS dims, embedding_model FROM images WHERE id = $1', [
      payload.image.id,
    ]);
    expect(embedding.rows).toEqual([{ dims: 0, embedding_model: null }]);
    expect(doc.embeddings).toBeUndefined();
  });

  it('semantic search needs a dual-encoder pack: ServiceUnavailable with fixed-class ones, saying so', async () => {
    const query = 'query($p: String!) { searchImages(projectName: $p, text: "a cat", mode: SEMANTIC) { totalCount } }';
    const [error] = (await server.gql(query, { p: project })).body.errors!;
    expect(error.extensions.code).toBe('ServiceUnavailable');
    expect(error.message).toMatch(/dual-encoder/);
  });

  it('detecting the same image again replaces its labels, never duplicates them', async () => {
    const uri = `s3://${bucket}/photos/coffee.png`;
    const first = (await server.gql(DETECT, { input: { projectName: project, sourceURI: uri, threshold: 0.3 } })).body.data!
      .detectImageLabels;
    // Read back, the image lists its labels as the detection did. Ties included: "tableware" and
    // its child "cup" have the same confidence here; the specific cup is listed before the
    // tableware it implies. (Where they rank moves with the CPU's int8 kernels.)
    const read = (await server.gql(IMAGE, { id: first.image.id })).body.data!.image;
    expect(read.labels).toEqual(
      first.labels.map((l: Record<string, unknown>) => ({
        labelId: l.labelId,
        labelName: l.labelName,
        labelConfidence: l.labelConfidence,
      })),
    );
    const ids: string[] = read.labels.map((l: { labelId: string }) => l.labelId);
    const tableware = ids.indexOf('tableware');
    const cup = ids.indexOf('cup');
    expect(cup).toBeGreaterThanOrEqual(0);
    expect(tableware).toBeGreaterThan(cup);
    expect(read.labels[cup].labelConfidence).toBe(read.labels[tableware].labelConfidence);
    const second = (await server.gql(DETECT, { input: { projectName: project, sourceURI: uri, threshold: 0.8 } })).body.data!
      .detectImageLabels;
    expect(second.image.id).toBe(first.image.id);
    expect(second.labels.length).toBeLessThan(first.labels.length);
    expect(await count('SELECT count(*) FROM image_labels WHERE image_id = $1', [first.image.id])).toBe(second.labels.length);
    expect(await count('SELECT count(*) FROM detections WHERE image_id = $1', [first.image.id])).toBe(2);
    expect(await count('SELECT count(*) FROM images WHERE source_uri = $1', [uri])).toBe(1);
  });

  it('speaks Chinese by default and reads stored labels in either language', async () => {
    const payload = (
      await server.gql(DETECT, { input: { projectName: project, sourceURI: `file://${sharedDir}/images/darknet/giraffe.jpg` } })
    ).body.data!.detectImageLabels;
    expect(payload.labels[0].language).toBe('ZH_HANS');
    expect(payload.labels.map((l: { labelName: string }) => l.labelName)).toContain('长颈鹿');
    const english = (await server.gql(IMAGE, { id: payload.image.id, language: 'EN' })).body.data!.image;
    expect(english.labels.map((l: { labelName: string }) => l.labelName)).toContain('giraffe');
  });

  it('batch: each item stands alone, one bad item does not fail the others', async () => {
    const before = await stored();
    const result = await server.gql(BATCH, {
      inputs: [
        { projectName: project, sourceURI: `oss://${bucket}/darknet/dog.jpg` },
        { projectName: project, sourceURI: `oss://${bucket}/notes.txt` },
        { projectName: project, sourceURI: `oss://${bucket}/missing.png` },
      ],
    });
    const [ok, notImage, missing] = result.body.data!.detectImageLabelsBatch;
    expect(ok.error).toBeNull();
    expect(ok.result.labels.map((l: { labelId: string }) => l.labelId)).toEqual(expect.arrayContaining(['dog', 'bicycle']));
    expect(notImage).toMatchObject({ result: null, error: { code: 'InvalidArgument' } });
    expect(missing).toMatchObject({ result: null, error: { code: 'ResourceNotFound' } });
    expect((await stored()).images).toBe(before.images + 1);
  });

  it('lists a project’s images newest first, page by page, and deletes one everywhere', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Record<string, any> = (await server.gql(IMAGES, { projectName: project, first: 2, after })).body.data!.images;
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      expect(page.totalCount).toBe((await stored()).images);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe((await stored()).images);

    const victim = seen[0];
    await indexed(victim);
    const deleted = await server.gql('mutation($id: ID!) { deleteImage(id: $id) { id } }', { id: victim });
    expect(deleted.body.data!.deleteImage.id).toBe(victim);
    expect(await count('SELECT count(*) FROM images WHERE id = $1', [victim])).toBe(0);
    await indexed(victim, false);
    expect((await server.gql(IMAGE, { id: victim })).body.errors![0].extensions.code).toBe('ResourceNotFound');
  });

  it('deletes an image once when several requests delete it at the same time; the others get ResourceNotFound', async () => {
    const detected = await server.gql(DETECT, { input: { projectName: project, sourceURI: `oss://${bucket}/photos/coffee.png` } });
    const id: string = detected.body.data!.detectImageLabels.image.id;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => server.gql('mutation($id: ID!) { deleteImage(id: $id) { id } }', { id })),
    );
    const codes = answers.map((answer) => answer.body.errors?.[0]?.extensions.code ?? 'deleted').sort();
    expect(codes).toEqual(['ResourceNotFound', 'ResourceNotFound', 'ResourceNotFound', 'ResourceNotFound', 'ResourceNotFound', 'deleted']);
    expect(await count('SELECT count(*) FROM outbox_events WHERE image_id = $1 AND operation = $2', [id, 'delete'])).toBeLessThanOrEqual(1);
  });
});

describe('bad input through GraphQL: an IMM code, and nothing written', () => {
  const input = (extra: Record<string, unknown>) => ({
    input: { projectName: project, sourceURI: `oss://${bucket}/photos/chelsea.png`, ...extra },
  });
  const cases: [string, () => Record<string, unknown>, string][] = [
    ['empty project name', () => input({ projectName: '' }), 'MissingParameter'],
    ['malformed project name', () => input({ projectName: 'Bad_Name' }), 'InvalidArgument'],
    ['unknown project', () => input({ projectName: 'no-such-project-here' }), 'ResourceNotFound'],
    ['empty sourceURI', () => input({ sourceURI: '' }), 'MissingParameter'],
    ['not a URI', () => input({ sourceURI: 'chelsea.png' }), 'InvalidArgument'],
    ['unsupported scheme', () => input({ sourceURI: 'ftp://host/a.png' }), 'InvalidArgument'],
    ['plain http', () => input({ sourceURI: 'http://example.com/a.png' }), 'InvalidArgument'],
    ['https while disabled', () => input({ sourceURI: 'https://example.com/a.png' }), 'AccessDenied'],
    ['invalid bucket name', () => input({ sourceURI: 'oss://UP_per/a.png' }), 'InvalidArgument'],
    ['bucket without key', () => input({ sourceURI: `oss://${bucket}/` }), 'InvalidArgument'],
    ['missing object', () => input({ sourceURI: `oss://${bucket}/nothing.png` }), 'ResourceNotFound'],
    ['missing bucket', () => input({ sourceURI: 'oss://no-such-bucket-x/a.png' }), 'ResourceNotFound'],
    ['unknown credentialConfig', () => input({ credentialConfig: 'nobody' }), 'AccessDenied'],
    ['storage refuses the credentials', () => input({ credentialConfig: 'wrong' }), 'AccessDenied'],
    ['credentialConfig longer than a profile name', () => input({ credentialConfig: 'p'.repeat(300) }), 'InvalidArgument'],
    ['credentialConfig that is no profile name', () => input({ credentialConfig: 'my profile' }), 'InvalidArgument'],
    [
      'credentialConfig for a file:// source',
      () => input({ sourceURI: `file://${sharedDir}/images/photos/coffee.png`, credentialConfig: 'local' }),
      'InvalidArgument',
    ],
    ['image over 20 MB', () => input({ sourceURI: `oss://${bucket}/huge.jpg` }), 'LimitExceeded'],
    ['not an image', () => input({ sourceURI: `oss://${bucket}/notes.txt` }), 'InvalidArgument'],
    ['truncated image', () => input({ sourceURI: `oss://${bucket}/bad/truncated.jpg` }), 'InvalidArgument'],
    ['file outside the roots', () => input({ sourceURI: 'file:///etc/hostname' }), 'AccessDenied'],
    [
      'file with %-encoded .. segments',
      () => input({ sourceURI: `file://${sharedDir}/images/photos/%2E%2E/%2E%2E/README.md` }),
      'InvalidArgument',
    ],
    ['file with a .. segment', () => input({ sourceURI: `file://${sharedDir}/images/photos/../photos/coffee.png` }), 'InvalidArgument'],
    ['file with a . segment', () => input({ sourceURI: `file://${sharedDir}/images/photos/./coffee.png` }), 'InvalidArgument'],
    ['file with an empty segment', () => input({ sourceURI: `file://${sharedDir}/images/photos//coffee.png` }), 'InvalidArgument'],
    ['file URI naming localhost', () => input({ sourceURI: `file://localhost${sharedDir}/images/photos/coffee.png` }), 'InvalidArgument'],
    ['file URI without //', () => input({ sourceURI: `file:${sharedDir}/images/photos/coffee.png` }), 'InvalidArgument'],
    ['scheme in capitals', () => input({ sourceURI: `FILE://${sharedDir}/images/photos/coffee.png` }), 'InvalidArgument'],
    ['file URI with a query', () => input({ sourceURI: `file://${sharedDir}/images/photos/coffee.png?x=1` }), 'InvalidArgument'],
    ['object URI with a fragment', () => input({ sourceURI: `oss://${bucket}/photos/chelsea.png#f` }), 'InvalidArgument'],
    ['object URI with a .. segment', () => input({ sourceURI: `oss://${bucket}/x/../photos/chelsea.png` }), 'InvalidArgument'],
    ['file with an encoded ../', () => input({ sourceURI: `file://${sharedDir}/images/photos%2F..%2F..%2FREADME.md` }), 'InvalidArgument'],
    ['missing file', () => input({ sourceURI: `file://${sharedDir}/images/none.png` }), 'ResourceNotFound'],
    ['threshold above 1', () => input({ threshold: 1.5 }), 'InvalidArgument'],
    ['negative threshold', () => input({ threshold: -0.1 }), 'InvalidArgument'],
    ['maxLabels 0', () => input({ maxLabels: 0 }), 'InvalidArgument'],
    ['maxLabels too large', () => input({ maxLabels: 100000 }), 'InvalidArgument'],
    ['unknown include label', () => input({ includeLabels: ['no-such-label-x'] }), 'InvalidArgument'],
    ['category filter naming a non-category', () => input({ includeCategories: ['cat'] }), 'InvalidArgument'],
    ['unknown language', () => input({ language: 'FR' }), 'InvalidArgument'],
    ['loopback https', () => input({ sourceURI: 'https://127.0.0.1/a.png' }), 'AccessDenied'],
    ['missing input fields', () => ({ input: { projectName: project } }), 'MissingParameter'],
    ['wrong type for threshold', () => input({ threshold: 'high' }), 'InvalidArgument'],
  ];

  it.each(cases)('%s', async (_label, variables, code) => {
    // Earlier tests' outbox events drain in the background; wait, so only this request could change the counts.
    for (let i = 0; i < 100 && (await stored()).outbox > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    const before = await stored();
    const result = await server.gql(DETECT, variables());
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0].extensions.code).toBe(code);
    expect(JSON.stringify(result.body.errors)).not.toMatch(/secret|accessKey|at .*\.ts:\d+|SELECT|prisma/i);
    expect(await stored()).toEqual(before);
  });

  it('a batch larger than MAX_BATCH_ITEMS is LimitExceeded as a whole', async () => {
    const inputs = Array.from({ length: 51 }, () => input({}).input);
    const result = await server.gql(BATCH, { inputs });
    expect(result.body.errors![0].extensions.code).toBe('LimitExceeded');
  });
});

describe('without a model', () => {
  it('detection answers ServiceUnavailable and writes nothing; the rest of the API still works', async () => {
    const bare = await startTestServer({ MODEL_DIR: `${sharedDir}/images`, FILE_ROOTS: `${sharedDir}/images` });
    try {
      const before = await stored();
      const result = await bare.gql(DETECT, { input: { projectName: project, sourceURI: `file://${sharedDir}/images/photos/coffee.png` } });
      expect(result.body.errors![0].extensions.code).toBe('ServiceUnavailable');
      expect(await stored()).toEqual(before);
      expect((await bare.gql(IMAGES, { projectName: project })).body.data!.images.totalCount).toBe(before.images);
    } finally {
      await bare.close();
    }
  });
});
