import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type * as PgBossModule from 'pg-boss';
import { loadConfig } from '../../src/config/env';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { aliasTargets, imageAlias } from '../../src/search/imageIndex';
import { CHUNK_QUEUE, deadLetterQueueOf } from '../../src/tasks/taskQueue';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { killHard, WorkerProcesses } from '../support/serverProcess';
import { sharedImage } from '../support/sharedData';
import {
  createFolderProject,
  createReindexTask,
  createTask,
  finishedTask,
  finishedTaskOf,
  storedTask,
  storeStandInImages,
} from '../support/tasks';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// A worker process killed with SIGKILL while its job is on its last attempt (TASK_RETRY_LIMIT=0:
// the first is the last) never runs its last-attempt code: pg-boss fails the job when its heartbeat
// lapses and copies it into the queue's dead-letter queue, where another worker settles what the
// killed one left, so the task finishes. Real processes (the built server, ROLE=worker), Postgres (a
// database of this file's own, so no other file's worker takes the jobs), Elasticsearch (an index
// prefix of its own) and models.
jest.setTimeout(300_000);

const { PgBoss } = process.getBuiltinModule('node:module').createRequire(__filename)('pg-boss') as typeof PgBossModule;

const config = loadConfig();
const search = createSearchClient(config.ELASTICSEARCH_URL);
const prefix = `${config.ES_INDEX_PREFIX}-deadletter`;
const project = uniqueName('deadletter');
const STOPPED = (doing: string, then: string) =>
  `The worker ${doing} stopped (killed, out of memory or crashed) before finishing it, on its only attempt; ${then}.`;
let server: TestServer;
let pg: PgClient;
let root: string;
let noModels: string;
let databaseUrl: string;
/** One chunk at a time, one image at a time, each stored at once: a kill lands mid-chunk. */
const CHUNK_WORKER = {
  INFERENCE_THREADS: '1',
  TASK_CHUNK_SIZE: '4',
  TASK_STORE_BATCH: '1',
  TASK_CONCURRENCY: '1',
  TASK_JOBS_PER_WORKER: '1',
};
const workers = new WorkerProcesses(() => ({
  DATABASE_URL: databaseUrl,
  FILE_ROOTS: root,
  ES_INDEX_PREFIX: prefix,
  TASK_RETRY_LIMIT: '0',
  LOG_LEVEL: 'error',
}));

/** Waits until the task has done `count` items (images labelled, or copied). */
async function underWay(taskId: string, count: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await storedTask(pg, taskId)).succeeded < count) {
    if (Date.now() > deadline) throw new Error(`the task did not start: ${JSON.stringify(await storedTask(pg, taskId))}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The jobs of `queue` a worker held (pg-boss keeps them active until their heartbeat lapses). */
const activeJobs = async <T>(queue: string) =>
  (await pg.query<{ data: T }>(`SELECT data FROM pgboss.job WHERE name = $1 AND state = 'active'`, [queue])).rows.map((row) => row.data);

const indices = async () => Object.keys(await search.indices.get({ index: `${prefix}-images-*`, expand_wildcards: ['open', 'closed'] }));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'labelgate-deadletter-'));
  noModels = mkdtempSync(join(tmpdir(), 'labelgate-nomodels-'));
  for (const photo of readdirSync(sharedImage('photos')).filter((name) => /\.(png|jpg)$/.test(name)))
    copyFileSync(sharedImage(`photos/${photo}`), join(root, photo));
  databaseUrl = await isolatedDatabase('deadletter');
  // The queues take their retry limit from the process that creates them: this one.
  server = await startTestServer({
    ROLE: 'api',
    DATABASE_URL: databaseUrl,
    FILE_ROOTS: root,
    ES_INDEX_PREFIX: prefix,
    TASK_RETRY_LIMIT: '0',
  });
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  await createFolderProject(server, project, root);
});

afterAll(async () => {
  await workers.stop();
  await pg?.end();
  await server?.close();
  for (const index of await indices().catch(() => [])) await search.indices.delete({ index }, { ignore: [404] });
  await search.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(noModels, { recursive: true, force: true });
});

it('finishes a task whose worker is killed on a chunk’s last attempt, its unfinished images failed', async () => {
  const victim = workers.start(CHUNK_WORKER);
  const created = await createTask(server, { projectName: project, sourceURI: `file://${root}/` });
  await underWay(created.taskId, 1);
  await killHard(victim);

  // What the killed worker had in hand and not stored: none of it will ever be labelled now.
  const inHand = await activeJobs<{ fromSeq: number; toSeq: number }>(CHUNK_QUEUE);
  expect(inHand).toHaveLength(1);
  const { fromSeq, toSeq } = inHand[0];
  const { rows: unfinished } = await pg.query<{ sourceUri: string }>(
    `SELECT source_uri AS "sourceUri" FROM task_items WHERE task_id = $1 AND seq BETWEEN $2 AND $3 AND state = 'PENDING' ORDER BY seq`,
    [created.taskId, fromSeq, toSeq],
  );
  expect(unfinished.length).toBeGreaterThan(0);
  expect((await storedTask(pg, created.taskId)).state).toBe('RUNNING');

  workers.start(CHUNK_WORKER);
  const task = await finishedTask(server, project, created.taskId, 180_000);
  expect(task).toMatchObject({ state: 'SUCCEEDED', total: 12, failed: unfinished.length, succeeded: 12 - unfinished.length, skipped: 0 });
  expect(task.errors.totalCount).toBe(unfinished.length);
  expect(task.errors.nodes.map((node: { sourceURI: string }) => node.sourceURI)).toEqual(unfinished.map((row) => row.sourceUri));
  for (const node of task.errors.nodes) {
    expect(node.code).toBe('ServiceUnavailable');
    expect(node.message).toBe(STOPPED('labelling this image', 'run the task again to retry this image'));
  }
  // Every other image labelled, once.
  const { rows: detections } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM detections d JOIN tasks t ON d.request_id LIKE t.request_id || '-%' WHERE t.id = $1 GROUP BY d.image_id`,
    [created.taskId],
  );
  expect(detections).toHaveLength(12 - unfinished.length);
  expect(detections.every((row) => row.n === 1)).toBe(true);

  // The dead-letter job handled again (a worker presumed dead that was not) counts nothing twice.
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
  await boss.start();
  try {
    const dead = deadLetterQueueOf(CHUNK_QUEUE);
    const id = (await boss.send(dead, { taskId: created.taskId, fromSeq, toSeq }))!;
    const settledBy = Date.now() + 60_000;
    while ((await boss.getJobById(dead, id))?.state !== 'completed') {
      if (Date.now() > settledBy) throw new Error('the dead-letter job was not handled');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await boss.stop({ graceful: false });
  }
  expect(await storedTask(pg, created.taskId)).toMatchObject({
    state: 'SUCCEEDED',
    failed: unfinished.length,
    succeeded: 12 - unfinished.length,
  });
});

it('fails a reindex whose worker is killed on its last attempt, deleting the index it was building', async () => {
  // Worker processes without models, so that only they take reindex jobs; 60 pages, so that a kill after two lands mid-copy.
  await workers.stop();
  const copier = { MODEL_DIR: noModels, REINDEX_PAGE_SIZE: '50', LOG_LEVEL: 'silent' };
  await storeStandInImages(pg, 3000, false);
  const serving = await aliasTargets(search, imageAlias(prefix));
  const victim = workers.start(copier);
  const taskId = await createReindexTask(server);
  await underWay(taskId, 100);
  await killHard(victim);
  const building = (await storedTask(pg, taskId)).cursor!.index;
  expect(await indices()).toContain(building);

  workers.start(copier);
  const task = await finishedTaskOf(server, 'query($id: ID!) { task(taskId: $id) { taskId state code message } }', { id: taskId });
  expect(task).toMatchObject({
    state: 'FAILED',
    code: 'ServiceUnavailable',
    message: STOPPED('running this reindex', 'create another reindex task'),
  });
  expect(await indices()).not.toContain(building);
  expect(await aliasTargets(search, imageAlias(prefix))).toEqual(serving);
});
