import type { Client as PgClient } from 'pg';
import type { TestServer } from './testServer';

export const TASK_FIELDS =
  'taskId taskType state progress total succeeded failed skipped code message startTime endTime etaSeconds sourceURIs';
export const CREATE_TASK = `mutation($input: CreateDetectImageLabelsTaskInput!) { createDetectImageLabelsTask(input: $input) { ${TASK_FIELDS} } }`;
export const TASK = `query($p: String!, $id: ID!, $first: Int, $after: String) { task(projectName: $p, taskId: $id) { ${TASK_FIELDS}
  errors(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { sourceURI code message } } } }`;

const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/** Polls a task query (`task(…)`) until the task is finished (or the deadline passes, which fails the test). */
export async function finishedTaskOf(
  server: TestServer,
  query: string,
  variables: Record<string, unknown>,
  deadlineMs = 120_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const { body } = await server.gql(query, variables);
    const task = body.data?.task;
    if (!task) throw new Error(`task ${JSON.stringify(variables)}: ${JSON.stringify(body.errors)}`);
    if (FINAL.includes(task.state)) return task;
    if (Date.now() > deadline) throw new Error(`task ${task.taskId} did not finish in ${deadlineMs} ms: ${JSON.stringify(task)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls a project's task until it is finished. */
export const finishedTask = (server: TestServer, project: string, taskId: string, deadlineMs = 120_000) =>
  finishedTaskOf(server, TASK, { p: project, id: taskId, first: 100 }, deadlineMs);

/** Creates a task and returns it (failing the test on an error). */
export async function createTask(server: TestServer, input: Record<string, unknown>): Promise<Record<string, any>> {
  const { body } = await server.gql(CREATE_TASK, { input });
  if (!body.data?.createDetectImageLabelsTask) throw new Error(`createDetectImageLabelsTask: ${JSON.stringify(body.errors)}`);
  return body.data.createDetectImageLabelsTask;
}

/** Creates a project that may read the folder `root` (file:// sources), failing the test on an error. */
export async function createFolderProject(server: TestServer, name: string, root: string): Promise<void> {
  const { body } = await server.gql(
    'mutation($n: String!, $r: String!) { createProject(input: { name: $n, sources: { fileRoots: [$r] } }) { name } }',
    { n: name, r: root },
  );
  if (body.errors) throw new Error(`createProject: ${JSON.stringify(body.errors)}`);
}

/** A task's row as stored (what workers record, before the API reads it). */
export const storedTask = async (pg: PgClient, taskId: string) =>
  (
    await pg.query<{ state: string; succeeded: number; failed: number; total: number; cursor: { index: string } | null }>(
      'SELECT state, succeeded, failed, total, list_cursor AS cursor FROM tasks WHERE id = $1',
      [taskId],
    )
  ).rows[0];

/**
 * Stores `count` images of no real photo in every project (written in one statement: what reads
 * them is under test, not how they were labelled), each labelled `cat` when `labelled`.
 */
export async function storeStandInImages(pg: PgClient, count: number, labelled: boolean): Promise<void> {
  await pg.query(
    `INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, detected_at, updated_at)
     SELECT gen_random_uuid(), p.id, 'file:///photos/' || i || '.png', lpad(to_hex(i), 64, '0'), 10, 10, 'png', 100, 'test-model@1', 'test-taxonomy', now(), now()
     FROM projects p, generate_series(1, $1) AS i`,
    [count],
  );
  if (labelled)
    await pg.query(`INSERT INTO image_labels (image_id, label_id, confidence, centric_score) SELECT id, 'cat', 0.9, 0.8 FROM images`);
}

/** Creates a ReindexImages task (the admin key) and returns its id. */
export async function createReindexTask(server: TestServer): Promise<string> {
  const { body } = await server.gql('mutation { createReindexImagesTask { taskId } }');
  if (!body.data?.createReindexImagesTask) throw new Error(JSON.stringify(body.errors));
  return body.data.createReindexImagesTask.taskId as string;
}
