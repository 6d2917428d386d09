import { Client } from '@elastic/elasticsearch';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { ImageRepository } from '../../src/persistence/imageRepository';
import { createPgPool, createPrismaClient } from '../../src/persistence/prismaClient';
import { ProjectRepository } from '../../src/persistence/projectRepository';
import type { DocumentTaxonomy } from '../../src/search/imageDocument';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { ensureImageIndex, imageIndexName, vectorKeyOf } from '../../src/search/imageIndex';
import { OutboxListener } from '../../src/search/outboxListener';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from '../../src/search/outboxRelay';
import { NO_SOURCES } from '../../src/storage/sourceGrant';
import type { TaxonomyLabel } from '../../src/taxonomy/labelTypes';
import { closedPort } from '../support/net';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { TcpProxy } from '../support/tcpProxy';
import { uniqueName } from '../support/testServer';

// Real Postgres and Elasticsearch; a three-label hierarchy stands in for the full taxonomy.
const rows: TaxonomyLabel[] = [
  { id: 'animals', en: 'animals', zhHans: '动物', level: 1, parentId: null, aliasesEn: [], aliasesZhHans: [], threshold: 0.65 },
  { id: 'cat', en: 'cat', zhHans: '猫', level: 2, parentId: 'animals', aliasesEn: ['kitty'], aliasesZhHans: ['猫咪'], threshold: 0.65 },
  { id: 'tabby', en: 'tabby', zhHans: '虎斑猫', level: 3, parentId: 'cat', aliasesEn: [], aliasesZhHans: [], threshold: 0.65 },
];
const byId = new Map(rows.map((r) => [r.id, r]));
const taxonomy: DocumentTaxonomy = {
  get: (id) => byId.get(id),
  ancestors: (id) => {
    const out: TaxonomyLabel[] = [];
    for (let p = byId.get(id)?.parentId; p; p = byId.get(p)?.parentId) out.push(byId.get(p)!);
    return out;
  },
};

const config = loadConfig();
const search = createSearchClient(config.ELASTICSEARCH_URL);
let databaseUrl: string;
let pool: Pool;
let prisma: ReturnType<typeof createPrismaClient>;
let images: ImageRepository;
let projects: ProjectRepository;
const logger = createLogger('silent');
let alias: string;
let projectId: string;
const projectName = uniqueName('relay');

const save = (
  sourceUri: string,
  labels: { labelId: string; confidence: number; centricScore: number }[],
  embedding?: { model: string; vector: number[] },
) =>
  images.saveDetection({
    project: { id: projectId, name: projectName },
    sourceUri,
    requestId: 'REQ-1',
    image: { sha256: 'a'.repeat(64), width: 10, height: 10, format: 'png', bytes: 100 },
    labels,
    embedding,
    modelVersion: 'test-model@1',
    taxonomyVersion: 'test-taxonomy',
    timings: { decodeMs: 1, inferenceMs: 2, totalMs: 3 },
  });

const pendingFor = (imageId: string) => prisma.outboxEvent.count({ where: { imageId } });
const labelsIndexedFor = async (imageId: string) => (await documentOf(imageId))?.labels.map((l: { id: string }) => l.id);
/** Polls until `condition` holds; how long it took (ms), or a failure after `withinMs`. */
async function waitFor(condition: () => Promise<boolean> | boolean, withinMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}
/** A proxy in front of the real Elasticsearch, to hold or refuse a relay's requests. */
async function searchProxy(): Promise<{ proxy: TcpProxy; client: Client }> {
  const url = new URL(config.ELASTICSEARCH_URL);
  const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 9200) });
  await proxy.up();
  return { proxy, client: createSearchClient(`http://127.0.0.1:${proxy.port}`, 30_000, 0) };
}
const documentOf = async (imageId: string) => {
  await search.indices.refresh({ index: alias });
  const found = await search.search({ index: alias, query: { term: { imageId } } });
  return found.hits.hits[0]?._source as Record<string, any> | undefined;
};

beforeAll(async () => {
  // A database of its own: the other test files' gateways would otherwise drain this outbox.
  databaseUrl = await isolatedDatabase('relay');
  pool = createPgPool(databaseUrl);
  prisma = createPrismaClient(pool);
  images = new ImageRepository(prisma, pool);
  projects = new ProjectRepository(prisma, pool);
  alias = await ensureImageIndex(search, `${config.ES_INDEX_PREFIX}-relay`);
  projectId = (await projects.create({ name: projectName, defaultThreshold: 0.5, sources: NO_SOURCES })).id;
});
afterAll(async () => {
  await projects.delete(projectName).catch(() => undefined);
  await prisma.outboxEvent.deleteMany({ where: { projectId } });
  await search.indices.delete({ index: imageIndexName(`${config.ES_INDEX_PREFIX}-relay`) }, { ignore: [404] });
  await Promise.all([prisma.$disconnect(), search.close()]);
  await pool.end();
});

describe('the outbox relay', () => {
  it('indexes a stored detection with labels, both languages, ancestors and aliases, then empties the outbox', async () => {
    const image = await save('file:///photos/cat.png', [
      { labelId: 'tabby', confidence: 0.8, centricScore: 0.9 },
      { labelId: 'cat', confidence: 0.8, centricScore: 0.9 },
    ]);
    // What saving returns is what a read returns (labels strongest first, ties by id, compared
    // byte by byte in Postgres too, whatever the database's locale).
    expect(image).toEqual(await images.get(image.id));
    expect(image.labels.map((l) => l.labelId)).toEqual(['cat', 'tabby']);
    const [column] = await prisma.$queryRaw<
      { collation: string }[]
    >`SELECT collation_name AS collation FROM information_schema.columns WHERE table_name = 'image_labels' AND column_name = 'label_id'`;
    expect(column.collation).toBe('C');
    expect(await pendingFor(image.id)).toBe(1);
    await new OutboxRelay(prisma, search, alias, taxonomy, logger).processBatch();
    expect(await pendingFor(image.id)).toBe(0);

    const doc = (await documentOf(image.id))!;
    expect(doc).toMatchObject({ projectId, projectName, sourceUri: 'file:///photos/cat.png', width: 10, format: 'png' });
    expect(doc.labelIds).toEqual(['animals', 'cat', 'tabby']);
    expect(doc.categoryIds).toEqual(['animals']);
    expect(doc.labels.find((l: { id: string }) => l.id === 'tabby')).toMatchObject({ level: 3, path: ['animals', 'cat'], confidence: 0.8 });
    expect(doc.parentIds).toEqual(['animals', 'cat']);
    expect(doc.labelLevels).toEqual([2, 3]);
    expect(doc.labelNames).toEqual(expect.arrayContaining(['tabby', '虎斑猫', 'cat', '猫']));
    expect(doc.labelAliases).toEqual(expect.arrayContaining(['kitty', '猫咪']));
  });

  it('detecting again replaces labels (never duplicates) and the document follows', async () => {
    const first = await save('file:///photos/again.png', [{ labelId: 'cat', confidence: 0.7, centricScore: 0.5 }]);
    const second = await save('file:///photos/again.png', [{ labelId: 'tabby', confidence: 0.9, centricScore: 0.8 }]);
    expect(second.id).toBe(first.id);
    expect(second.labels.map((l) => l.labelId)).toEqual(['tabby']);
    expect(await prisma.detection.count({ where: { imageId: first.id } })).toBe(2);
    await new OutboxRelay(prisma, search, alias, taxonomy, logger).processBatch();
    expect((await documentOf(first.id))!.labels.map((l: { id: string }) => l.id)).toEqual(['tabby']);
  });

  it('detecting again keeps the labels still seen (with their new scores), drops the others, and keeps the first stored time', async () => {
    const first = await save('file:///photos/kept.png', [
      { labelId: 'cat', confidence: 0.7, centricScore: 0.5 },
      { labelId: 'tabby', confidence: 0.6, centricScore: 0.4 },
    ]);
    const second = await save('file:///photos/kept.png', [
      { labelId: 'cat', confidence: 0.9, centricScore: 0.8 },
      { labelId: 'animals', confidence: 0.9, centricScore: 0.8 },
    ]);
    expect(second).toEqual(await images.get(first.id));
    expect(second.labels.map((l) => [l.labelId, l.confidence, l.centricScore])).toEqual([
      ['animals', 0.9, 0.8],
      ['cat', 0.9, 0.8],
    ]);
    expect(second.createdAt).toEqual(first.createdAt);
    expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
    expect(await pendingFor(first.id)).toBe(2);
  });

  it('two detections of one image at once leave exactly one of them, never a mix of their labels', async () => {
    const a = [
      { labelId: 'cat', confidence: 0.7, centricScore: 0.5 },
      { labelId: 'tabby', confidence: 0.6, centricScore: 0.4 },
    ];
    const b = [{ labelId: 'animals', confidence: 0.9, centricScore: 0.8 }];
    for (let round = 0; round < 5; round += 1) {
      const uri = `file:///photos/race-${round}.png`;
      const [saved] = await Promise.all([save(uri, a), save(uri, b)]);
      const stored = (await images.get(saved.id)).labels.map((l) => l.labelId).sort();
      expect([['cat', 'tabby'], ['animals']]).toContainEqual(stored);
    }
  });

  it('writes nothing for a project deleted since it was looked up', async () => {
    const gone = await projects.create({ name: uniqueName('gone'), defaultThreshold: 0.5, sources: NO_SOURCES });
    await projects.delete(gone.name);
    const saving = images.saveDetection({
      project: { id: gone.id, name: gone.name },
      sourceUri: 'file:///photos/late.png',
      requestId: 'REQ-2',
      image: { sha256: 'b'.repeat(64), width: 10, height: 10, format: 'png', bytes: 100 },
      labels: [{ labelId: 'cat', confidence: 0.7, centricScore: 0.5 }],
      modelVersion: 'test-model@1',
      taxonomyVersion: 'test-taxonomy',
      timings: { decodeMs: 1, inferenceMs: 2, totalMs: 3 },
    });
    await expect(saving).rejects.toMatchObject({ code: 'ResourceNotFound', message: `Project "${gone.name}" does not exist.` });
    expect(await prisma.image.count({ where: { projectId: gone.id } })).toBe(0);
    expect(await prisma.outboxEvent.count({ where: { projectId: gone.id } })).toBe(0);
  });

  it('indexes the embedding under its model, rebuilt from Postgres; a detection without one removes it', async () => {
    const vector = [0.6, 0, 0.8];
    const uri = 'file:///photos/embedded.png';
    const image = await save(uri, [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }], { model: 'tiny@1', vector });
    const row = await prisma.image.findUniqueOrThrow({ where: { id: image.id } });
    expect(row.embeddingModel).toBe('tiny@1');
    row.embedding.forEach((v, d) => expect(v).toBeCloseTo(vector[d], 6));
    const relay = new OutboxRelay(prisma, search, alias, taxonomy, logger);
    await relay.processBatch();
    expect((await documentOf(image.id))!.embeddings).toEqual({ [vectorKeyOf('tiny@1')]: row.embedding });

    await save(uri, [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }]);
    expect(await prisma.image.findUniqueOrThrow({ where: { id: image.id }, select: { embedding: true, embeddingModel: true } })).toEqual({
      embedding: [],
      embeddingModel: null,
    });
    await relay.processBatch();
    expect((await documentOf(image.id))!.embeddings).toBeUndefined();

    // A zero vector has no direction (Elasticsearch refuses it under cosine): the image is indexed without it.
    await save(uri, [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }], { model: 'tiny@1', vector: [0, 0, 0] });
    await relay.processBatch();
    expect(await pendingFor(image.id)).toBe(0);
    expect((await documentOf(image.id))!).toMatchObject({ labelIds: ['animals', 'cat'] });
    expect((await documentOf(image.id))!.embeddings).toBeUndefined();
  });

  it('keeps events while Elasticsearch is unreachable and indexes them once it answers', async () => {
    const image = await save('file:///photos/offline.png', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }]);
    const unreachable = new Client({ node: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0, requestTimeout: 2000 });
    await expect(new OutboxRelay(prisma, unreachable, alias, taxonomy, logger).processBatch()).rejects.toThrow();
    await unreachable.close();
    expect(await pendingFor(image.id)).toBe(1);
    expect(await documentOf(image.id)).toBeUndefined();

    await new OutboxRelay(prisma, search, alias, taxonomy, logger).processBatch();
    expect(await pendingFor(image.id)).toBe(0);
    expect((await documentOf(image.id))!.sourceUri).toBe('file:///photos/offline.png');
  });

  it('of two relays racing over one image, the older state landing last does not replace the newer', async () => {
    const { proxy, client: slowSearch } = await searchProxy();
    proxy.freeze();
    try {
      const image = await save('file:///photos/race.png', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }]);
      // Relay A reads the first state; its bulk request then hangs at the frozen proxy.
      const slow = new OutboxRelay(prisma, slowSearch, alias, taxonomy, logger).processBatch();
      await waitFor(() => proxy.connections > 0, 10_000);
      // The image changes; relay B (A holds the first event) indexes the second state.
      await save('file:///photos/race.png', [{ labelId: 'tabby', confidence: 0.9, centricScore: 0.9 }]);
      expect(await new OutboxRelay(prisma, search, alias, taxonomy, logger).processBatch()).toBe(1);
      expect(await labelsIndexedFor(image.id)).toEqual(['tabby']);

      await proxy.up();
      expect(await slow).toBe(1);
      expect(await labelsIndexedFor(image.id)).toEqual(['tabby']);
      expect(await pendingFor(image.id)).toBe(0); // A's event is done: a newer state is indexed
    } finally {
      await proxy.up();
      await slowSearch.close();
      await proxy.down();
    }
  });

  it('a relay in another process wakes on new events (LISTEN/NOTIFY), not at its next poll', async () => {
    const relay = new OutboxRelay(prisma, search, alias, taxonomy, logger, { ...DEFAULT_RELAY_OPTIONS, pollMs: 600_000 });
    const listener = new OutboxListener(databaseUrl, () => relay.kick(), logger);
    relay.start();
    await listener.start();
    try {
      await waitFor(async () => (await prisma.outboxEvent.count()) === 0, 10_000);
      // Written through another connection with no kick, as another gateway's detection is.
      const image = await save('file:///photos/elsewhere.png', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }]);
      await waitFor(async () => (await pendingFor(image.id)) === 0, 5_000);
      expect(await labelsIndexedFor(image.id)).toEqual(['cat']);
    } finally {
      await listener.stop();
      await relay.stop();
    }
  });

  it('after an outage, indexes as soon as Elasticsearch answers again rather than after its long backoff', async () => {
    const { proxy, client: proxiedSearch } = await searchProxy();
    await proxy.down();
    const relay = new OutboxRelay(prisma, proxiedSearch, alias, taxonomy, logger, { ...DEFAULT_RELAY_OPTIONS, minBackoffMs: 20_000 });
    try {
      const image = await save('file:///photos/outage.png', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }]);
      relay.start(); // fails at once, then backs off for 20 s
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await pendingFor(image.id)).toBe(1);
      await proxy.up();
      const tookMs = await waitFor(async () => (await pendingFor(image.id)) === 0, 8_000);
      expect(tookMs).toBeLessThan(8_000);
      expect(await labelsIndexedFor(image.id)).toEqual(['cat']);
    } finally {
      await relay.stop();
      await proxiedSearch.close();
      await proxy.down();
    }
  });

  it('removes the documents of deleted images and of deleted projects', async () => {
    const image = await save('file:///photos/gone.png', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }]);
    const relay = new OutboxRelay(prisma, search, alias, taxonomy, logger);
    await relay.processBatch();
    await images.delete(image.id);
    await relay.processBatch();
    expect(await documentOf(image.id)).toBeUndefined();

    const remaining = await prisma.image.findMany({ where: { projectId } });
    expect(remaining.length).toBeGreaterThan(0);
    await projects.delete(projectName);
    await relay.processBatch();
    for (const left of remaining) expect(await documentOf(left.id)).toBeUndefined();
    expect(await prisma.outboxEvent.count({ where: { projectId } })).toBe(0);

    // A detection finishing after its project went (it was looked up before): ResourceNotFound, nothing written.
    await expect(save('file:///photos/late.png', [{ labelId: 'cat', confidence: 0.9, centricScore: 0.9 }])).rejects.toMatchObject({
      code: 'ResourceNotFound',
      message: `Project "${projectName}" does not exist.`,
    });
    expect(await prisma.image.count({ where: { sourceUri: 'file:///photos/late.png' } })).toBe(0);
    expect(await prisma.outboxEvent.count({ where: { projectId } })).toBe(0);
  });
});
