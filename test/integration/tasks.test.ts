import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config/projectRoot';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { readFileSync } from 'node:fs';
import { readServicesState } from '../../tools/services/serviceUrls';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { sharedImage } from '../support/sharedData';
import { CREATE_TASK, createTask, finishedTask, TASK } from '../support/tasks';
import { adminKey, bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Labeling tasks end to end: real Postgres (its own database: other files' workers must not take
// these jobs), S3Proxy, real folders and the real models.
const PHOTOS = ['photos/coffee.png', 'photos/chelsea.png', 'darknet/dog.jpg', 'darknet/giraffe.jpg', 'darknet/horses.jpg'];
const bucket = `lg-tasks-${process.pid}`;
const project = uniqueName('tasks');
const bare = uniqueName('tasks-bare');
let server: TestServer;
let pg: PgClient;
let root: string;

const stored = async () => {
  const id = (await pg.query('SELECT id FROM projects WHERE name = $1', [project])).rows[0].id;
  const count = async (sql: string) => Number((await pg.query(sql, [id])).rows[0].count);
  return {
    images: await count('SELECT count(*) FROM images WHERE project_id = $1'),
    detections: await count('SELECT count(*) FROM detections d JOIN images i ON i.id = d.image_id WHERE i.project_id = $1'),
  };
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'labelgate-tasks-'));
  mkdirSync(join(root, 'album', 'nested'), { recursive: true });
  PHOTOS.slice(0, 3).forEach((photo, i) => copyFileSync(sharedImage(photo), join(root, 'album', `${i}-${photo.split('/')[1]}`)));
  copyFileSync(sharedImage(PHOTOS[3]), join(root, 'album', 'nested', 'giraffe.jpg'));
  copyFileSync(sharedImage('bad/truncated.jpg'), join(root, 'album', 'nested', 'truncated.jpg'));
  writeFileSync(join(root, 'album', 'notes.txt'), 'not an image');
  // A link leading out of the root: listed (it looks like an image), refused when read.
  symlinkSync('/etc/hostname', join(root, 'album', 'escape.jpg'));

  const s3 = readServicesState().s3!;
  const client = new S3Client({
    endpoint: s3.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const photo of PHOTOS)
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `library/${photo}`, Body: readFileSync(sharedImage(photo)) }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'library/readme.txt', Body: 'not an image' }));
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'library/bad/truncated.jpg', Body: readFileSync(sharedImage('bad/truncated.jpg')) }),
  );
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'elsewhere/dog.jpg', Body: readFileSync(sharedImage('darknet/dog.jpg')) }));
  client.destroy();

  const databaseUrl = await isolatedDatabase('tasks');
  // Listing pages of two keys, so S3 paging and resumption are exercised; two tasks at most per project.
  server = await startTestServer({
    DATABASE_URL: databaseUrl,
    FILE_ROOTS: root,
    TASK_LIST_PAGE: '2',
    TASK_MAX_ACTIVE_PER_PROJECT: '2',
    TASK_CHUNK_SIZE: '3',
  });
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const sources = { storageProfiles: [{ profile: 'local' }], fileRoots: [root] };
  for (const [name, grant] of [
    [project, sources],
    [bare, null],
  ] as const) {
    const { body } = await server.gql(
      'mutation($n: String!, $s: ProjectSourcesInput) { createProject(input: { name: $n, sources: $s }) { name } }',
      { n: name, s: grant },
    );
    expect(body.errors).toBeUndefined();
  }
});

afterAll(async () => {
  await pg?.end();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a task over a folder', () => {
  let first: Record<string, any>;

  it('labels every image below it, counts the ones it cannot read as failed, and succeeds', async () => {
    const created = await createTask(server, { projectName: project, sourceURI: `file://${root}/album/`, language: 'EN' });
    expect(created).toMatchObject({ taskType: 'DetectImageLabels', total: 0, progress: 0, sourceURIs: [`file://${root}/album/`] });
    expect(['QUEUED', 'RUNNING']).toContain(created.state);
    first = await finishedTask(server, project, created.taskId);
    expect(first).toMatchObject({
      state: 'SUCCEEDED',
      progress: 100,
      total: 6,
      succeeded: 4,
      failed: 2,
      skipped: 0,
      code: null,
      etaSeconds: 0,
    });
    expect(Date.parse(first.endTime)).toBeGreaterThanOrEqual(Date.parse(first.startTime));
    const errors = Object.fromEntries(
      first.errors.nodes.map((e: { sourceURI: string; code: string }) => [e.sourceURI.replace(`file://${root}/album/`, ''), e.code]),
    );
    expect(errors).toEqual({ 'escape.jpg': 'AccessDenied', 'nested/truncated.jpg': 'InvalidArgument' });
    expect(await stored()).toEqual({ images: 4, detections: 4 });
    const labels = await pg.query(`SELECT count(*) FROM image_labels l JOIN images i ON i.id = l.image_id WHERE i.source_uri = $1`, [
      `file://${root}/album/2-dog.jpg`,
    ]);
    expect(Number(labels.rows[0].count)).toBeGreaterThan(0);
  });

  it('skips every unchanged image the second time, and labels a changed one again', async () => {
    const again = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/album` })).taskId,
    );
    expect(again).toMatchObject({ state: 'SUCCEEDED', total: 6, succeeded: 0, failed: 2, skipped: 4 });
    expect(await stored()).toEqual({ images: 4, detections: 4 });

    copyFileSync(sharedImage('darknet/kite.jpg'), join(root, 'album', 'nested', 'giraffe.jpg'));
    const changed = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/album/nested/` })).taskId,
    );
    expect(changed).toMatchObject({ state: 'SUCCEEDED', total: 2, succeeded: 1, failed: 1, skipped: 0 });
    expect(await stored()).toEqual({ images: 4, detections: 5 });

    const forced = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/album/nested/`, force: true })).taskId,
    );
    expect(forced).toMatchObject({ succeeded: 1, skipped: 0 });
  });

  it('lists the first itemLimit images and says so', async () => {
    const limited = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/album/`, itemLimit: 2, force: true })).taskId,
    );
    expect(limited).toMatchObject({ state: 'SUCCEEDED', total: 2, succeeded: 2, code: 'LimitExceeded' });
  });

  it('fails a task whose folder does not exist', async () => {
    const missing = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/none/` })).taskId,
    );
    expect(missing).toMatchObject({ state: 'FAILED', code: 'ResourceNotFound', total: 0 });
  });

  it('fails a task whose sourceURI names a file: InvalidArgument saying it takes a folder', async () => {
    const [file] = readdirSync(join(root, 'album')).filter((name) => name.endsWith('.jpg') || name.endsWith('.png'));
    const onFile = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/album/${file}` })).taskId,
    );
    expect(onFile).toMatchObject({ state: 'FAILED', code: 'InvalidArgument', total: 0, message: expect.stringContaining('folder') });
  });
});

describe('a task over an S3 prefix', () => {
  it('pages through the listing, labels the images under the prefix only, and skips them the second time', async () => {
    const task = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `s3://${bucket}/library/` })).taskId,
    );
    expect(task).toMatchObject({ state: 'SUCCEEDED', progress: 100, total: 6, succeeded: 5, failed: 1, skipped: 0 });
    expect(task.errors.nodes).toEqual([
      { sourceURI: `s3://${bucket}/library/bad/truncated.jpg`, code: 'InvalidArgument', message: expect.any(String) },
    ]);
    const uris = (await pg.query(`SELECT source_uri FROM images WHERE source_uri LIKE $1 ORDER BY 1`, [`s3://${bucket}/%`])).rows.map(
      (r) => r.source_uri,
    );
    expect(uris).toEqual(PHOTOS.map((photo) => `s3://${bucket}/library/${photo}`).sort());

    const again = await finishedTask(
      server,
      project,
      (
        await createTask(server, {
          projectName: project,
          sourceURIs: [`s3://${bucket}/library/darknet/`, `s3://${bucket}/library/photos/`],
        })
      ).taskId,
    );
    expect(again).toMatchObject({ state: 'SUCCEEDED', total: 5, succeeded: 0, skipped: 5, failed: 0 });
  });
});

describe('following and cancelling tasks', () => {
  it('lists tasks newest first, by state, a page at a time', async () => {
    const query =
      'query($p: String!, $s: TaskState, $first: Int, $after: String) { tasks(projectName: $p, state: $s, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { taskId state createdAt } } }';
    const all = (await server.gql(query, { p: project, first: 100 })).body.data!.tasks;
    expect(all.totalCount).toBeGreaterThanOrEqual(8);
    const times = all.nodes.map((t: { createdAt: string }) => Date.parse(t.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const failed = (await server.gql(query, { p: project, s: 'FAILED' })).body.data!.tasks;
    // The folder that does not exist, and the file named as a folder.
    expect(failed.nodes.map((t: { state: string }) => t.state)).toEqual(['FAILED', 'FAILED']);
    const page1 = (await server.gql(query, { p: project, first: 3 })).body.data!.tasks;
    const page2 = (await server.gql(query, { p: project, first: 3, after: page1.pageInfo.endCursor })).body.data!.tasks;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page2.nodes[0].taskId).toBe(all.nodes[3].taskId);
  });

  it('limits a project to its running tasks, and cancels them', async () => {
    const input = { projectName: project, sourceURI: `s3://${bucket}/library/`, force: true };
    const a = await createTask(server, input);
    const b = await createTask(server, input);
    const third = await server.gql(CREATE_TASK, { input });
    expect(third.body.errors?.[0].extensions.code).toBe('LimitExceeded');
    const cancel = 'mutation($p: String!, $id: ID!) { cancelTask(projectName: $p, taskId: $id) { state endTime } }';
    for (const task of [a, b]) {
      const cancelled = await server.gql(cancel, { p: project, id: task.taskId });
      // A task that finished first cannot be cancelled any more.
      if (cancelled.body.errors) expect(cancelled.body.errors[0].extensions.code).toBe('OperationConflict');
      else expect(cancelled.body.data!.cancelTask.state).toBe('CANCELLED');
    }
    const after = await finishedTask(server, project, a.taskId);
    expect(['CANCELLED', 'SUCCEEDED']).toContain(after.state);
    // A place is free again.
    await finishedTask(server, project, (await createTask(server, input)).taskId);
  });
});

describe('the CLI', () => {
  it('creates a task for a folder, follows it to its end and prints its counts and errors', async () => {
    const cli = join(projectRoot, 'bin', 'labelgate.js');
    const run = promisify(execFile);
    const args = [
      'label',
      join(root, 'album', 'nested'),
      '--project',
      project,
      '--url',
      server.url,
      '--key',
      adminKey(),
      '--no-bar',
      '--force',
    ];
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { timeout: 120_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ state: 'SUCCEEDED', total: 2, succeeded: 1, failed: 1 });
    expect(stderr).toContain(`failed: file://${root}/album/nested/truncated.jpg: InvalidArgument`);
    const taskId = /task ([0-9a-f-]{36}) queued/.exec(stderr)![1];
    const shown = await run(process.execPath, [cli, 'task', taskId, '--project', project, '--url', server.url, '--key', adminKey()], {
      timeout: 30_000,
    });
    expect(JSON.parse(shown.stdout)).toMatchObject({ taskId, state: 'SUCCEEDED', errors: { totalCount: 1 } });
  });
});

describe('what is refused', () => {
  it.each([
    ['a source the project may not read', () => ({ projectName: bare, sourceURI: `file://${root}/album/` }), 'AccessDenied'],
    ['a bucket the project may not read', () => ({ projectName: bare, sourceURI: `s3://${bucket}/library/` }), 'AccessDenied'],
    ['a folder outside FILE_ROOTS', () => ({ projectName: project, sourceURI: 'file:///etc/' }), 'AccessDenied'],
    ['an https source', () => ({ projectName: project, sourceURI: 'https://example.com/photos/' }), 'InvalidArgument'],
    ['no source', () => ({ projectName: project }), 'MissingParameter'],
    [
      'both sourceURI and sourceURIs',
      () => ({ projectName: project, sourceURI: `s3://${bucket}/a/`, sourceURIs: [`s3://${bucket}/b/`] }),
      'InvalidArgument',
    ],
    ['an encoded ".." escape', () => ({ projectName: project, sourceURI: `file://${root}/album/%2E%2E%2F..%2Fetc/` }), 'InvalidArgument'],
    ['an itemLimit of 0', () => ({ projectName: project, sourceURI: `s3://${bucket}/library/`, itemLimit: 0 }), 'InvalidArgument'],
    ['a threshold above 1', () => ({ projectName: project, sourceURI: `s3://${bucket}/library/`, threshold: 2 }), 'InvalidArgument'],
    [
      'an unknown label',
      () => ({ projectName: project, sourceURI: `s3://${bucket}/library/`, includeLabels: ['no-such-label-here'] }),
      'InvalidArgument',
    ],
    ['a missing project', () => ({ projectName: 'no-such-project-here', sourceURI: `s3://${bucket}/library/` }), 'ResourceNotFound'],
  ])('%s', async (_label, input, code) => {
    const { body } = await server.gql(CREATE_TASK, { input: input() });
    expect(body.errors?.[0].extensions.code).toBe(code);
  });

  it('answers ResourceNotFound for a task of another project or none', async () => {
    const task = await createTask(server, { projectName: project, sourceURI: `file://${root}/album/nested/` });
    expect((await server.gql(TASK, { p: bare, id: task.taskId })).body.errors?.[0].extensions.code).toBe('ResourceNotFound');
    expect((await server.gql(TASK, { p: project, id: 'not-a-task' })).body.errors?.[0].extensions.code).toBe('ResourceNotFound');
    await finishedTask(server, project, task.taskId);
  });

  it('hides tasks from keys that do not cover the project', async () => {
    const created = await server.gql(
      'mutation($p: [String!]) { createApiKey(input: { name: "tasks-other", actions: [DetectImageLabels], projectNames: $p }) { key } }',
      { p: [bare] },
    );
    const key = created.body.data!.createApiKey.key;
    const { body } = await server.gql(CREATE_TASK, { input: { projectName: project, sourceURI: `file://${root}/album/` } }, bearer(key));
    expect(body.errors?.[0].extensions.code).toBe('ResourceNotFound');
  });
});
