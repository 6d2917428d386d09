// `npm run bench:search`: loads synthetic images (labels from the real taxonomy, Zipf-skewed) into
// a bench database and a bench index of their own, then times representative faceted searches
// through the GraphQL gateway and the very same requests sent raw to Elasticsearch, all in one
// run. A complete dataset from an earlier run (same seed, size, generator, mapping and taxonomy)
// is reused; --reload loads it again. Needs the services (npm run services -- up).
//
//   node dist/scripts/bench/benchSearch.js [--docs 1000000] [--seed 42] [--samples 200] [--warmup 20] [--warmup-seconds 90] [--reload] [--cleanup]
import './productionMode';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startLabelgate } from '../../src/app';
import { loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias } from '../../src/search/imageIndex';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { LabelTextMatcher } from '../../src/taxonomy/labelTextMatcher';
import { BENCH_QUERIES, FACET_SIZE, PAGE_SIZE } from './search/benchQueries';
import { deleteBenchIndex, indexBytes, loadElasticsearch } from './search/elasticsearchLoader';
import { sampleAlternating, warmUp, WarmupWindow } from './search/latency';
import { dropBenchDatabase, ensureBenchDatabase, loadPostgres, postgresStats } from './search/postgresLoader';
import { buildReport, printReport, SampledQuery, writeReport } from './search/report';
import { gatewayPool, rawElasticsearch, viaGateway } from './search/searchCallers';
import { SyntheticDataset } from './search/syntheticImages';

export const BENCH_DATABASE = 'labelgate_bench';
export const BENCH_INDEX_PREFIX = 'labelgate-bench';
/** Loading's refresh and force-merge run for minutes at a million documents. */
const LOAD_TIMEOUT_MS = 60 * 60_000;
/** The warm-up's medians are reported per window of this many seconds. */
const WARMUP_WINDOW_SECONDS = 15;

function options() {
  const { values } = parseArgs({
    options: {
      docs: { type: 'string', default: '1000000' },
      seed: { type: 'string', default: '42' },
      samples: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '20' },
      'warmup-seconds': { type: 'string', default: '90' },
      reload: { type: 'boolean', default: false },
      cleanup: { type: 'boolean', default: false },
    },
  });
  const count = (name: 'docs' | 'seed' | 'samples' | 'warmup' | 'warmup-seconds', min: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  return {
    docs: count('docs', 1),
    seed: count('seed', 0),
    samples: count('samples', 1),
    warmup: count('warmup', 0),
    warmupSeconds: count('warmup-seconds', 0),
    reload: values.reload!,
    cleanup: values.cleanup!,
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** Progress on stderr, about every tenth. */
const progress = (what: string, total: number) => {
  let shown = 0;
  return (done: number) => {
    if (done >= shown + total / 10 || done === total) {
      shown = done;
      process.stderr.write(`[bench:search] ${what}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}\n`);
    }
  };
};

async function main(): Promise<void> {
  const opts = options();
  const startedAt = new Date().toISOString();
  const config = loadConfig();
  const taxonomy = loadTaxonomy();
  const textMatcher = new LabelTextMatcher(taxonomy);
  const dataset = new SyntheticDataset({ seed: opts.seed, docs: opts.docs }, taxonomy);
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  const alias = imageAlias(BENCH_INDEX_PREFIX);

  const databaseUrl = await ensureBenchDatabase(config.DATABASE_URL, BENCH_DATABASE);
  const postgresLoad = await loadPostgres(databaseUrl, dataset, { reload: opts.reload, onProgress: progress('Postgres rows', opts.docs) });
  const loader = createSearchClient(config.ELASTICSEARCH_URL, LOAD_TIMEOUT_MS);
  const elasticsearchLoad = await loadElasticsearch(loader, BENCH_INDEX_PREFIX, dataset, {
    reload: opts.reload,
    onProgress: progress('Elasticsearch documents', opts.docs),
  }).finally(() => loader.close());

  // The real gateway, in process, on the bench database and index; an admin key of this run's own.
  const apiKey = randomBytes(36).toString('base64url');
  const gatewayConfig = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    ES_INDEX_PREFIX: BENCH_INDEX_PREFIX,
    ADMIN_API_KEY: apiKey,
    RATE_LIMIT_PROJECT_QPS: '1000000',
    LOG_LEVEL: 'silent',
  });
  const gateway = await startLabelgate(gatewayConfig, createLogger('silent'));
  // Every sample repeats its query: Elasticsearch's request cache would answer the facets from
  // memory after the first. Off on the bench index, each sample counts them again.
  await search.indices.putSettings({ index: alias, settings: { 'index.requests.cache.enable': false } });
  const pool = gatewayPool(gateway.url);
  const [project] = dataset.projects;
  const sampled: SampledQuery[] = [];
  let warmup: WarmupWindow[];
  try {
    const callers = [];
    for (const query of BENCH_QUERIES) {
      const graphql = viaGateway(pool, apiKey, query, project.name);
      const raw = rawElasticsearch(search, alias, query, project.id, { textMatcher, taxonomy }, gatewayConfig.SEARCH_FACET_SAMPLE_SIZE);
      const [viaGraphql, viaRaw] = [await graphql(), await raw()];
      if (JSON.stringify(viaGraphql) !== JSON.stringify(viaRaw)) {
        throw new Error(
          `"${query.name}": the gateway found ${viaGraphql.totalCount} images, the raw requests ${viaRaw.totalCount} (or another page or other facets)`,
        );
      }
      callers.push({ query, found: viaRaw, contenders: { graphql, raw } });
    }
    // The whole system warm (both JITs, caches) before any query is timed: a load or a fresh start leaves it cold.
    if (opts.warmupSeconds > 0) process.stderr.write(`[bench:search] warming up for ${opts.warmupSeconds} s (every query, both paths)\n`);
    warmup = await warmUp(
      callers.map((c) => c.contenders),
      { seconds: opts.warmupSeconds, windowSeconds: WARMUP_WINDOW_SECONDS },
    );
    for (const { query, found, contenders } of callers) {
      const facets = found.facetsExact ? 'exact facets' : 'sampled facets';
      process.stderr.write(`[bench:search] sampling "${query.name}" (${found.totalCount.toLocaleString('en')} matches, ${facets})\n`);
      const durations = await sampleAlternating(contenders, { warmup: opts.warmup, samples: opts.samples });
      sampled.push({ name: query.name, totalCount: found.totalCount, facetsExact: found.facetsExact, durations });
    }
  } finally {
    await pool.close();
    await gateway.close();
  }

  const { count: searchedProjectDocs } = await search.count({ index: alias, query: { term: { projectId: project.id } } });
  const { labels: labelRows, bytes: postgresBytes } = await postgresStats(databaseUrl);
  const report = buildReport(
    {
      startedAt,
      machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg(), nodeEnv: process.env.NODE_ENV ?? '(unset)' },
      dataset: {
        key: dataset.key,
        docs: opts.docs,
        seed: opts.seed,
        projects: dataset.projects.map((p) => p.name),
        searchedProject: project.name,
        searchedProjectDocs,
        labelRows,
      },
      postgresLoad,
      elasticsearchLoad,
      storage: {
        postgresDatabase: BENCH_DATABASE,
        postgresBytes,
        elasticsearchIndex: elasticsearchLoad.index,
        elasticsearchBytes: await indexBytes(search, elasticsearchLoad.index),
      },
      sampling: {
        warmup: opts.warmup,
        warmupSeconds: opts.warmupSeconds,
        warmupWindows: warmup,
        samples: opts.samples,
        pageSize: PAGE_SIZE,
        facetSize: FACET_SIZE,
        facetSampleSize: gatewayConfig.SEARCH_FACET_SAMPLE_SIZE,
      },
    },
    sampled,
  );
  printReport(report);
  console.log(`\nwritten to ${writeReport(report)}`);

  if (opts.cleanup) {
    await deleteBenchIndex(search, BENCH_INDEX_PREFIX);
    await dropBenchDatabase(config.DATABASE_URL, BENCH_DATABASE);
    console.log(`removed the bench index (${alias}) and database (${BENCH_DATABASE})`);
  } else {
    const { storage } = report;
    console.log(
      `kept for the next run: Elasticsearch index ${storage.elasticsearchIndex} (alias ${alias}, ${mib(storage.elasticsearchBytes)}), Postgres database ${storage.postgresDatabase} (${mib(storage.postgresBytes)}); --cleanup removes them`,
    );
  }
  await search.close();
}

main().catch((error) => {
  console.error(`bench:search failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
