import { randomBytes } from 'node:crypto';
import { BENCH_QUERIES } from '../../scripts/bench/search/benchQueries';
import { deleteBenchIndex, loadElasticsearch } from '../../scripts/bench/search/elasticsearchLoader';
import { percentile, sampleAlternating, summarize, warmUp } from '../../scripts/bench/search/latency';
import { loadPostgres, postgresStats } from '../../scripts/bench/search/postgresLoader';
import { gatewayPool, rawElasticsearch, viaGateway } from '../../scripts/bench/search/searchCallers';
import { SyntheticDataset } from '../../scripts/bench/search/syntheticImages';
import { loadConfig } from '../../src/config/env';
import { createPrismaClient } from '../../src/persistence/prismaClient';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias } from '../../src/search/imageIndex';
import { buildImageDocument } from '../../src/search/imageDocument';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { LabelTextMatcher } from '../../src/taxonomy/labelTextMatcher';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { startTestServer, TestServer } from '../support/testServer';

// npm run bench:search's pieces on a small dataset, against the real Postgres and Elasticsearch:
// what the loaders write is what the generator made, the gateway serves it, and the raw request
// the bench times finds what the gateway finds.
const DOCS = 2000;
// Small enough that the broad queries count facets on a sample and the narrow ones exactly.
const FACET_SAMPLE = 100;
const taxonomy = loadTaxonomy();
const textMatcher = new LabelTextMatcher(taxonomy);
const search = createSearchClient(loadConfig().ELASTICSEARCH_URL);
const prefix = `${process.env.ES_INDEX_PREFIX}-bench`;
const dataset = new SyntheticDataset({ seed: 7, docs: DOCS }, taxonomy);
let databaseUrl: string;
let server: TestServer | undefined;

beforeAll(async () => {
  databaseUrl = await isolatedDatabase('bench');
}, 120_000);

afterAll(async () => {
  await server?.close();
  await deleteBenchIndex(search, prefix);
  await search.close();
});

describe('bench:search', () => {
  it('generates the same images from the same seed, with labels from the taxonomy and their ancestors', () => {
    const again = new SyntheticDataset({ seed: 7, docs: DOCS }, taxonomy);
    expect(again.image(1234)).toEqual(dataset.image(1234));
    expect(new SyntheticDataset({ seed: 8, docs: DOCS }, taxonomy).image(1234).labels).not.toEqual(dataset.image(1234).labels);
    const images = dataset.images(0, 500);
    for (const image of images) {
      const ids = new Set(image.labels.map((l) => l.labelId));
      for (const id of ids) for (const ancestor of taxonomy.ancestors(id)) expect(ids).toContain(ancestor.id);
    }
    // Skewed: the most popular leaf is on far more images than a typical one.
    const onImages = (id: string) => images.filter((image) => image.labels.some((l) => l.labelId === id)).length;
    expect(onImages(dataset.leavesByPopularity[0].id)).toBeGreaterThan(100);
    expect(onImages(dataset.leavesByPopularity[2000].id)).toBeLessThan(5);
  });

  it('loads Postgres and Elasticsearch with the same images, and reuses a complete load', async () => {
    const pg = await loadPostgres(databaseUrl, dataset);
    const es = await loadElasticsearch(search, prefix, dataset, { batch: 500, concurrency: 2 });
    expect([pg.loaded, es.loaded]).toEqual([true, true]);
    const labelRows = dataset.images(0, DOCS).reduce((sum, image) => sum + image.labels.length, 0);
    expect(await postgresStats(databaseUrl)).toMatchObject({ images: DOCS, labels: labelRows });
    expect((await search.count({ index: imageAlias(prefix) })).count).toBe(DOCS);
    expect(es.bulkDocsPerSecond).toBeGreaterThan(0);

    // What Elasticsearch holds is the document the relay would build from the Postgres rows.
    const prisma = createPrismaClient(databaseUrl);
    try {
      const id = dataset.image(42).id;
      const stored = await prisma.image.findUniqueOrThrow({
        where: { id },
        include: { labels: { orderBy: { labelId: 'asc' } }, project: true },
      });
      const indexed = await search.get({ index: imageAlias(prefix), id });
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      const source = indexed._source as ReturnType<typeof buildImageDocument>;
      expect({ ...source, labels: [...source.labels].sort(byId) }).toEqual(buildImageDocument(stored, stored.project.name, taxonomy));
    } finally {
      await prisma.$disconnect();
    }

    const [pgAgain, esAgain] = [await loadPostgres(databaseUrl, dataset), await loadElasticsearch(search, prefix, dataset)];
    expect([pgAgain.loaded, esAgain.loaded]).toEqual([false, false]);
  }, 120_000);

  it('times every query through GraphQL and raw, and both find the same images', async () => {
    const apiKey = randomBytes(36).toString('base64url');
    server = await startTestServer({
      DATABASE_URL: databaseUrl,
      ES_INDEX_PREFIX: prefix,
      ADMIN_API_KEY: apiKey,
      SEARCH_FACET_SAMPLE_SIZE: String(FACET_SAMPLE),
    });
    const [project] = dataset.projects;
    const facetModes = new Set<boolean>();
    const pool = gatewayPool(server.url);
    for (const query of BENCH_QUERIES) {
      const graphql = viaGateway(pool, apiKey, query, project.name);
      const raw = rawElasticsearch(search, imageAlias(prefix), query, project.id, { textMatcher, taxonomy }, FACET_SAMPLE);
      const [viaGraphql, viaRaw] = [await graphql(), await raw()];
      // The same total and the same page, in the same order, and the same facet counts, sampled or not.
      expect({ query: query.name, ...viaGraphql }).toEqual({ query: query.name, ...viaRaw });
      facetModes.add(viaRaw.facetsExact);
      expect(viaRaw.imageIds.length).toBeGreaterThan(0);
    }
    expect([...facetModes].sort()).toEqual([false, true]);
    const [first] = BENCH_QUERIES;
    try {
      const raw = rawElasticsearch(search, imageAlias(prefix), first, project.id, { textMatcher, taxonomy }, FACET_SAMPLE);
      const durations = await sampleAlternating({ graphql: viaGateway(pool, apiKey, first, project.name), raw }, { warmup: 1, samples: 5 });
      expect(Object.values(durations).map((d) => d.length)).toEqual([5, 5]);
      expect(summarize(durations.raw).p99).toBeGreaterThan(0);
      // The warm-up runs every query both ways, round after round, and reports each window's medians.
      const calls = new Map<string, number>();
      const counted = (name: string, call: () => Promise<unknown>) => () => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return call();
      };
      const workloads = BENCH_QUERIES.slice(0, 2).map((query, i) => ({
        graphql: counted(`graphql ${i}`, viaGateway(pool, apiKey, query, project.name)),
        raw: counted(`raw ${i}`, rawElasticsearch(search, imageAlias(prefix), query, project.id, { textMatcher, taxonomy }, FACET_SAMPLE)),
      }));
      const windows = await warmUp(workloads, { seconds: 1.5, windowSeconds: 0.5 });
      expect(windows.length).toBeGreaterThanOrEqual(3);
      for (const window of windows) {
        expect(Object.keys(window.p50)).toEqual(['graphql', 'raw']);
        expect(window.calls).toBeGreaterThan(0);
      }
      expect(windows.at(-1)!.endSeconds).toBeGreaterThanOrEqual(1.5);
      // Whole rounds: every workload ran under both paths equally often.
      expect(new Set(calls.values()).size).toBe(1);
      expect(calls.size).toBe(4);
      expect(await warmUp(workloads, { seconds: 0, windowSeconds: 0.5 })).toEqual([]);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100), percentile([7], 99)]).toEqual([50, 99, 100, 7]);
  });
});
