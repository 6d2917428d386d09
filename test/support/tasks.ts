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
