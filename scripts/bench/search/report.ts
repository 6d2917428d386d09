// The bench's report: a table on stdout with the targets beside the figures, and the same figures
// as JSON in bench-results/bench-search-<timestamp>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../src/config/projectRoot';
import type { IndexLoadResult } from './elasticsearchLoader';
import { LatencySummary, summarize, WarmupWindow } from './latency';
import type { LoadResult } from './postgresLoader';

export const TARGETS = { p99Ms: 50, gatewayOverRaw: 1.2, bulkDocsPerSecond: 5000 } as const;

/** One query's measurements: what it found and every timed sample (ms) of each way of sending it. */
export interface SampledQuery {
  name: string;
  totalCount: number;
  /** false: the facets were counted on a sample (SEARCH_FACET_SAMPLE_SIZE). */
  facetsExact: boolean;
  durations: { graphql: number[]; raw: number[] };
}

/** Latencies of one query (or all pooled) and the gateway's overhead over raw. */
export interface Latencies {
  graphql: LatencySummary;
  raw: LatencySummary;
  /** What the gateway adds at p50 (HTTP, authentication, GraphQL, the project lookup), in ms. */
  gatewayAddsP50: number;
  gatewayOverRawP50: number;
  gatewayOverRawP99: number;
}

export interface SearchBenchReport {
  startedAt: string;
  machine: { cpus: number; node: string; loadAverage: number[]; nodeEnv: string };
  dataset: {
    key: string;
    docs: number;
    seed: number;
    projects: string[];
    searchedProject: string;
    searchedProjectDocs: number;
    labelRows: number;
  };
  postgresLoad: LoadResult;
  elasticsearchLoad: IndexLoadResult;
  storage: { postgresDatabase: string; postgresBytes: number; elasticsearchIndex: string; elasticsearchBytes: number };
  sampling: {
    warmup: number;
    warmupSeconds: number;
    warmupWindows: WarmupWindow[];
    samples: number;
    pageSize: number;
    facetSize: number;
    facetSampleSize: number;
  };
  queries: (Latencies & { name: string; totalCount: number; facetsExact: boolean })[];
  overall: Latencies;
  targets: { measure: string; value: number | null; unit: 'ms' | 'x' | 'docs/s'; target: string; met: boolean | null }[];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const ratio = (n: number) => `${n.toFixed(2)}×`;
const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : 'MISSED');

function latencies(durations: SampledQuery['durations']): Latencies {
  const [graphql, raw] = [durations.graphql, durations.raw].map(summarize);
  return {
    graphql,
    raw,
    gatewayAddsP50: graphql.p50 - raw.p50,
    gatewayOverRawP50: graphql.p50 / raw.p50,
    gatewayOverRawP99: graphql.p99 / raw.p99,
  };
}

/** Percentiles per query and over all samples pooled, the gateway/raw ratios and the target verdicts. */
export function buildReport(base: Omit<SearchBenchReport, 'queries' | 'overall' | 'targets'>, sampled: SampledQuery[]): SearchBenchReport {
  const queries = sampled.map((q) => ({ name: q.name, totalCount: q.totalCount, facetsExact: q.facetsExact, ...latencies(q.durations) }));
  const pooled = (key: keyof SampledQuery['durations']) => sampled.flatMap((q) => q.durations[key]);
  const all = latencies({ graphql: pooled('graphql'), raw: pooled('raw') });
  const bulk = base.elasticsearchLoad.loaded ? base.elasticsearchLoad.bulkDocsPerSecond : null;
  const targets: SearchBenchReport['targets'] = [
    {
      measure: 'p99 through GraphQL, all queries',
      value: all.graphql.p99,
      unit: 'ms',
      target: `≤ ${TARGETS.p99Ms} ms`,
      met: all.graphql.p99 <= TARGETS.p99Ms,
    },
    {
      measure: 'p99 raw Elasticsearch, all queries',
      value: all.raw.p99,
      unit: 'ms',
      target: `≤ ${TARGETS.p99Ms} ms`,
      met: all.raw.p99 <= TARGETS.p99Ms,
    },
    {
      measure: 'gateway / raw, p50',
      value: all.gatewayOverRawP50,
      unit: 'x',
      target: `≤ ${TARGETS.gatewayOverRaw}×`,
      met: all.gatewayOverRawP50 <= TARGETS.gatewayOverRaw,
    },
    {
      measure: 'gateway / raw, p99',
      value: all.gatewayOverRawP99,
      unit: 'x',
      target: `≤ ${TARGETS.gatewayOverRaw}×`,
      met: all.gatewayOverRawP99 <= TARGETS.gatewayOverRaw,
    },
    {
      measure: 'bulk load into Elasticsearch',
      value: bulk,
      unit: 'docs/s',
      target: `≥ ${TARGETS.bulkDocsPerSecond}`,
      met: bulk === null ? null : bulk >= TARGETS.bulkDocsPerSecond,
    },
  ];
  return { ...base, queries, overall: all, targets };
}

export function printReport(report: SearchBenchReport): void {
  const { dataset: d, postgresLoad: pg, elasticsearchLoad: es, sampling: s } = report;
  console.log(
    `\nSearch benchmark: ${d.docs.toLocaleString('en')} images (${d.labelRows.toLocaleString('en')} label rows) in ${d.projects.length} projects; searching ${d.searchedProject} (${d.searchedProjectDocs.toLocaleString('en')} images)`,
  );
  console.log(
    `${s.samples} samples per query after ${s.warmup} warm-up runs, GraphQL and raw alternating; first: ${s.pageSize}, facets: ${s.facetSize}`,
  );
  if (s.warmupWindows.length) {
    const medians = (name: string) => s.warmupWindows.map((w) => w.p50[name]?.toFixed(1)).join(', ');
    console.log(
      `before any of it, ${s.warmupSeconds} s of every query, untimed; their p50 per ${s.warmupWindows[0].endSeconds.toFixed(0)} s: GraphQL ${medians('graphql')} ms; raw ${medians('raw')} ms`,
    );
  }
  console.log(
    `facets counted on a sample of ${s.facetSampleSize.toLocaleString('en')} images above ${(2 * s.facetSampleSize).toLocaleString('en')} matches; Elasticsearch's request cache off`,
  );
  const m = report.machine;
  console.log(
    `${m.cpus} cores, load average ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')} at the end; Node ${m.node}, NODE_ENV ${m.nodeEnv}`,
  );
  console.log(
    pg.loaded
      ? `Postgres load: ${pg.seconds.toFixed(1)} s, ${Math.round(pg.docsPerSecond)} images/s (images + labels)`
      : 'Postgres: dataset reused (--reload to load again)',
  );
  console.log(
    es.loaded
      ? `Elasticsearch load (${es.index}): bulk ${es.bulkSeconds.toFixed(1)} s = ${Math.round(es.bulkDocsPerSecond)} docs/s; refresh + force-merge ${es.finishSeconds.toFixed(1)} s`
      : `Elasticsearch: index ${es.index} reused (--reload to load again)`,
  );
  console.log(
    '\n| query | total (facets) | GraphQL p50 | GraphQL p99 | raw p50 | raw p99 | GraphQL/raw p50 | GraphQL/raw p99 | gateway adds, p50 |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const row = (name: string, total: string, r: Latencies) =>
    `| ${name} | ${total} | ${ms(r.graphql.p50)} | ${ms(r.graphql.p99)} | ${ms(r.raw.p50)} | ${ms(r.raw.p99)} | ${ratio(r.gatewayOverRawP50)} | ${ratio(r.gatewayOverRawP99)} | ${ms(r.gatewayAddsP50)} |`;
  for (const q of report.queries) console.log(row(q.name, `${q.totalCount} (${q.facetsExact ? 'exact' : 'sampled'})`, q));
  console.log(row('**all**', '', report.overall));
  console.log('\n| target | measured | target | verdict |');
  console.log('|---|---:|---|---|');
  for (const t of report.targets) {
    const value =
      t.value === null ? '–' : t.unit === 'ms' ? ms(t.value) : t.unit === 'x' ? ratio(t.value) : `${Math.round(t.value)} docs/s`;
    console.log(`| ${t.measure} | ${value} | ${t.target} | ${verdict(t.met)} |`);
  }
}

/** Writes the report as JSON; returns the file's path. */
export function writeReport(report: SearchBenchReport): string {
  const dir = join(projectRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-search-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
