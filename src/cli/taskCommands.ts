import { SingleBar } from 'cli-progress';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../api/errors';
import { apiTarget, ApiTarget, callApi } from './apiClient';

const TASK_FIELDS = 'taskId taskType state progress total succeeded failed skipped etaSeconds code message startTime endTime sourceURIs';
const ERRORS = 'errors(first: 100) { totalCount nodes { sourceURI code message } }';
const CREATE = `mutation($input: CreateDetectImageLabelsTaskInput!) { createDetectImageLabelsTask(input: $input) { ${TASK_FIELDS} } }`;
const CREATE_REINDEX = `mutation { createReindexImagesTask { ${TASK_FIELDS} } }`;
const GET_OF_PROJECT = `query($p: String!, $id: ID!) { task(projectName: $p, taskId: $id) { ${TASK_FIELDS} ${ERRORS} } }`;
/** Any task, server tasks (ReindexImages) included: the admin key's. */
const GET_ANY = `query($id: ID!) { task(taskId: $id) { ${TASK_FIELDS} ${ERRORS} } }`;
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
const REINDEX_IMAGES = 'ReindexImages';

interface TaskView {
  taskId: string;
  taskType: string;
  state: string;
  progress: number;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  etaSeconds: number | null;
  code: string | null;
  message: string | null;
  errors?: { totalCount: number; nodes: { sourceURI: string; code: string; message: string }[] };
}

export interface TaskCommandOptions {
  /** The task's project; none for a server task (ReindexImages), which only the admin key reads. */
  project?: string;
  url?: string;
  key?: string;
  /** Redraw the bar; false prints a line per poll (no terminal). */
  bar: boolean;
  pollMs: number;
}

async function readTask(target: ApiTarget, project: string | undefined, taskId: string): Promise<TaskView> {
  const { task } = project
    ? await callApi<{ task: TaskView }>(target, GET_OF_PROJECT, { p: project, id: taskId })
    : await callApi<{ task: TaskView }>(target, GET_ANY, { id: taskId });
  return task;
}

/** A folder on this machine as the server reads it (file://, under its FILE_ROOTS); URIs as given. */
export const sourceUriOf = (source: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : `${pathToFileURL(resolve(source)).href.replace(/\/?$/, '/')}`;

/** `labelgate label SOURCE --project P`: creates a task, then follows it to its end. */
export async function labelCommand(
  source: string,
  detect: Record<string, unknown>,
  options: TaskCommandOptions & { project: string },
): Promise<number> {
  const target = apiTarget(options.url, options.key);
  const input = { projectName: options.project, sourceURI: sourceUriOf(source), ...detect };
  const { createDetectImageLabelsTask: task } = await callApi<{ createDetectImageLabelsTask: TaskView }>(target, CREATE, { input });
  console.error(
    `task ${task.taskId} queued for ${input.sourceURI} (Ctrl-C stops watching; the task goes on: labelgate task ${task.taskId} --project ${options.project})`,
  );
  return follow(target, task.taskId, options);
}

/**
 * `labelgate reindex`: queues a ReindexImages task (admin key), then follows it to its end unless
 * `watch` is false. A reindex already queued or running is named, so that it can be followed instead.
 */
export async function reindexCommand(watch: boolean, options: TaskCommandOptions): Promise<number> {
  const target = apiTarget(options.url, options.key);
  let task: TaskView;
  try {
    ({ createReindexImagesTask: task } = await callApi<{ createReindexImagesTask: TaskView }>(target, CREATE_REINDEX, {}));
  } catch (error) {
    const running = error instanceof ApiError && error.code === 'OperationConflict' ? error.details.taskId : undefined;
    if (typeof running === 'string')
      throw new ApiError(
        'OperationConflict',
        `${error instanceof Error ? error.message : ''} Follow it: labelgate task ${running} --watch`,
        {
          taskId: running,
        },
      );
    throw error;
  }
  if (!watch) {
    console.log(JSON.stringify(task, null, 2));
    return 0;
  }
  console.error(`reindex task ${task.taskId} queued (Ctrl-C stops watching; the task goes on: labelgate task ${task.taskId} --watch)`);
  return follow(target, task.taskId, options);
}

/** `labelgate task ID [--project P] [--watch]`: prints the task (with its errors), or follows it. */
export async function taskCommand(taskId: string, watch: boolean, options: TaskCommandOptions): Promise<number> {
  const target = apiTarget(options.url, options.key);
  if (watch) return follow(target, taskId, options);
  const task = await readTask(target, options.project, taskId);
  console.log(JSON.stringify(task, null, 2));
  return task.state === 'FAILED' ? 1 : 0;
}

/** The server's estimate (its pace so far; none before the first images are done), as 42s, 3m05s or 2h07m. */
export function etaText(seconds: number | null): string {
  if (seconds === null) return '?';
  const two = (n: number) => String(n).padStart(2, '0');
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${two(Math.floor((seconds % 3600) / 60))}m`;
}

const counts = (task: TaskView) => ({
  succeeded: task.succeeded,
  failed: task.failed,
  skipped: task.skipped,
  state: task.state,
  eta: etaText(task.etaSeconds),
});

/** The bar of a labeling task, or of a reindex (which copies images: nothing is skipped or fails one by one). */
const barFormat = (task: TaskView) =>
  task.taskType === REINDEX_IMAGES
    ? '{bar} {percentage}% | {value}/{total} images copied | ETA {eta} | {state}'
    : '{bar} {percentage}% | {value}/{total} images | ETA {eta} | {succeeded} labelled, {skipped} skipped, {failed} failed | {state}';

async function follow(target: ApiTarget, taskId: string, options: TaskCommandOptions): Promise<number> {
  let bar: SingleBar | null = null;
  let task: TaskView;
  try {
    for (;;) {
      task = await readTask(target, options.project, taskId);
      const done = task.succeeded + task.failed + task.skipped;
      if (!bar) {
        bar = new SingleBar({ format: barFormat(task), noTTYOutput: !options.bar, notTTYSchedule: options.pollMs });
        bar.start(Math.max(task.total, 1), done, counts(task));
      }
      bar.setTotal(Math.max(task.total, 1));
      bar.update(done, counts(task));
      if (FINAL.includes(task.state)) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, options.pollMs));
    }
  } finally {
    bar?.stop();
  }
  for (const error of task.errors?.nodes ?? []) console.error(`failed: ${error.sourceURI}: ${error.code}: ${error.message}`);
  if ((task.errors?.totalCount ?? 0) > (task.errors?.nodes.length ?? 0))
    console.error(`… and ${task.errors!.totalCount - task.errors!.nodes.length} more (query task.errors with paging)`);
  if (task.code) console.error(`${task.code}: ${task.message}`);
  else if (task.message) console.error(task.message);
  console.log(
    JSON.stringify({
      taskId: task.taskId,
      taskType: task.taskType,
      state: task.state,
      total: task.total,
      succeeded: task.succeeded,
      skipped: task.skipped,
      failed: task.failed,
    }),
  );
  return task.state === 'SUCCEEDED' ? 0 : 1;
}
