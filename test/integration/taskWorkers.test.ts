import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { killHard, WorkerProcesses } from '../support/serverProcess';
import { sharedImage } from '../support/sharedData';
import { createFolderProject, createTask, finishedTask } from '../support/tasks';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// ROLE=api in this process and ROLE=worker processes (the built server, `npm test` builds it) on one
// queue in Postgres: the work splits between the workers, and a worker killed with SIGKILL loses and
// duplicates nothing.
jest.setTimeout(240_000);

const project = uniqueName('workers');
let server: TestServer;
let pg: PgClient;
let root: string;
let databaseUrl: string;
const workers = new WorkerProcesses(() => ({
  DATABASE_URL: databaseUrl,
  FILE_ROOTS: root,
  INFERENCE_THREADS: '1',
  TASK_CHUNK_SIZE: '4',
  TASK_STORE_BATCH: '2',
  LOG_LEVEL: 'warn',
}));

/** Items of the task by the worker that settled them, and how many detections each image of it got. */
async function settledBy(taskId: string) {
  const items = await pg.query(`SELECT worker, state, count(*)::int AS n FROM task_items WHERE task_id = $1 GROUP BY 1, 2`, [taskId]);
  const requestId = (await pg.query('SELECT request_id FROM tasks WHERE id = $1', [taskId])).rows[0].request_id;
  const detections = await pg.query(`SELECT image_id, count(*)::int AS n FROM detections WHERE request_id LIKE $1 GROUP BY 1`, [
    `${requestId}-%`,
  ]);
  return { items: items.rows, detectionsPerImage: detections.rows.map((row) => row.n) };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'labelgate-workers-'));
  const photos = readdirSync(sharedImage('photos')).filter((name) => /\.(png|jpg)$/.test(name));
  // 36 images: three copies of each shared photo (same bytes, other names: each is its own image).
  for (const copy of ['a', 'b', 'c']) {
    mkdirSync(join(root, copy));
    for (const photo of photos) copyFileSync(sharedImage(`photos/${photo}`), join(root, copy, photo));
  }
  databaseUrl = await isolatedDatabase('taskworkers');
  server = await startTestServer({ ROLE: 'api', DATABASE_URL: databaseUrl, FILE_ROOTS: root });
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  await createFolderProject(server, project, root);
  workers.start();
  workers.start();
});

afterAll(async () => {
  await workers.stop();
  await pg?.end();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

it('shares one task between two workers, each image labelled once', async () => {
  const task = await finishedTask(
    server,
    project,
    (await createTask(server, { projectName: project, sourceURI: `file://${root}/` })).taskId,
    180_000,
  );
  expect(task).toMatchObject({ state: 'SUCCEEDED', total: 36, succeeded: 36, failed: 0, skipped: 0 });
  const { items, detectionsPerImage } = await settledBy(task.taskId);
  expect(items.map((row) => row.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(items.every((row) => row.n > 0)).toBe(true);
  expect(items.reduce((sum, row) => sum + row.n, 0)).toBe(36);
  expect(detectionsPerImage).toHaveLength(36);
  expect(detectionsPerImage.every((n) => n === 1)).toBe(true);
});

it('finishes a task whose worker is killed with SIGKILL mid-task, losing and duplicating nothing', async () => {
  const created = await createTask(server, { projectName: project, sourceURI: `file://${root}/`, force: true });
  // Kill one worker once the task is well under way (some items stored, most not).
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { rows } = await pg.query('SELECT succeeded FROM tasks WHERE id = $1', [created.taskId]);
    if (rows[0].succeeded >= 4) break;
    if (Date.now() > deadline) throw new Error('the task did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const victim = workers.started[0];
  await killHard(victim);
  const before = Number((await pg.query('SELECT succeeded FROM tasks WHERE id = $1', [created.taskId])).rows[0].succeeded);
  expect(before).toBeLessThan(36);

  const task = await finishedTask(server, project, created.taskId, 180_000);
  expect(task).toMatchObject({ state: 'SUCCEEDED', total: 36, succeeded: 36, failed: 0, skipped: 0 });
  const { items, detectionsPerImage } = await settledBy(created.taskId);
  expect(items.reduce((sum, row) => sum + row.n, 0)).toBe(36);
  expect(detectionsPerImage).toHaveLength(36);
  expect(detectionsPerImage.every((n) => n === 1)).toBe(true);
});
