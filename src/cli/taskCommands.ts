import { SingleBar } from 'cli-progress';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiTarget, ApiTarget, callApi } from './apiClient';

const TASK_FIELDS = 'taskId state progress total succeeded failed skipped etaSeconds code message startTime endTime sourceURIs';
const CREATE = `mutation($input: CreateDetectImageLabelsTaskInput!) { createDetectImageLabelsTask(input: $input) { ${TASK_FIELDS} } }`;
const GET = `query($p: String!, $id: ID!) { task(projectName: $p, taskId: $id) { ${TASK_FIELDS} errors(first: 100) { totalCount nodes { sourceURI code message } } } }`;
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

interface TaskView {
  taskId: string;
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
  project: string;
  url?: string;
  key?: string;
  /** Redraw the bar; false prints a line per poll (no terminal). */
  bar: boolean;
  pollMs: number;
}

/** A folder on this machine as the server reads it (file://, under its FILE_ROOTS); URIs as given. */
export const sourceUriOf = (source: string) =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(source) ? source : `${pathToFileURL(resolve(source)).href.replace(/\/?$/, '/')}`;

/** `labelgate label SOURCE --project P`: creates a task, then follows it to its end. */
export async function labelCommand(source: string, detect: Record<string, unknown>, options: TaskCommandOptions): Promise<number> {
  const target = apiTarget(options.url, options.key);
  const input = { projectName: options.project, sourceURI: sourceUriOf(source), ...detect };
  const { createDetectImageLabelsTask: task } = await callApi<{ createDetectImageLabelsTask: TaskView }>(target, CREATE, { input });
  console.error(
    `task ${task.taskId} queued for ${input.sourceURI} (Ctrl-C stops watching; the task goes on: labelgate task ${task.taskId} --project ${options.project})`,
  );
  return follow(target, task.taskId, options);
}

/** `labelgate task ID --project P [--watch]`: prints the task (with its errors), or follows it. */
export async function taskCommand(taskId: string, watch: boolean, options: TaskCommandOptions): Promise<number> {
  const target = apiTarget(options.url, options.key);
  if (watch) return follow(target, taskId, options);
  const { task } = await callApi<{ task: TaskView }>(target, GET, { p: options.project, id: taskId });
  console.log(JSON.stringify(task, null, 2));
  return task.state === 'FAILED' ? 1 : 0;
}

const counts = (task: TaskView) => ({ succeeded: task.succeeded, failed: task.failed, skipped: task.skipped, state: task.state });

async function follow(target: ApiTarget, taskId: string, options: TaskCommandOptions): Promise<number> {
  const bar = new SingleBar({
    format:
      '{bar} {percentage}% | {value}/{total} images | ETA {eta_formatted} | {succeeded} labelled, {skipped} skipped, {failed} failed | {state}',
    etaBuffer: 50,
    noTTYOutput: !options.bar,
    notTTYSchedule: options.pollMs,
  });
  let task: TaskView;
  let started = false;
  try {
    for (;;) {
      task = (await callApi<{ task: TaskView }>(target, GET, { p: options.project, id: taskId })).task;
      const done = task.succeeded + task.failed + task.skipped;
      if (!started) bar.start(Math.max(task.total, 1), done, counts(task));
      started = true;
      bar.setTotal(Math.max(task.total, 1));
      bar.update(done, counts(task));
      if (FINAL.includes(task.state)) break;
      await new Promise((resolveWait) => setTimeout(resolveWait, options.pollMs));
    }
  } finally {
    if (started) bar.stop();
  }
  for (const error of task.errors?.nodes ?? []) console.error(`failed: ${error.sourceURI}: ${error.code}: ${error.message}`);
  if ((task.errors?.totalCount ?? 0) > (task.errors?.nodes.length ?? 0))
    console.error(`… and ${task.errors!.totalCount - task.errors!.nodes.length} more (query task.errors with paging)`);
  if (task.code) console.error(`${task.code}: ${task.message}`);
  console.log(
    JSON.stringify({
      taskId: task.taskId,
      state: task.state,
      total: task.total,
      succeeded: task.succeeded,
      skipped: task.skipped,
      failed: task.failed,
    }),
  );
  return task.state === 'SUCCEEDED' ? 0 : 1;
}
