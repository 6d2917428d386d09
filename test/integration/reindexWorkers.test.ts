import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { loadConfig } from '../../src/config/env';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { aliasTargets, imageAlias } from '../../src/search/imageIndex';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { killHard, WorkerProcesses } from '../support/serverProcess';
import { createReindexTask, finishedTaskOf, storedTask, storeStandInImages } from '../support/tasks';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// A ReindexImages task on worker processes (the built server, ROLE=worker, no model pack: reindexing
// needs none) whose worker is killed with SIGKILL mid-copy: the job goes back to the queue when its
// heartbeat lapses, and another worker resumes it from the last recorded page into the same index.
// Real Postgres (a database of its own, so no other file's worker takes the job) and Elasticsearch
// (an index prefix of its own).
jest.setTimeout(240_000);

const config = loadConfig();
const search = createSearchClient(config.ELASTICSEARCH_URL);
const prefix = `${config.ES_INDEX_PREFIX}-reindexkill`;
const alias = imageAlias(prefix);
/** Images, and images per page: 60 pages, so that a kill after two lands mid-copy. */
const IMAGES = 3000;
const PAGE = 50;
const TASK = 'query($id: ID!) { task(taskId: $id) { taskId state total succeeded failed code message } }';

let server: TestServer;
let pg: PgClient;
let databaseUrl: string;
let noModels: string;
const workers = new WorkerProcesses(() => ({
  DATABASE_URL: databaseUrl,
  ES_INDEX_PREFIX: prefix,
  MODEL_DIR: noModels,
  REINDEX_PAGE_SIZE: String(PAGE),
  TASK_RETRY_DELAY_SECONDS: '1',
  LOG_LEVEL: 'silent',
}));

const stored = (taskId: string) => storedTask(pg, taskId);

/** Waits until the task has recorded `pages` pages, and returns it as stored then. */
async function copying(taskId: string, pages: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const task = await stored(taskId);
    if (task.succeeded >= pages * PAGE) return task;
    if (Date.now() > deadline) throw new Error(`the reindex did not start copying: ${JSON.stringify(task)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const indices = async () => Object.keys(await search.indices.get({ index: `${prefix}-images-*`, expand_wildcards: ['open', 'closed'] }));

beforeAll(async () => {
  noModels = mkdtempSync(join(tmpdir(), 'labelgate-nomodels-'));
  databaseUrl = await isolatedDatabase('reindexkill');
  server = await startTestServer({ ROLE: 'api', DATABASE_URL: databaseUrl, ES_INDEX_PREFIX: prefix });
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const { body } = await server.gql('mutation($n: String!) { createProject(input: { name: $n }) { name } }', {
    n: uniqueName('reindexkill'),
  });
  expect(body.errors).toBeUndefined();
  // Stored images with a label each, written in two statements: the copy, not the set-up, is under test.
  await storeStandInImages(pg, IMAGES, true);
});

afterAll(async () => {
  await workers.stop();
  await server?.close();
  await pg?.end();
  for (const index of await indices().catch(() => [])) await search.indices.delete({ index }, { ignore: [404] });
  await search.close();
  rmSync(noModels, { recursive: true, force: true });
});

it('finishes a reindex whose worker is killed with SIGKILL mid-copy, each image once, the alias moved', async () => {
  const serving = await aliasTargets(search, alias);
  const victim = workers.start();
  const taskId = await createReindexTask(server);
  const before = await copying(taskId, 2);
  await killHard(victim);
  const atKill = await stored(taskId);
  expect(atKill).toMatchObject({ state: 'RUNNING', total: IMAGES });
  expect(atKill.succeeded).toBeLessThan(IMAGES);
  const building = atKill.cursor!.index;
  expect(building).toBe(before.cursor!.index);
  expect(serving).not.toContain(building);

  workers.start();
  const task = await finishedTaskOf(server, TASK, { id: taskId });
  expect(task).toMatchObject({ state: 'SUCCEEDED', total: IMAGES, succeeded: IMAGES, failed: 0, code: null });
  // Resumed into the index the killed worker was building, not a new one.
  expect(task.message).toMatch(new RegExp(`^Reindexed ${IMAGES} images into ${building};`));
  expect(await aliasTargets(search, alias)).toEqual([building]);
  // Every stored image, each once (documents are keyed by image id), and nothing else.
  await search.indices.refresh({ index: alias });
  const ids = (await pg.query<{ id: string }>('SELECT id FROM images')).rows.map((row) => row.id);
  expect((await search.count({ index: alias })).count).toBe(IMAGES);
  expect((await search.count({ index: alias, query: { ids: { values: ids } } })).count).toBe(IMAGES);
  // The index that served before and whatever the killed run left are gone.
  expect(await indices()).toEqual([building]);
});
