import { ApiError, invalidArgument } from '../api/errors';
import { detectRequestOf, type DetectImageLabelsRequest } from '../images/imageService';
import type { LabelDetector } from '../detection/labelDetector';
import { checkPageSize } from '../api/paging';
import type { ProjectDirectory } from '../projects/projectDirectory';
import { checkProjectName, checkThreshold } from '../projects/projectRules';
import type { ImageSources } from '../storage/imageSources';
import type { TaskState } from '../vocabulary';
import { DETECT_IMAGE_LABELS_TASK, REINDEX_IMAGES_TASK, TASK_STATES, TaskFeed, TaskRecord } from './taskModel';
import type { TaskQueue } from './taskQueue';
import { errorCursorOf, type TaskRepository } from './taskRepository';
import { parseSourcePrefix } from '../storage/sourcePrefix';

/** createDetectImageLabelsTask's input: detectImageLabels' options over one or more prefixes or folders. */
export type CreateDetectTaskRequest = Omit<DetectImageLabelsRequest, 'sourceUri'> & {
  sourceUri?: string | null;
  sourceUris?: string[] | null;
  itemLimit?: number | null;
  force?: boolean | null;
};

export interface TaskLimits {
  /** Unfinished (queued or running) tasks a project may have. */
  maxActivePerProject: number;
  /** Default and largest item limit of one task. */
  defaultItemLimit: number;
  maxItemLimit: number;
  /** Most sources one task may name. */
  maxSources: number;
  /** The search index prefix a ReindexImages task rebuilds (ES_INDEX_PREFIX). */
  indexPrefix: string;
}

/**
 * Labeling tasks as the API offers them (IMM's CreateDetectImageLabelsTask, GetTask, ListTasks,
 * CancelTask): every check, the project's sources too, runs before the task is queued; workers do
 * the rest (TaskWorker).
 */
export class TaskService {
  constructor(
    private readonly projects: ProjectDirectory,
    private readonly tasks: TaskRepository,
    private readonly queue: TaskQueue,
    private readonly sources: ImageSources,
    /** Checks detection options as detectImageLabels does; null on a gateway without models. */
    private readonly detector: Pick<LabelDetector, 'checkRequest'> | null,
    private readonly limits: TaskLimits,
    /** Where a cancellation is announced to live subscribers (best effort). */
    private readonly feed: TaskFeed | null = null,
  ) {}

  async createDetectTask(request: CreateDetectTaskRequest, requestId: string): Promise<TaskRecord> {
    const projectName = checkProjectName(request.projectName, 'projectName');
    const uris = this.sourceUrisOf(request);
    const prefixes = uris.map((uri, i) => parseSourcePrefix(uri, request.sourceUris?.length ? `sourceURIs[${i}]` : 'sourceURI'));
    const threshold = checkThreshold(request.threshold);
    const itemLimit = this.itemLimitOf(request.itemLimit);
    const project = await this.projects.get(projectName);
    // The project's sources decide before anything is queued, as for detectImageLabels (AccessDenied).
    for (const prefix of prefixes) this.sources.authorize(prefix, request.credentialConfig, project.sources);
    const options = { ...detectRequestOf(request, threshold ?? project.defaultThreshold), force: request.force ?? false };
    this.detector?.checkRequest(options);
    return this.tasks.create(
      {
        project,
        taskType: DETECT_IMAGE_LABELS_TASK,
        sourceUris: uris,
        credentialConfig: request.credentialConfig ?? null,
        options,
        itemLimit,
        requestId,
      },
      this.limits.maxActivePerProject,
      (db, taskId) => this.queue.enqueueListing(db, taskId),
    );
  }

  /** Queues a rebuild of the search index (admin); OperationConflict while one is queued or running. */
  createReindexTask(requestId: string): Promise<TaskRecord> {
    return this.tasks.createServerTask({ taskType: REINDEX_IMAGES_TASK, scope: this.limits.indexPrefix, requestId }, (db, taskId) =>
      this.queue.enqueueReindex(db, taskId),
    );
  }

  private sourceUrisOf(request: CreateDetectTaskRequest): string[] {
    const list = request.sourceUris ?? [];
    if (request.sourceUri && list.length) throw invalidArgument('Give sourceURI or sourceURIs, not both.', 'sourceURIs');
    const uris = request.sourceUri ? [request.sourceUri] : list;
    if (uris.length === 0) throw new ApiError('MissingParameter', 'sourceURI (or sourceURIs) is required.', { field: 'sourceURI' });
    if (uris.length > this.limits.maxSources)
      throw new ApiError('LimitExceeded', `A task may name at most ${this.limits.maxSources} sources (got ${uris.length}).`, {
        field: 'sourceURIs',
      });
    return [...new Set(uris)];
  }

  private itemLimitOf(value: number | null | undefined): number {
    if (value === undefined || value === null) return this.limits.defaultItemLimit;
    if (!Number.isInteger(value) || value < 1 || value > this.limits.maxItemLimit) {
      throw invalidArgument(`itemLimit must be an integer between 1 and ${this.limits.maxItemLimit} (got ${value}).`, 'itemLimit');
    }
    return value;
  }

  /** The project's id; null without a project name (the admin's calls: every task, server tasks included). */
  private async projectIdOf(projectName: string | null | undefined): Promise<string | null> {
    if (projectName === null || projectName === undefined) return null;
    return (await this.projects.get(checkProjectName(projectName, 'projectName'))).id;
  }

  async get(projectName: string | null | undefined, taskId: string): Promise<TaskRecord> {
    return this.tasks.get(await this.projectIdOf(projectName), taskId);
  }

  async list(
    projectName: string | null | undefined,
    filter: { state?: string | null; taskType?: string | null },
    first: number | null | undefined,
    after: string | null | undefined,
  ) {
    const projectId = await this.projectIdOf(projectName);
    const { state, taskType } = filter;
    if (state && !TASK_STATES.includes(state as TaskState))
      throw invalidArgument(`state must be one of ${TASK_STATES.join(', ')}.`, 'state');
    return this.tasks.list(
      projectId,
      { state: (state as TaskState | null) ?? null, taskType: taskType ?? null },
      checkPageSize(first),
      after,
    );
  }

  cursorOf(task: TaskRecord): string {
    return this.tasks.cursorOf(task);
  }

  async cancel(projectName: string | null | undefined, taskId: string): Promise<TaskRecord> {
    const cancelled = await this.tasks.cancel(await this.projectIdOf(projectName), taskId);
    // Server tasks have no project, and so no subscribers.
    if (cancelled.projectName) void this.feed?.publish('taskProgress', { projectName: cancelled.projectName, taskId: cancelled.id });
    return cancelled;
  }

  readonly errorCursorOf = errorCursorOf;

  /** A task's failed items, in listing order. */
  errors(task: TaskRecord, first: number | null | undefined, after: string | null | undefined) {
    return this.tasks.errors(task.id, checkPageSize(first), after);
  }
}
