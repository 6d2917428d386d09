import { z } from 'zod';
import { ApiError } from '../api/errors';
import type { Logger } from '../logger';
import {
  copyPage,
  createGeneration,
  dropGeneration,
  generationExists,
  serveGeneration,
  withReindexLock,
  type ReindexStores,
} from '../search/reindex';
import type { DocumentTaxonomy } from '../search/imageDocument';
import { aliasTargets, imageAlias } from '../search/imageIndex';
import { isServiceOutage } from '../serviceOutage';
import { REINDEX_IMAGES_TASK, type ReindexCheckpoint, type TaskRecord } from './taskModel';
import { deadLetterMessage, type DeadLetter, type JobAttempt, type ReindexJob, type TaskJobHandlers } from './taskQueue';
import type { TaskRepository } from './taskRepository';

const checkpointShape = z.object({ index: z.string(), since: z.string(), after: z.string().nullable() });
const scopeShape = z.object({ scope: z.string() });

/** Images copied per page: one bulk request, then one checkpoint. */
export const REINDEX_PAGE_SIZE = 500;

/** The job was stopped (the process is shutting down, or its heartbeat lapsed): its checkpoint stays, and a retry resumes there. */
class Stopped extends Error {}

/**
 * Runs ReindexImages tasks: builds the next generation of the search index from Postgres a page
 * at a time, recording after each page where to resume, then moves the alias to it. A run that dies
 * (even with SIGKILL) resumes from its last page on the next try, on any worker; its session
 * advisory lock (withReindexLock) keeps two runs, or a run and `npm run reindex`, from building at
 * once. Cancelled, it deletes what it built and the alias stays where it was.
 */
export class ReindexWorker implements Pick<TaskJobHandlers, 'reindex' | 'deadReindex'> {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly stores: ReindexStores,
    private readonly taxonomy: DocumentTaxonomy,
    private readonly logger: Logger,
    /** Called once a generation serves: the changes it queued are for the relay. */
    private readonly onServed: () => void = () => undefined,
    private readonly pageSize = REINDEX_PAGE_SIZE,
  ) {}

  async reindex({ taskId }: ReindexJob, attempt: JobAttempt): Promise<void> {
    const task = await this.tasks.begin(taskId);
    if (!task) return this.clearCancelled(taskId);
    if (task.taskType !== REINDEX_IMAGES_TASK) return;
    try {
      const { scope: prefix } = scopeShape.parse(task.options);
      await withReindexLock(this.stores.databaseUrl, prefix, () => this.run(task, prefix, attempt.signal));
    } catch (error) {
      // Another reindex holding the lock, a service down, or this process stopping: tried again later.
      const transient =
        error instanceof Stopped || isServiceOutage(error) || (error instanceof ApiError && error.code === 'OperationConflict');
      if (transient && attempt.retryCount < attempt.retryLimit) throw error;
      this.logger.error({ err: error, taskId }, 'a reindex task failed');
      const failure =
        error instanceof ApiError
          ? error
          : new ApiError('InternalError', `The reindex stopped: ${error instanceof Error ? error.message : String(error)}`);
      const latest = await this.tasks.find(taskId);
      if (latest) await this.abandon(latest, failure.code, failure.message);
    }
  }

  /**
   * A reindex job given up on (its worker stopped on the last attempt, or failing it failed): the
   * task fails and its half-built index goes, as after a last attempt that failed. Run again, it
   * finds the task failed and the index gone, and changes nothing.
   */
  async deadReindex({ taskId }: ReindexJob, dead: DeadLetter): Promise<void> {
    const task = await this.tasks.find(taskId);
    if (task?.taskType !== REINDEX_IMAGES_TASK || task.state === 'SUCCEEDED') return;
    const message = deadLetterMessage('running this reindex', dead, 'create another reindex task');
    const scope = scopeShape.safeParse(task.options);
    if (!scope.success) return this.abandon(task, 'ServiceUnavailable', message);
    // A job the queue timed out may still be running in a live process: its lock is taken first
    // (OperationConflict while that run holds it, and this dead letter is tried again later).
    await withReindexLock(this.stores.databaseUrl, scope.data.scope, async () => {
      const latest = await this.tasks.find(taskId);
      if (latest && latest.state !== 'SUCCEEDED') await this.abandon(latest, 'ServiceUnavailable', message);
    });
  }

  /** The index first: a failure deleting it throws, and the job, tried again, finds the task still to fail. */
  private async abandon(task: TaskRecord, code: string, message: string): Promise<void> {
    await this.dropUnserved(task);
    await this.tasks.fail(task.id, code, message);
  }

  /**
   * A task cancelled while no worker ran it (its worker died, its job waiting for a retry) leaves
   * the index it was building: the job, back from the queue, deletes it.
   */
  private async clearCancelled(taskId: string): Promise<void> {
    const task = await this.tasks.find(taskId);
    if (task?.taskType === REINDEX_IMAGES_TASK && task.state === 'CANCELLED') await this.dropUnserved(task);
  }

  /** Deletes the index the task was building, unless the alias already serves it (a run that died after moving it). */
  private async dropUnserved(task: TaskRecord): Promise<void> {
    const checkpoint = checkpointShape.safeParse(task.listCursor);
    const scope = scopeShape.safeParse(task.options);
    if (!checkpoint.success || !scope.success) return;
    const serving = await aliasTargets(this.stores.search, imageAlias(scope.data.scope));
    // Not dropGeneration, which ignores failures: a delete that failed must fail the job, so that
    // it is tried again rather than the task ending with the index left behind.
    if (!serving.includes(checkpoint.data.index))
      await this.stores.search.indices.delete({ index: checkpoint.data.index }, { ignore: [404] });
  }

  private async run(task: TaskRecord, prefix: string, signal: AbortSignal): Promise<void> {
    const { prisma, search } = this.stores;
    const saved = checkpointShape.safeParse(task.listCursor);
    let checkpoint: ReindexCheckpoint;
    let done: number;
    if (saved.success && (await generationExists(search, saved.data.index))) {
      checkpoint = saved.data;
      done = task.succeeded;
    } else {
      // The first run, or one whose index is gone (deleted by hand): the copy starts again. The total
      // is recorded before the first checkpoint, so that a run resumed from one always has it.
      const started = Date.now();
      checkpoint = { index: await createGeneration(search, prefix, started), since: new Date(started).toISOString(), after: null };
      done = 0;
      await this.tasks.setTotal(task.id, await prisma.image.count());
      if (!(await this.tasks.checkpoint(task.id, checkpoint, done))) return dropGeneration(search, checkpoint.index);
    }
    for (;;) {
      if (signal.aborted) throw new Stopped('The reindex job was stopped; it resumes from its last page.');
      const page = await copyPage(prisma, search, checkpoint.index, this.taxonomy, checkpoint.after, this.pageSize);
      if (page) {
        done += page.copied;
        checkpoint = { ...checkpoint, after: page.lastId };
      }
      // Cancelled: nothing serves from the new index yet.
      if (!(await this.tasks.checkpoint(task.id, checkpoint, done))) return dropGeneration(search, checkpoint.index);
      if (!page) break;
    }
    const { previous, requeued } = await serveGeneration(prisma, search, prefix, checkpoint.index, new Date(checkpoint.since));
    await this.tasks.succeed(
      task.id,
      `Reindexed ${done} images into ${checkpoint.index}; the alias moved from ${previous.join(', ') || 'nothing'}; ${requeued} changed meanwhile, queued for the relay.`,
    );
    this.onServed();
  }
}
