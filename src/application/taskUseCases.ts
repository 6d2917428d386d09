import type { TaskState } from '../vocabulary';
import type { LiveTopics } from '../live/liveTopics';
import { progressOf, TaskRecord } from '../tasks/taskModel';
import type { CreateDetectTaskRequest, TaskService } from '../tasks/taskService';
import { ConnectionView, connectionOf } from './connection';

/** A task as the API shows it, with the stored task (for its errors). */
export interface TaskView {
  taskId: string;
  /** Null for a server task (ReindexImages). */
  projectName: string | null;
  taskType: string;
  state: TaskState;
  progress: number;
  total: number;
  succeeded: number;
  failed: number;
  skipped: number;
  sourceURIs: string[];
  code: string | null;
  message: string | null;
  createdAt: Date;
  startTime: Date | null;
  endTime: Date | null;
  etaSeconds: number | null;
  record: TaskRecord;
}

export interface TaskItemErrorView {
  sourceURI: string;
  code: string;
  message: string;
}

/** createDetectImageLabelsTask's input as the API names it (sourceURI, sourceURIs). */
export type CreateTaskInput = Omit<CreateDetectTaskRequest, 'sourceUri' | 'sourceUris'> & {
  sourceURI?: string | null;
  sourceURIs?: string[] | null;
};

function taskViewOf(task: TaskRecord): TaskView {
  const { progress, etaSeconds } = progressOf(task);
  return {
    taskId: task.id,
    projectName: task.projectName,
    taskType: task.taskType,
    state: task.state,
    progress,
    total: task.total,
    succeeded: task.succeeded,
    failed: task.failed,
    skipped: task.skipped,
    sourceURIs: task.sourceUris,
    code: task.code,
    message: task.message,
    createdAt: task.createdAt,
    startTime: task.startTime,
    endTime: task.endTime,
    etaSeconds,
    record: task,
  };
}

/** Which tasks a listing returns: by state, by type. */
export interface TaskListFilter {
  state?: TaskState | null;
  taskType?: string | null;
}

/**
 * Labeling and server tasks: queue, follow, list and cancel them (workers run them:
 * tasks/taskWorker.ts, tasks/reindexWorker.ts). Without a project name (the admin), every task.
 */
export class TaskUseCases {
  constructor(private readonly tasks: TaskService) {}

  async create(input: CreateTaskInput, requestId: string): Promise<TaskView> {
    return taskViewOf(await this.tasks.createDetectTask({ ...input, sourceUri: input.sourceURI, sourceUris: input.sourceURIs }, requestId));
  }

  /** Queues a rebuild of the search index (admin); OperationConflict while one is queued or running. */
  async createReindex(requestId: string): Promise<TaskView> {
    return taskViewOf(await this.tasks.createReindexTask(requestId));
  }

  async get(projectName: string | null | undefined, taskId: string): Promise<TaskView> {
    return taskViewOf(await this.tasks.get(projectName, taskId));
  }

  /** The task a progress event is about, as it stands now. */
  progress(event: LiveTopics['taskProgress']): Promise<TaskView> {
    return this.get(event.projectName, event.taskId);
  }

  async list(
    projectName: string | null | undefined,
    filter: TaskListFilter,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ConnectionView<TaskView>> {
    const page = await this.tasks.list(projectName, filter, first, after);
    return connectionOf(page, taskViewOf, (row) => this.tasks.cursorOf(row));
  }

  async cancel(projectName: string | null | undefined, taskId: string): Promise<TaskView> {
    return taskViewOf(await this.tasks.cancel(projectName, taskId));
  }

  async errors(
    task: TaskView,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<ConnectionView<TaskItemErrorView>> {
    const page = await this.tasks.errors(task.record, first, after);
    return connectionOf(
      page,
      (row) => ({ sourceURI: row.sourceUri, code: row.code, message: row.message }),
      (row) => this.tasks.errorCursorOf(row),
    );
  }
}
