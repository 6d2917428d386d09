import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { makeTinyDualEncoder } from '../../scripts/tinyPack/makeTinyDualEncoder';
import { loadConfig } from '../../src/config/env';
import { DualEncoder } from '../../src/detection/backends/dualEncoder';
import { decodeImage } from '../../src/detection/imageDecoder';
import { loadPack } from '../../src/detection/packs/packLoader';
import { ImageRepository } from '../../src/persistence/imageRepository';
import { createPgPool, createPrismaClient } from '../../src/persistence/prismaClient';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias, vectorFieldOf, vectorKeyOf } from '../../src/search/imageIndex';
import { reindexImages } from '../../src/search/reindex';
import { semanticSearch } from '../../src/search/semanticSearch';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { sharedDir } from '../support/sharedData';
import { GraphQLResult, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Semantic search end to end with the tiny dual-encoder pack (real tokenizer, real ONNX inference):
// images are detected through detectImageLabels, their embeddings stored in Postgres and indexed by
// the relay, and searchImages(mode: SEMANTIC) ranks them by kNN in the real Elasticsearch. Every
// expectation comes from the model's own embeddings, computed here independently.
const config = loadConfig();
const pool = createPgPool(config.DATABASE_URL);
const prisma = createPrismaClient(pool);
const search = createSearchClient(config.ELASTICSEARCH_URL);
const stores = { prisma, search, databaseUrl: config.DATABASE_URL };
const taxonomy = loadTaxonomy();
const project = uniqueName('semantic');
const alias = imageAlias(config.ES_INDEX_PREFIX);

// Solid colours (and one half red, half blue), all far apart for the colour-only tiny model.
const COLOURS: Record<string, [number, number, number]> = {
  red: [230, 20, 20],
  darkred: [150, 10, 10],
  orange: [240, 140, 20],
  green: [20, 200, 20],
  blue: [20, 20, 230],
  white: [245, 245, 245],
  black: [10, 10, 10],
};
const SPLIT = 'redblue';
const NAMES = [...Object.keys(COLOURS), SPLIT];

let workDir: string;
let server: TestServer;
let model: DualEncoder;
const files: Record<string, Buffer> = {};
/** Per image: id, stored label ids, and its embedding as the model computes it here. */
const images: Record<string, { id: string; labelIds: string[]; embedding: Float32Array }> = {};

const SEARCH = `query($p: String!, $text: String, $mode: SearchMode, $filter: SearchImagesFilter, $sort: SearchSort, $first: Int, $after: String) {
  searchImages(projectName: $p, text: $text, mode: $mode, filter: $filter, sort: $sort, first: $first, after: $after, language: EN) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor } nodes { id sourceURI }
    facets { labels { labelId count } levels { level count } } } }`;
const DETECT = `mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id modelVersion } labels { labelId } } }`;

const run = (variables: Record<string, unknown>): Promise<GraphQLResult> =>
  server.gql(SEARCH, { p: project, mode: 'SEMANTIC', ...variables });
const namesOf = (result: GraphQLResult): string[] => {
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.searchImages.nodes.map((n: { sourceURI: string }) => n.sourceURI.replace(/^.*\/|\.png$/g, ''));
};
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, v, i) => sum + v * b[i], 0);

/** The images (of those named) ordered by the model's cosine similarity to the text, nearest first. */
async function expectedOrder(text: string, among: string[] = NAMES): Promise<string[]> {
  const query = await model.embedText(text);
  const scored = among.map((name) => ({ name, similarity: dot(query, images[name].embedding) }));
  scored.sort((a, b) => b.similarity - a.similarity);
  // Neighbours must be told apart beyond float32 rounding, or the expectation would be a coin toss.
  scored.slice(1).forEach((s, i) => expect(scored[i].similarity - s.similarity).toBeGreaterThan(1e-4));
  return scored.map((s) => s.name);
}

async function waitIndexed(ids: string[], index = alias) {
  for (let i = 0; i < 100; i += 1) {
    await search.indices.refresh({ index });
    const { count } = await search.count({ index, query: { terms: { imageId: ids } } });
    if (count === ids.length) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('images were not indexed');
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'labelgate-semantic-'));
  const packDir = await makeTinyDualEncoder(
    join(workDir, 'pack'),
    resolve(sharedDir, 'models', 'clip-vit-b32-tokenizer', 'tokenizer.json'),
  );
  const photos = join(workDir, 'photos');
  mkdirSync(photos);
  for (const [name, [r, g, b]] of Object.entries(COLOURS)) {
    files[name] = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  }
  const half = (r: number, g: number, b: number) =>
    sharp({ create: { width: 32, height: 48, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  files[SPLIT] = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([
      { input: await half(230, 20, 20), left: 0, top: 0 },
      { input: await half(20, 20, 230), left: 32, top: 0 },
    ])
    .png()
    .toBuffer();
  for (const name of NAMES) writeFileSync(join(photos, `${name}.png`), files[name]);

  const pack = await loadPack(packDir);
  if (pack.manifest.kind !== 'dual-encoder') throw new Error('expected a dual encoder');
  model = await DualEncoder.create(pack, pack.manifest, [{ id: 'x', en: 'x' }], 'test', join(workDir, 'cache'), 1);

  server = await startTestServer({ MODEL_DIR: packDir, FILE_ROOTS: photos });
  await server.gql(
    'mutation($n: String!, $r: String!) { createProject(input: { name: $n, defaultThreshold: 0.5, sources: { fileRoots: [$r] } }) { name } }',
    { n: project, r: photos },
  );
  for (const name of NAMES) {
    const result = await server.gql(DETECT, { input: { projectName: project, sourceURI: `file://${photos}/${name}.png` } });
    expect(result.body.errors).toBeUndefined();
    const { image, labels } = result.body.data!.detectImageLabels;
    const [embedding] = await model.embed([await decodeImage(files[name])]);
    images[name] = { id: image.id, labelIds: labels.map((l: { labelId: string }) => l.labelId), embedding };
  }
  await waitIndexed(NAMES.map((name) => images[name].id));
});

afterAll(async () => {
  await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await server?.close();
  await model?.close();
  await Promise.all([prisma.$disconnect(), search.close()]);
  await pool.end();
  rmSync(workDir, { recursive: true, force: true });
});

describe('embeddings of detected images', () => {
  it('are stored in Postgres with the model that made them, as the model computes them, and indexed', async () => {
    for (const name of NAMES) {
      const row = await prisma.image.findUniqueOrThrow({ where: { id: images[name].id } });
      expect(row.embeddingModel).toBe(model.embeddingModel);
      expect(row.embedding).toHaveLength(images[name].embedding.length);
      row.embedding.forEach((v, d) => expect(v).toBeCloseTo(images[name].embedding[d], 5));
      expect(dot(row.embedding, row.embedding)).toBeCloseTo(1, 4);

      const doc = (await search.search({ index: alias, query: { term: { imageId: images[name].id } } })).hits.hits[0]._source as Record<
        string,
        any
      >;
      expect(Object.keys(doc.embeddings)).toEqual([vectorKeyOf(model.embeddingModel)]);
      expect(doc.embeddings[vectorKeyOf(model.embeddingModel)]).toEqual(row.embedding);
    }
    const mapping = await search.indices.getFieldMapping({ index: alias, fields: vectorFieldOf(model.embeddingModel) });
    const field = Object.values(mapping)[0].mappings[vectorFieldOf(model.embeddingModel)].mapping;
    expect(Object.values(field)[0]).toMatchObject({ type: 'dense_vector', dims: images.red.embedding.length, similarity: 'cosine' });
  });
});

describe('searchImages(mode: SEMANTIC)', () => {
  it.each(['red', 'blue', 'green', 'white', 'black'])('ranks every image by its similarity to "%s", as the model does', async (text) => {
    const result = await run({ text, first: 20 });
    expect(namesOf(result)).toEqual(await expectedOrder(text));
    expect(result.body.data!.searchImages.totalCount).toBe(NAMES.length);
  });

  it('accepts sort RELEVANCE (the same ranking)', async () => {
    expect(namesOf(await run({ text: 'blue', sort: 'RELEVANCE' }))).toEqual(await expectedOrder('blue'));
  });

  it('pages through the ranking once, with the same counts and facets on every page', async () => {
    const seen: string[] = [];
    const facets: unknown[] = [];
    let after: string | null = null;
    do {
      const result = await run({ text: 'red', first: 3, after });
      const page: Record<string, any> = result.body.data!.searchImages;
      expect(page.totalCount).toBe(NAMES.length);
      expect(page.edges.at(-1).cursor).toBe(page.pageInfo.endCursor);
      seen.push(...namesOf(result));
      facets.push(page.facets);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(await expectedOrder('red'));
    expect(new Set(facets.map((f) => JSON.stringify(f))).size).toBe(1);
  });

  it('combines with the label filters: kNN within the filter, facets over it', async () => {
    // A label some images have and some do not, picked from what detection stored.
    const holders = (labelId: string) => NAMES.filter((name) => images[name].labelIds.includes(labelId));
    const label = [...new Set(NAMES.flatMap((name) => images[name].labelIds))].find(
      (id) => holders(id).length >= 2 && holders(id).length <= NAMES.length - 2,
    )!;
    expect(label).toBeDefined();
    const having = holders(label);
    const lacking = NAMES.filter((name) => !having.includes(name));

    const within = await run({ text: 'blue', filter: { allOf: [label], includeDescendants: false } });
    expect(namesOf(within)).toEqual(await expectedOrder('blue', having));
    expect(within.body.data!.searchImages.totalCount).toBe(having.length);
    expect(within.body.data!.searchImages.facets.labels).toContainEqual({ labelId: label, count: having.length });

    const without = await run({ text: 'blue', filter: { noneOf: [label], includeDescendants: false } });
    expect(namesOf(without)).toEqual(await expectedOrder('blue', lacking));
    expect(without.body.data!.searchImages.facets.labels.find((f: { labelId: string }) => f.labelId === label)).toBeUndefined();
  });

  it('leaves out images without an embedding of this model; keyword search still finds them', async () => {
    const projectId = (await prisma.project.findUniqueOrThrow({ where: { name: project } })).id;
    // Stored as a fixed-class pack stores a detection: labels, no embedding.
    const plain = await new ImageRepository(prisma, pool).saveDetection({
      project: { id: projectId, name: project },
      sourceUri: 'file:///elsewhere/plain.png',
      requestId: 'REQ-plain',
      image: { sha256: 'c'.repeat(64), width: 10, height: 10, format: 'png', bytes: 100 },
      labels: [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }],
      modelVersion: 'fixed-classes@1',
      taxonomyVersion: taxonomy.version,
      timings: { decodeMs: 1, inferenceMs: 1, totalMs: 2 },
    });
    server.relay.kick();
    await waitIndexed([plain.id]);
    const row = await prisma.image.findUniqueOrThrow({ where: { id: plain.id } });
    expect([row.embedding, row.embeddingModel]).toEqual([[], null]);

    const semantic = await run({ text: 'red' });
    expect(namesOf(semantic)).toEqual(await expectedOrder('red'));
    expect(semantic.body.data!.searchImages.totalCount).toBe(NAMES.length);
    expect(namesOf(await run({ mode: 'KEYWORD', filter: { allOf: ['cat'] } }))).toEqual(['plain']);
    await server.gql('mutation($id: ID!) { deleteImage(id: $id) { id } }', { id: plain.id });
  });

  it.each([
    [{ text: null }, 'MissingParameter'],
    [{ text: '   ' }, 'MissingParameter'],
    [{ text: 'red', sort: 'CREATED_AT' }, 'InvalidArgument'],
    [{ text: 'red', sort: 'CONFIDENCE' }, 'InvalidArgument'],
    [{ text: 'red', after: 'not-a-cursor' }, 'InvalidArgument'],
    [{ text: 'red', first: 0 }, 'InvalidArgument'],
    [{ text: 'red', filter: { allOf: ['no-such-label-x'] } }, 'InvalidArgument'],
    [{ text: 'red', p: 'no-such-project-x' }, 'ResourceNotFound'],
  ])('%j → %s', async (variables, code) => {
    const result = await run(variables);
    expect(result.body.errors![0].extensions.code).toBe(code);
    expect(result.body.errors![0].message).not.toMatch(/elasticsearch|knn|at .*\.ts:\d+/i);
  });

  it('refuses a cursor of the other mode', async () => {
    const keyword = (await run({ mode: 'KEYWORD', first: 1 })).body.data!.searchImages.pageInfo.endCursor;
    expect((await run({ text: 'red', after: keyword })).body.errors![0].extensions.code).toBe('InvalidArgument');
    const semantic = (await run({ text: 'red', first: 1 })).body.data!.searchImages.pageInfo.endCursor;
    expect((await run({ mode: 'KEYWORD', after: semantic })).body.errors![0].extensions.code).toBe('InvalidArgument');
  });
});

describe('reindex', () => {
  it('rebuilds the vectors from Postgres: the new index ranks as the old one', async () => {
    const prefix = `${config.ES_INDEX_PREFIX}-semantic`;
    const result = await reindexImages(stores, prefix, taxonomy);
    try {
      const projectId = (await prisma.project.findUniqueOrThrow({ where: { name: project } })).id;
      const vector = Array.from(await model.embedText('orange'));
      const request = {
        projectId,
        filter: { allOf: [], anyOf: [], noneOf: [], includeDescendants: true },
        first: 20,
        facetSize: 20,
        facetSampleSize: 0,
        field: vectorFieldOf(model.embeddingModel),
        vector,
      };
      const rebuilt = await semanticSearch(search, imageAlias(prefix), request);
      expect(rebuilt.images.map((image) => image.imageId)).toEqual((await expectedOrder('orange')).map((name) => images[name].id));
      expect(rebuilt).toEqual(await semanticSearch(search, alias, request));
    } finally {
      await search.indices.delete({ index: result.index }, { ignore: [404] });
    }
  });
});
