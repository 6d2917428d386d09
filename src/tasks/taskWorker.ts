import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { withDeadline } from '../deadline';
import { ApiError } from '../api/errors';
import type { DetectRequest, LabelDetector } from '../detection/labelDetector';
import type { Logger } from '../logger';
import { detectionRecordOf } from '../images/imageService';
import type { Project } from '../persistence/projectRepository';
import type { ProjectDirectory } from '../projects/projectDirectory';
import { isServiceOutage } from '../serviceOutage';
import type { ImageSources } from '../storage/imageSources';
import { parseSourceUri } from '../storage/sourceUri';
import { FINAL_STATES, isProjectTask, type ItemOutcome, type ProjectTaskRecord, type TaskFeed } from './taskModel';
import { deadLetterMessage, type ChunkJob, type DeadLetter, type ListJob, type TaskJobHandlers, type TaskQueue } from './taskQueue';
import type { Settled, TaskRepository } from './taskRepository';
import { DirectoryLister, ObjectLister, SourceLister } from './sourceListers';

/** A URI's stored spelling (parseSourceUri's); one that does not parse stays as it is, to fail as an item. */
function storedSpellingOf(uri: string): string {
  try {
    return parseSourceUri(uri).uri;
  } catch {
    return uri;
  }
}
import { parseSourcePrefix } from '../storage/sourcePrefix';

export interface TaskWorkerOptions {
  /** Items per queue job: the unit workers share (and redo after a crash, less what they stored). */
  chunkSize: number;
  /** Results stored per transaction. */
  storeBatch: number;
  /** Images of one chunk read and labelled at a time (the detector batches them). */
  concurrency: number;
  /** Listed items written (and their chunks enqueued) per transaction. */
  listPage: number;
  /** The longest one image may take (read and label); past it the chunk is retried. */
  itemTimeoutMs: number;
}

export const DEFAULT_WORKER_OPTIONS: TaskWorkerOptions = {
  chunkSize: 64,
  storeBatch: 16,
  concurrency: 8,
  listPage: 1000,
  itemTimeoutMs: 120_000,
};

interface Attempt {
  retryCount: number;
  retryLimit: number;
}

/** Storage or database trouble that a later attempt may not meet (retried with backoff); bad images are not. */
const isTransient = (error: unknown) => (error instanceof ApiError ? error.code === 'ServiceUnavailable' : isServiceOutage(error));

/** An item's failure as it is reported: the API error, or an internal one (logged). */
function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (isServiceOutage(error))
    return { code: 'ServiceUnavailable', message: 'A backing service was unavailable; run the task again to retry this image.' };
  return { code: 'InternalError', message: 'An internal error occurred while labelling this image.' };
}

/**
 * Runs tasks from the queue: a listing job per task lists its sources and enqueues chunks of items;
 * chunk jobs read, hash and label their images (skipping unchanged ones) and store the results a
 * batch per transaction. Item errors are recorded and never fail the task; transient ones fail
 * the job, which the queue retries with backoff (on its last attempt they are recorded too).
 */
export class TaskWorker implements Pick<TaskJobHandlers, 'list' | 'chunk' | 'deadList' | 'deadChunk'> {
  /** Recorded with the items this process settles. */
  readonly name = `${hostname()}:${process.pid}`;

  constructor(
    private readonly tasks: TaskRepository,
    private readonly queue: TaskQueue,
    private readonly projects: ProjectDirectory,
    private readonly sources: ImageSources,
    private readonly detector: LabelDetector,
    private readonly taxonomyVersion: string,
    private readonly logger: Logger,
    private readonly options: TaskWorkerOptions = DEFAULT_WORKER_OPTIONS,
    /** Where progress and labelled images are announced to live subscribers (best effort). */
    private readonly feed: TaskFeed | null = null,
  ) {}

  private announceProgress(projectName: string, taskId: string): void {
    void this.feed?.publish('taskProgress', { projectName, taskId });
  }

  private announceSettled(projectName: string, taskId: string, settled: Settled): void {
    for (const image of settled.labeled) void this.feed?.publish('imageLabeled', { projectName, ...image });
    this.announceProgress(projectName, taskId);
  }

  private listerFor(task: ProjectTaskRecord, project: Project, index: number): SourceLister {
    const authorized = this.sources.authorize(
      parseSourcePrefix(task.sourceUris[index], 'sourceURI'),
      task.credentialConfig,
      project.sources,
    );
    if (authorized.kind === 'object') return new ObjectLister(this.sources, authorized);
    if (authorized.kind === 'file') return new DirectoryLister(this.sources, authorized, task.itemLimit);
    throw new ApiError('InvalidArgument', 'Tasks read oss://, s3:// or file:// sources.');
  }

  async list({ taskId }: ListJob, attempt: Attempt): Promise<void> {
    const task = await this.tasks.begin(taskId);
    if (!isProjectTask(task)) return;
    this.announceProgress(task.projectName, taskId);
    try {
      const project = await this.projects.get(task.projectName);
      let total = task.total;
      let cursor = task.listCursor ?? { source: 0, after: null };
      for (; cursor.source < task.sourceUris.length; cursor = { source: cursor.source + 1, after: null }) {
        const lister = this.listerFor(task, project, cursor.source);
        for (;;) {
          const room = task.itemLimit - total;
          const page = await lister.page(cursor.after, Math.min(this.options.listPage, room + 1));
          const uris = page.uris.slice(0, room);
          const added = await this.tasks.addListed(
            taskId,
            uris,
            { source: cursor.source, after: page.after },
            this.options.chunkSize,
            (db, chunks) =>
              this.queue.enqueueChunks(
                db,
                chunks.map((chunk) => ({ taskId, ...chunk })),
              ),
          );
          if (!added) return; // cancelled meanwhile
          total += uris.length;
          this.announceProgress(task.projectName, taskId);
          if (page.uris.length > room) {
            const message = `The sources hold more than ${task.itemLimit} images; only the first ${task.itemLimit} are labelled (itemLimit).`;
            return await this.tasks.finishListing(taskId, { code: 'LimitExceeded', message });
          }
          if (page.done) break;
          cursor = { source: cursor.source, after: page.after };
        }
      }
      await this.tasks.finishListing(taskId, null);
      this.announceProgress(task.projectName, taskId);
    } catch (error) {
      if (isTransient(error) && attempt.retryCount < attempt.retryLimit) throw error;
      if (!(error instanceof ApiError)) this.logger.error({ err: error, taskId }, 'listing a task failed');
      await this.failListing(task, failureOf(error));
    }
  }

  /** The listing's last attempt failed: the task fails (its chunks queued so far stop). */
  private async failListing(task: ProjectTaskRecord, { code, message }: { code: string; message: string }): Promise<void> {
    await this.tasks.fail(task.id, code, message);
    this.announceProgress(task.projectName, task.id);
  }

  /** A listing job given up on (its worker stopped on the last attempt): the task fails, unless listing had finished. */
  async deadList({ taskId }: ListJob, dead: DeadLetter): Promise<void> {
    const task = await this.tasks.find(taskId);
    if (!isProjectTask(task) || task.listed || FINAL_STATES.includes(task.state)) return;
    const message = deadLetterMessage("listing this task's sources", dead, 'create the task again');
    await this.failListing(task, { code: 'ServiceUnavailable', message });
  }

  async chunk(job: ChunkJob, attempt: Attempt): Promise<void> {
    try {
      await this.runChunk(job, attempt);
    } catch (error) {
      if (attempt.retryCount < attempt.retryLimit) throw error;
      this.logger.error({ err: error, taskId: job.taskId }, 'a chunk of a task failed on its last attempt');
      await this.failPending(job, failureOf(error));
    }
  }

  /** A chunk job given up on (its worker stopped on the last attempt): its items still pending fail, so the task can finish. */
  async deadChunk(job: ChunkJob, dead: DeadLetter): Promise<void> {
    const message = deadLetterMessage('labelling this image', dead, 'run the task again to retry this image');
    await this.failPending(job, { code: 'ServiceUnavailable', message });
  }

  /**
   * The chunk's last attempt is over: what is still to do is reported failed, so the task can
   * finish. Only items still PENDING are marked (settle), so running this twice counts nothing twice.
   */
  private async failPending(job: ChunkJob, failure: { code: string; message: string }): Promise<void> {
    const task = await this.tasks.find(job.taskId);
    const { items } = await this.tasks.pendingItems(job.taskId, job.fromSeq, job.toSeq);
    if (isProjectTask(task) && items.length) {
      const settled = await this.tasks.settle(
        job.taskId,
        { id: task.projectId, name: task.projectName },
        items.map((item) => ({ seq: item.seq, state: 'FAILED', ...failure })),
        this.name,
      );
      this.announceSettled(task.projectName, job.taskId, settled);
    }
  }

  private async runChunk({ taskId, fromSeq, toSeq }: ChunkJob, attempt: Attempt): Promise<void> {
    const pending = await this.tasks.pendingItems(taskId, fromSeq, toSeq);
    if (pending.state !== 'RUNNING' || pending.items.length === 0) return;
    // Items listed before URIs had one stored spelling (sourceUri.ts) are stored under it too.
    const items = pending.items.map((item) => ({ ...item, sourceUri: storedSpellingOf(item.sourceUri) }));
    const task = await this.tasks.find(taskId);
    if (!isProjectTask(task)) return;
    const project = await this.projects.get(task.projectName);
    const { force, ...detectOptions } = task.options;
    const request: DetectRequest = detectOptions;
    const stored = force
      ? new Map()
      : await this.tasks.storedVersions(
          project.id,
          items.map((item) => item.sourceUri),
        );
    const lastAttempt = attempt.retryCount >= attempt.retryLimit;

    let outcomes: ItemOutcome[] = [];
    let storing: Promise<unknown> = Promise.resolve();
    let stop = false;
    let retry: unknown = null;
    const store = () => {
      const batch = outcomes;
      outcomes = [];
      storing = storing.then(async () => {
        if (batch.length === 0) return;
        const settled = await this.tasks.settle(taskId, project, batch, this.name);
        this.announceSettled(project.name, taskId, settled);
        if (settled.state !== 'RUNNING') stop = true;
      });
      return storing;
    };

    const tooSlow = () => new ApiError('ServiceUnavailable', `Labelling this image took longer than ${this.options.itemTimeoutMs} ms.`);
    const label = async (item: { seq: number; sourceUri: string }): Promise<ItemOutcome> => {
      try {
        return await withDeadline(this.options.itemTimeoutMs, tooSlow, () => labelOne(item));
      } catch (error) {
        if (isTransient(error) && !lastAttempt) throw error;
        if (!(error instanceof ApiError) && !isServiceOutage(error))
          this.logger.error({ err: error, taskId, sourceUri: item.sourceUri }, 'labelling a task item failed');
        return { seq: item.seq, state: 'FAILED', ...failureOf(error) };
      }
    };
    const labelOne = async (item: { seq: number; sourceUri: string }): Promise<ItemOutcome> => {
      const authorized = this.sources.authorize(parseSourceUri(item.sourceUri), task.credentialConfig, project.sources);
      const bytes = await this.sources.read(authorized);
      const previous = stored.get(item.sourceUri);
      if (previous && previous.modelVersion === this.detector.modelVersion && previous.taxonomyVersion === this.taxonomyVersion) {
        if (createHash('sha256').update(bytes).digest('hex') === previous.sha256) return { seq: item.seq, state: 'SKIPPED' };
      }
      const result = await this.detector.detect(bytes, request);
      return {
        seq: item.seq,
        state: 'SUCCEEDED',
        detection: detectionRecordOf(result, project, item.sourceUri, `${task.requestId}-${item.seq}`, task.credentialConfig),
      };
    };

    let next = 0;
    const lane = async () => {
      while (!stop && retry === null && next < items.length) {
        const item = items[next++];
        let outcome: ItemOutcome;
        try {
          outcome = await label(item);
        } catch (error) {
          retry = error;
          return;
        }
        // Pushed once labelled: `outcomes` may have been handed to a store meanwhile (a new one is collecting).
        outcomes.push(outcome);
        if (outcomes.length >= this.options.storeBatch) await store();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, lane));
    await store();
    if (retry !== null) throw retry;
  }
}
