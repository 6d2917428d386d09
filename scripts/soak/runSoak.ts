import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunningLabelgate, startLabelgate } from '../../src/app';
import { generateAdminKey } from '../../src/auth/apiKeySecret';
import { loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { lastThirdTrend, MemorySample } from './memoryTrend';
import { GraphQLCall, SoakCounters, SoakWorkload } from './soakWorkload';

/** RSS may still grow this fast over the last third and pass (see docs/soak.md for the choice). */
export const RSS_SLOPE_TOLERANCE_MB_PER_MIN = 1;

export interface SoakOptions {
  minutes: number;
  concurrency: number;
  /** The photos to detect: every .jpg/.png in its subfolders (bad/ left out); FILE_ROOTS is set to it. */
  imagesDir: string;
  databaseUrl: string;
  indexPrefix: string;
  /** How often a line is printed (default every minute) and memory is read (default: ~180 readings a run, 1-10 s apart). */
  reportEveryMs?: number;
  sampleEveryMs?: number;
  print?: (line: string) => void;
}

export interface SoakResult {
  requests: number;
  errors: number;
  errorKinds: [string, number][];
  p50Ms: number;
  p99Ms: number;
  rssMbPerMin: number;
  heapMbPerMin: number;
  heapTotalMbPerMin: number;
  externalMbPerMin: number;
  memorySamples: number;
  /** Why the run fails; empty when it passes. */
  failures: string[];
}

const MB = 1024 * 1024;
const isPhoto = (name: string) => /\.(jpe?g|png)$/i.test(name);

function photosIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'bad')
    .flatMap((folder) =>
      readdirSync(join(dir, folder.name))
        .filter(isPhoto)
        .map((file) => `file://${join(dir, folder.name, file)}`),
    );
}

const memoryNow = (startedAt: number): MemorySample => {
  const usage = process.memoryUsage();
  return {
    minute: (performance.now() - startedAt) / 60_000,
    rssMb: usage.rss / MB,
    heapMb: usage.heapUsed / MB,
    heapTotalMb: usage.heapTotal / MB,
    externalMb: usage.external / MB,
  };
};

async function relayDrained(app: RunningLabelgate, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while ((await app.relay.pending()) > 0 && performance.now() < deadline) {
    app.relay.kick();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The verdict: any error, or RSS still growing over the last third faster than the tolerance. */
export function soakFailures(errors: number, rssMbPerMin: number, tolerance = RSS_SLOPE_TOLERANCE_MB_PER_MIN): string[] {
  const failures: string[] = [];
  if (errors > 0) failures.push(`${errors} requests failed`);
  if (rssMbPerMin > tolerance)
    failures.push(`RSS grew ${rssMbPerMin.toFixed(2)} MB/min over the last third (tolerance ${tolerance} MB/min)`);
  return failures;
}

/**
 * Starts the real gateway in this process (as the tests do) against the running Postgres and
 * Elasticsearch, creates a project that may read the photos, runs the mixed workload from
 * `concurrency` workers over loopback for `minutes`, and reports as it goes.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const adminKey = generateAdminKey();
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    ES_INDEX_PREFIX: options.indexPrefix,
    FILE_ROOTS: options.imagesDir,
    ADMIN_API_KEY: adminKey,
    // The soak measures the gateway, not its rate limits.
    RATE_LIMIT_KEY_QPS: '1000000',
    RATE_LIMIT_PROJECT_QPS: '1000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const app = await startLabelgate(config, createLogger(config.LOG_LEVEL));
  const call: GraphQLCall = async (query, variables) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
    const error = body.errors?.[0];
    if (response.status !== 200 || error)
      return { ok: false, error: `HTTP ${response.status} ${error?.extensions?.code ?? ''}: ${error?.message ?? ''}`, data: body.data };
    return { ok: true, data: body.data };
  };

  const project = `soak-${Date.now().toString(36)}`;
  const created = await call(
    'mutation($n: String!, $r: String!) { createProject(input: { name: $n, sources: { fileRoots: [$r] } }) { name } }',
    {
      n: project,
      r: options.imagesDir,
    },
  );
  if (!created.ok) {
    await app.close();
    throw new Error(`could not create the soak project: ${created.error}`);
  }

  const counters = new SoakCounters();
  const workload = new SoakWorkload(call, project, photosIn(options.imagesDir), counters);
  const durationMs = options.minutes * 60_000;
  const reportEveryMs = options.reportEveryMs ?? 60_000;
  const sampleEveryMs = options.sampleEveryMs ?? Math.min(10_000, Math.max(1_000, durationMs / 180));
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const samples: MemorySample[] = [];
  let windowStarted = startedAt;

  const report = () => {
    const memory = memoryNow(startedAt);
    const seconds = (performance.now() - windowStarted) / 1000;
    print(
      `[soak] ${memory.minute.toFixed(1)} min: ${counters.window.count} requests (${(counters.window.count / seconds).toFixed(1)}/s), ` +
        `${counters.windowErrors} errors, p50 ${counters.window.percentile(0.5).toFixed(1)} ms, p99 ${counters.window.percentile(0.99).toFixed(1)} ms, ` +
        `RSS ${memory.rssMb.toFixed(0)} MB, heap ${memory.heapMb.toFixed(0)} MB (committed ${memory.heapTotalMb!.toFixed(0)} MB), external ${memory.externalMb!.toFixed(0)} MB`,
    );
    counters.window.reset();
    counters.windowErrors = 0;
    windowStarted = performance.now();
  };
  const sampler = setInterval(() => samples.push(memoryNow(startedAt)), sampleEveryMs);
  const reporter = setInterval(report, reportEveryMs);

  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) await workload.step();
      }),
    );
  } finally {
    clearInterval(sampler);
    clearInterval(reporter);
    if (counters.window.count > 0) report();
    await call('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
    // The project's documents go too before the gateway stops: a document left in the index would
    // stop the next soak's relay at a mapping upgrade ("run npm run reindex") for no image at all.
    await relayDrained(app, 30_000);
    await app.close();
  }

  const trend = lastThirdTrend(samples);
  return {
    requests: counters.total.count,
    errors: counters.errors,
    errorKinds: [...counters.errorKinds],
    p50Ms: counters.total.percentile(0.5),
    p99Ms: counters.total.percentile(0.99),
    rssMbPerMin: trend.rssMbPerMin,
    heapMbPerMin: trend.heapMbPerMin,
    heapTotalMbPerMin: trend.heapTotalMbPerMin,
    externalMbPerMin: trend.externalMbPerMin,
    memorySamples: trend.samples,
    failures: soakFailures(counters.errors, trend.rssMbPerMin),
  };
}
