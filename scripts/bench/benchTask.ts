// `npm run bench:task [-- --images N --pipeline-images N --concurrency N]`: a labeling task's
// throughput against the saturated in-process pipeline, and the worker's resident memory while it
// runs. --images (BENCH_TASK_IMAGES, default 10,000) hard links to the shared photos under a
// temporary root, so each is its own image with its own bytes read.
// Both runs label the same images with the same models; the ratio, not the absolute rate, is what
// to compare (the machine is shared and noisy). Needs the services, which the npm script starts.
import './productionMode';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { startLabelgate } from '../../src/app';
import { generateAdminKey } from '../../src/auth/apiKeySecret';
import { loadConfig } from '../../src/config/env';
import { sharedDir } from '../../src/config/projectRoot';
import { resolveDatabaseUrl, withDatabaseName } from '../../tools/services/serviceUrls';
import { ensureDatabase, migrate } from '../../tools/services/postgresService';
import { createLogger } from '../../src/logger';

const { values: flags } = parseArgs({
  options: {
    images: { type: 'string', default: process.env.BENCH_TASK_IMAGES ?? '10000' },
    'pipeline-images': { type: 'string', default: process.env.BENCH_TASK_PIPELINE_IMAGES ?? '2000' },
    concurrency: { type: 'string', default: process.env.BENCH_TASK_CONCURRENCY ?? '16' },
  },
});
const positive = (name: keyof typeof flags) => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer (got ${flags[name]})`);
  return value;
};
const COUNT = positive('images');
const CONCURRENCY = positive('concurrency');
// Dropped and made afresh by every run: two checkouts benching at once on one server each name their own.
const DATABASE = process.env.BENCH_TASK_DATABASE ?? 'labelgate_bench_task';

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** COUNT names in folders of 500, each a hard link to one of the shared photos. */
function makeLibrary(): { root: string; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'labelgate-bench-task-'));
  const source = join(sharedDir, 'images', 'photos');
  const photos = readdirSync(source)
    .filter((name) => /\.(png|jpe?g)$/i.test(name))
    .sort();
  mkdirSync(join(root, 'originals'));
  photos.forEach((photo) => copyFileSync(join(source, photo), join(root, 'originals', photo)));
  const files: string[] = [];
  for (let i = 0; i < COUNT; i += 1) {
    const folder = join(root, 'library', String(Math.floor(i / 500)).padStart(3, '0'));
    if (i % 500 === 0) mkdirSync(folder, { recursive: true });
    const photo = photos[i % photos.length];
    const file = join(folder, `${String(i).padStart(6, '0')}-${photo}`);
    linkSync(join(root, 'originals', photo), file);
    files.push(file);
  }
  return { root, files };
}

async function freshDatabase(): Promise<string> {
  const server = resolveDatabaseUrl();
  const admin = new Client({ connectionString: withDatabaseName(server, 'postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`).finally(() => undefined);
  await admin.end();
  await ensureDatabase(server, DATABASE);
  const url = withDatabaseName(server, DATABASE);
  await migrate(url);
  return url;
}

async function main(): Promise<void> {
  const { root, files } = makeLibrary();
  const databaseUrl = await freshDatabase();
  const adminKey = generateAdminKey();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_API_KEY: adminKey,
    FILE_ROOTS: root,
    ES_INDEX_PREFIX: 'labelgate-bench-task',
    LOG_LEVEL: 'warn',
  });
  const gateway = await startLabelgate(config, createLogger('warn'));
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ query, variables }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few known fields of its own queries
    const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };
  try {
    // The detector the task's worker uses (ROLE=all: the same process), so both runs share models and threads.
    const detector = gateway.detector;
    if (!detector) throw new Error('no model loaded: set MODEL_DIR or run npm run model:pull');
    const request = { threshold: 0.5, language: 'en' as const };
    // Warm-up, then the saturated in-process pipeline: read + detect, CONCURRENCY at a time, no
    // storing. It runs half its images before the task and half after, and their rates are
    // averaged: the load of a shared machine drifts over a task's minutes.
    for (const file of files.slice(0, 24)) await detector.detect(readFileSync(file), request);
    const pipelineCount = Math.min(files.length, positive('pipeline-images'));
    const pipeline = async (from: number, to: number) => {
      let next = from;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < to) await detector.detect(readFileSync(files[next++]), request);
        }),
      );
      return (to - from) / ((performance.now() - started) / 1000);
    };
    const half = Math.ceil(pipelineCount / 2);
    const pipelineBefore = await pipeline(0, half);

    await gql('mutation($n: String!, $r: String!) { createProject(input: { name: $n, sources: { fileRoots: [$r] } }) { name } }', {
      n: 'bench',
      r: root,
    });
    // Resident memory, and the JS heap and the memory outside it, so that growth can be placed.
    const samples: NodeJS.MemoryUsage[] = [];
    const sampler = setInterval(() => samples.push(process.memoryUsage()), 1000);
    // The same against the images labelled so far, every CURVE_STEP of them: growth that follows
    // the number of images (a leak per image) rather than time.
    const curve: {
      images: number;
      rssMiB: number;
      heapUsedMiB: number;
      externalMiB: number;
      arrayBuffersMiB: number;
      afterGc?: { rssMiB: number; arrayBuffersMiB: number };
    }[] = [];
    // With node --expose-gc, each point is also taken after a full collection: what is still held
    // (a leak) apart from garbage not yet collected, and what RSS the allocator gives back.
    const collect = (globalThis as { gc?: () => void }).gc;
    const afterCollecting = () => {
      if (!collect) return {};
      collect();
      const usage = process.memoryUsage();
      return { afterGc: { rssMiB: mib(usage.rss), arrayBuffersMiB: mib(usage.arrayBuffers) } };
    };
    const CURVE_STEP = 500;
    const created = await gql(
      'mutation($r: String!) { createDetectImageLabelsTask(input: { projectName: "bench", sourceURI: $r, language: EN }) { taskId } }',
      { r: `file://${root}/library/` },
    );
    const taskId = created.createDetectImageLabelsTask.taskId;
    let task: { state: string; total: number; succeeded: number; failed: number; skipped: number; startTime: string; endTime: string };
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      task = (
        await gql(
          'query($id: ID!) { task(projectName: "bench", taskId: $id) { state total succeeded failed skipped startTime endTime } }',
          { id: taskId },
        )
      ).task;
      if (task.succeeded >= (curve.length + 1) * CURVE_STEP) {
        const usage = process.memoryUsage();
        curve.push({
          images: task.succeeded,
          rssMiB: mib(usage.rss),
          heapUsedMiB: mib(usage.heapUsed),
          externalMiB: mib(usage.external),
          arrayBuffersMiB: mib(usage.arrayBuffers),
          ...afterCollecting(),
        });
      }
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(task.state)) break;
    }
    clearInterval(sampler);
    const pipelineAfter = pipelineCount > half ? await pipeline(half, pipelineCount) : pipelineBefore;
    const pipelineRate = (pipelineBefore + pipelineAfter) / 2;
    const seconds = (Date.parse(task.endTime) - Date.parse(task.startTime)) / 1000;
    const taskRate = task.succeeded / seconds;
    const tenth = Math.max(1, Math.floor(samples.length / 10));
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
    /** First and last sample, the first and last tenths' medians, and the largest, in MiB. */
    const course = (pick: (sample: NodeJS.MemoryUsage) => number) => {
      const values = samples.map(pick);
      return {
        start: mib(values[0]),
        end: mib(values[values.length - 1]),
        firstTenth: mib(median(values.slice(0, tenth))),
        lastTenth: mib(median(values.slice(-tenth))),
        max: mib(Math.max(...values)),
      };
    };
    const result = {
      images: COUNT,
      task: { state: task.state, succeeded: task.succeeded, failed: task.failed, skipped: task.skipped, seconds: Math.round(seconds) },
      pipelineImagesPerSecond: Number(pipelineRate.toFixed(2)),
      pipelineBeforeAndAfter: [Number(pipelineBefore.toFixed(2)), Number(pipelineAfter.toFixed(2))],
      taskImagesPerSecond: Number(taskRate.toFixed(2)),
      taskOverPipeline: Number((taskRate / pipelineRate).toFixed(3)),
      // Resident memory over the run: its first and last tenths' medians should match (flat).
      rssMiB: course((sample) => sample.rss),
      heapUsedMiB: course((sample) => sample.heapUsed),
      externalMiB: course((sample) => sample.external),
      arrayBuffersMiB: course((sample) => sample.arrayBuffers),
      memoryPerImages: curve,
      // Full collections the detector asked for to keep dead image buffers from piling up, and their time.
      bufferCollections: { count: detector.bufferGarbage.collections, ms: Math.round(detector.bufferGarbage.collectMs) },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await gateway.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
