import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';
import { loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { ImageRepository } from '../../src/persistence/imageRepository';
import { createPgPool, createPrismaClient } from '../../src/persistence/prismaClient';
import { ProjectRepository } from '../../src/persistence/projectRepository';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { aliasTargets, ensureImageIndex, imageAlias } from '../../src/search/imageIndex';
import { NO_SOURCES } from '../../src/storage/sourceGrant';
import { ReindexWorker } from '../../src/tasks/reindexWorker';
import { REINDEX_IMAGES_TASK } from '../../src/tasks/taskModel';
import { PgTaskRepository, type TaskRepository } from '../../src/tasks/taskRepository';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { finishedTaskOf } from '../support/tasks';
import { adminKey, bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';

// ReindexImages as a task: created through GraphQL, run by the workers through pg-boss, followed
// with task/tasks, resumed from its checkpoint, cancelled. Real Postgres (a database of its own:
// other files' workers must not take these jobs) and Elasticsearch (prefixes of its own).
const config = loadConfig();
const taxonomy = loadTaxonomy();
const logger = createLogger('silent');
const search = createSearchClient(config.ELASTICSEARCH_URL);
const serverPrefix = `${config.ES_INDEX_PREFIX}-reindextask`;
const project = uniqueName('reindex');
const IMAGES = 7;
const TASK_FIELDS = 'taskId taskType projectName state progress total succeeded failed skipped code message startTime endTime';
const TASK = `query($id: ID!) { task(taskId: $id) { ${TASK_FIELDS} errors { totalCount } } }`;

let server: TestServer;
let databaseUrl: string;
let pool: Pool;
let prisma: ReturnType<typeof createPrismaClient>;
let tasks: PgTaskRepository;
const prefixes: string[] = [serverPrefix];

const finished = (taskId: string) => finishedTaskOf(server, TASK, { id: taskId }, 60_000);

const documents = async (prefix: string) => {
  await search.indices.refresh({ index: imageAlias(prefix) });
  return (await search.count({ index: imageAlias(prefix) })).count;
};

/** A ReindexImages task of `prefix` that no worker takes (its job is not queued): the test runs it. */
async function unqueuedTask(prefix: string): Promise<string> {
  prefixes.push(prefix);
  await ensureImageIndex(search, prefix);
  return (await tasks.createServerTask({ taskType: REINDEX_IMAGES_TASK, scope: prefix, requestId: 'REQ-test' }, async () => undefined)).id;
}

const attempt = (signal = new AbortController().signal) => ({ retryCount: 0, retryLimit: 5, signal });

beforeAll(async () => {
  databaseUrl = await isolatedDatabase('reindex');
  pool = createPgPool(databaseUrl);
  prisma = createPrismaClient(pool);
  tasks = new PgTaskRepository(pool);
  server = await startTestServer({ DATABASE_URL: databaseUrl, ES_INDEX_PREFIX: serverPrefix });
  const { id } = await new ProjectRepository(prisma, pool).create({ name: project, defaultThreshold: 0.5, sources: NO_SOURCES });
  const images = new ImageRepository(prisma, pool);
  for (let i = 0; i < IMAGES; i += 1) {
    await images.saveDetection({
      project: { id, name: project },
      sourceUri: `file:///photos/${i}.png`,
      requestId: `REQ-${i}`,
      image: { sha256: String(i).repeat(64), width: 10, height: 10, format: 'png', bytes: 100 },
      labels: [{ labelId: 'cat', confidence: 0.9, centricScore: 0.8 }],
      modelVersion: 'test-model@1',
      taxonomyVersion: 'test-taxonomy',
      timings: { decodeMs: 1, inferenceMs: 2, totalMs: 3 },
    });
  }
});

afterAll(async () => {
  await server?.close();
  for (const prefix of prefixes) {
    const indices = Object.keys(await search.indices.get({ index: `${prefix}-images-*` }));
    for (const index of indices) await search.indices.delete({ index }, { ignore: [404] });
  }
  await prisma?.$disconnect();
  await pool?.end();
  await search.close();
});

describe('createReindexImagesTask', () => {
  it('rebuilds the index on the workers, with progress, and moves the alias', async () => {
    const before = await aliasTargets(search, imageAlias(serverPrefix));
    const { body } = await server.gql(`mutation { createReindexImagesTask { ${TASK_FIELDS} } }`);
    const created = body.data!.createReindexImagesTask;
    expect(created).toMatchObject({ taskType: 'ReindexImages', projectName: null, state: 'QUEUED', progress: 0 });

    const task = await finished(created.taskId);
    expect(task).toMatchObject({
      state: 'SUCCEEDED',
      progress: 100,
      total: IMAGES,
      succeeded: IMAGES,
      failed: 0,
      code: null,
      errors: { totalCount: 0 },
    });
    expect(task.message).toMatch(new RegExp(`^Reindexed ${IMAGES} images into ${serverPrefix}-images-v\\d+-g\\d+`));
    const after = await aliasTargets(search, imageAlias(serverPrefix));
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(await documents(serverPrefix)).toBe(IMAGES);

    // Listed for the admin among every task, and by type; not among the project's tasks.
    const listed = await server.gql(
      '{ all: tasks { nodes { taskId } } reindexes: tasks(taskType: "ReindexImages") { totalCount nodes { taskId } } }',
    );
    expect(listed.body.data!.all.nodes.map((n: { taskId: string }) => n.taskId)).toContain(created.taskId);
    expect(listed.body.data!.reindexes.nodes.map((n: { taskId: string }) => n.taskId)).toContain(created.taskId);
    const ofProject = await server.gql('query($p: String!) { tasks(projectName: $p) { totalCount } }', { p: project });
    expect(ofProject.body.data!.tasks.totalCount).toBe(0);
  });

  it('is refused while another is queued or running, and cancelled without a projectName', async () => {
    const first = (await server.gql('mutation { createReindexImagesTask { taskId } }')).body.data!.createReindexImagesTask.taskId;
    const second = await server.gql('mutation { createReindexImagesTask { taskId } }');
    const current = await server.gql(TASK, { id: first });
    // The first may have finished already on a fast machine; while it has not, a second is a conflict.
    if (current.body.data!.task.state === 'QUEUED' || current.body.data!.task.state === 'RUNNING') {
      expect(second.body.errors?.[0].extensions.code).toBe('OperationConflict');
    }
    const cancelled = await server.gql('mutation($id: ID!) { cancelTask(taskId: $id) { state } }', { id: first });
    expect(['CANCELLED', undefined]).toContain(cancelled.body.data?.cancelTask.state);
    await finished(first);
    const again = second.body.data?.createReindexImagesTask?.taskId;
    if (again) await finished(again);
    // Whatever happened, the alias serves one complete index.
    expect(await aliasTargets(search, imageAlias(serverPrefix))).toHaveLength(1);
    expect(await documents(serverPrefix)).toBe(IMAGES);
  });

  it('is the admin key’s alone, as are tasks without a projectName', async () => {
    const created = await server.gql(
      'mutation { createApiKey(input: { name: "reindex-other", actions: [DetectImageLabels, SearchImages], allProjects: true }) { key } }',
    );
    const key = created.body.data!.createApiKey.key;
    const taskId = (await tasks.list(null, { state: null, taskType: REINDEX_IMAGES_TASK }, 1, null)).items[0].id;
    for (const query of [
      'mutation { createReindexImagesTask { taskId } }',
      '{ tasks { totalCount } }',
      `{ task(taskId: "${taskId}") { state } }`,
      `mutation { cancelTask(taskId: "${taskId}") { state } }`,
    ]) {
      const refused = await server.gql(query, {}, bearer(key));
      expect(refused.body.errors?.[0].extensions.code).toBe('AccessDenied');
    }
    // With a project named, a server task is as missing as any task of another project.
    const viaProject = await server.gql(
      'query($p: String!, $id: ID!) { task(projectName: $p, taskId: $id) { state } }',
      { p: project, id: taskId },
      bearer(key),
    );
    expect(viaProject.body.errors?.[0].extensions.code).toBe('ResourceNotFound');
  });
});

describe('labelgate reindex', () => {
  const cli = (key: string, ...args: string[]) =>
    promisify(execFile)(process.execPath, [join(projectRoot, 'bin', 'labelgate.js'), ...args, '--url', server.url, '--key', key], {
      timeout: 120_000,
    });
  /** The CLI's exit code and error output, which fail the test when it succeeds. */
  const refused = async (key: string, ...args: string[]) => {
    const failure = await cli(key, ...args).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    if (!failure) throw new Error(`labelgate ${args.join(' ')} succeeded`);
    return { code: failure.code, stderr: failure.stderr };
  };

  it('creates the task, follows it to its end and prints its counts', async () => {
    const before = await aliasTargets(search, imageAlias(serverPrefix));
    const { stdout, stderr } = await cli(adminKey(), 'reindex', '--no-bar');
    const taskId = /reindex task ([0-9a-f-]{36}) queued/.exec(stderr)![1];
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      taskId,
      taskType: 'ReindexImages',
      state: 'SUCCEEDED',
      total: IMAGES,
      succeeded: IMAGES,
      skipped: 0,
      failed: 0,
    });
    // The progress lines, then what the worker did.
    expect(stderr).toMatch(new RegExp(`\\| ${IMAGES}/${IMAGES} images copied \\| ETA .* \\| SUCCEEDED`));
    expect(stderr).toMatch(new RegExp(`Reindexed ${IMAGES} images into ${serverPrefix}-images-`));
    expect(await aliasTargets(search, imageAlias(serverPrefix))).not.toEqual(before);
    expect(await documents(serverPrefix)).toBe(IMAGES);

    // `task ID` without --project reads it (the admin's), as --no-watch says to.
    const shown = await cli(adminKey(), 'task', taskId);
    expect(JSON.parse(shown.stdout)).toMatchObject({ taskId, taskType: 'ReindexImages', state: 'SUCCEEDED', succeeded: IMAGES });
  });

  it('queues the task and exits with --no-watch', async () => {
    const { stdout } = await cli(adminKey(), 'reindex', '--no-watch');
    const task = JSON.parse(stdout);
    expect(task).toMatchObject({ taskType: 'ReindexImages', state: 'QUEUED' });
    expect((await finished(task.taskId)).state).toBe('SUCCEEDED');
  });

  it('is refused without the admin key, and while another reindex is queued', async () => {
    const created = await server.gql(
      'mutation { createApiKey(input: { name: "reindex-cli", actions: [DetectImageLabels], allProjects: true }) { key } }',
    );
    const denied = await refused(created.body.data!.createApiKey.key, 'reindex', '--no-bar');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^AccessDenied: /m);

    // A reindex of the server's index that no worker takes (its job is not queued) stays queued.
    const queued = await tasks.createServerTask(
      { taskType: REINDEX_IMAGES_TASK, scope: serverPrefix, requestId: 'REQ-cli' },
      async () => undefined,
    );
    try {
      const conflict = await refused(adminKey(), 'reindex', '--no-bar');
      expect(conflict.code).toBe(1);
      expect(conflict.stderr).toMatch(
        new RegExp(`^OperationConflict: .*\\(task ${queued.id}\\)\\. Follow it: labelgate task ${queued.id} --watch$`, 'm'),
      );
    } finally {
      await tasks.cancel(null, queued.id);
    }
  });
});

describe('a ReindexImages task on a worker', () => {
  it('resumes from its last page after its job stops, copying each image once', async () => {
    const prefix = `${config.ES_INDEX_PREFIX}-reindexresume`;
    const taskId = await unqueuedTask(prefix);
    const stop = new AbortController();
    // Stops the job once two pages are recorded, as a worker that shuts down (or dies) would.
    let pages = 0;
    const stopping: TaskRepository = Object.create(tasks, {
      checkpoint: {
        value: async (...args: Parameters<TaskRepository['checkpoint']>) => {
          const recorded = await tasks.checkpoint(...args);
          if ((args[1] as { after: string | null }).after && ++pages === 2) stop.abort();
          return recorded;
        },
      },
    });
    const worker = new ReindexWorker(stopping, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2);
    await expect(worker.reindex({ taskId }, attempt(stop.signal))).rejects.toThrow(/resumes from its last page/);
    const stopped = await tasks.find(taskId);
    expect(stopped).toMatchObject({ state: 'RUNNING', total: IMAGES, succeeded: 4 });
    const building = (stopped!.listCursor as unknown as { index: string }).index;
    expect(await aliasTargets(search, imageAlias(prefix))).not.toContain(building);

    await new ReindexWorker(tasks, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2).reindex({ taskId }, attempt());
    expect(await tasks.find(taskId)).toMatchObject({ state: 'SUCCEEDED', total: IMAGES, succeeded: IMAGES });
    expect(await aliasTargets(search, imageAlias(prefix))).toEqual([building]);
    expect(await documents(prefix)).toBe(IMAGES);
  });

  it('has its total when a run dies before its first checkpoint', async () => {
    const prefix = `${config.ES_INDEX_PREFIX}-reindextotal`;
    const taskId = await unqueuedTask(prefix);
    // Its connection drops before it records the total (a transient failure: the job is tried again).
    const dying: TaskRepository = Object.create(tasks, {
      setTotal: {
        value: async () => {
          throw Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });
        },
      },
    });
    await expect(
      new ReindexWorker(dying, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2).reindex({ taskId }, attempt()),
    ).rejects.toThrow('connection lost');
    await new ReindexWorker(tasks, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2).reindex({ taskId }, attempt());
    expect(await tasks.find(taskId)).toMatchObject({ state: 'SUCCEEDED', total: IMAGES, succeeded: IMAGES });
    // The index the dead run created is gone; only the one serving is left.
    const serving = await aliasTargets(search, imageAlias(prefix));
    expect(Object.keys(await search.indices.get({ index: `${prefix}-images-*` }))).toEqual(serving);
  });

  it('deletes the index a run left when it is cancelled while no worker runs it', async () => {
    const prefix = `${config.ES_INDEX_PREFIX}-reindexorphan`;
    const taskId = await unqueuedTask(prefix);
    const serving = await aliasTargets(search, imageAlias(prefix));
    const stop = new AbortController();
    // The job stops after its first page, as a worker killed mid-copy does, and is cancelled meanwhile.
    const stopping: TaskRepository = Object.create(tasks, {
      checkpoint: {
        value: async (...args: Parameters<TaskRepository['checkpoint']>) => {
          const recorded = await tasks.checkpoint(...args);
          if ((args[1] as { after: string | null }).after) stop.abort();
          return recorded;
        },
      },
    });
    const worker = new ReindexWorker(stopping, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2);
    await expect(worker.reindex({ taskId }, attempt(stop.signal))).rejects.toThrow(/resumes from its last page/);
    const building = ((await tasks.find(taskId))!.listCursor as unknown as { index: string }).index;
    expect(await search.indices.exists({ index: building })).toBe(true);
    expect((await tasks.cancel(null, taskId)).state).toBe('CANCELLED');

    // The job back from the queue finds the task cancelled and clears what the run left.
    await new ReindexWorker(tasks, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2).reindex({ taskId }, attempt());
    expect(await search.indices.exists({ index: building })).toBe(false);
    expect(await tasks.find(taskId)).toMatchObject({ state: 'CANCELLED' });
    expect(await aliasTargets(search, imageAlias(prefix))).toEqual(serving);
  });

  it('deletes what it built when cancelled mid-copy, leaving the alias where it was', async () => {
    const prefix = `${config.ES_INDEX_PREFIX}-reindexcancel`;
    const taskId = await unqueuedTask(prefix);
    const serving = await aliasTargets(search, imageAlias(prefix));
    let building = '';
    const cancelling: TaskRepository = Object.create(tasks, {
      checkpoint: {
        value: async (...args: Parameters<TaskRepository['checkpoint']>) => {
          const cursor = args[1] as { index: string; after: string | null };
          building = cursor.index;
          // Cancelled (through the API's path) once the first page is copied.
          if (cursor.after) await tasks.cancel(null, taskId);
          return tasks.checkpoint(...args);
        },
      },
    });
    await new ReindexWorker(cancelling, { prisma, search, databaseUrl }, taxonomy, logger, undefined, 2).reindex({ taskId }, attempt());
    expect(await tasks.find(taskId)).toMatchObject({ state: 'CANCELLED', succeeded: 0 });
    expect(building).not.toBe('');
    expect(await search.indices.exists({ index: building })).toBe(false);
    expect(await aliasTargets(search, imageAlias(prefix))).toEqual(serving);
  });
});
