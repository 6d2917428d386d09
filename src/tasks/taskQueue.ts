import type * as PgBossModule from 'pg-boss';
import { withDeadline } from '../deadline';
import { ApiError } from '../api/errors';
import type { Logger } from '../logger';

// pg-boss is an ES module. Node 22 requires ES modules from CommonJS natively, but Jest's module
// loader (which also replaces node:module's createRequire) does not: Node's own loader is reached
// through process.getBuiltinModule, in tests and in production alike.
const { PgBoss } = process.getBuiltinModule('node:module').createRequire(__filename)('pg-boss') as typeof PgBossModule;

/** How long stopping waits for pg-boss before the process goes on shutting down. */
const STOP_DEADLINE_MS = 10_000;

/** A connection pg-boss can write jobs through: the caller's transaction. */
export type QueueDb = PgBossModule.Db;

/** Lists a task's sources and enqueues its chunks (one job per task). */
export const LIST_QUEUE = 'labelgate-task-list';
/** Labels one range of a task's items. */
export const CHUNK_QUEUE = 'labelgate-task-chunk';
/** Runs a ReindexImages task (one job per task, resumed from its checkpoint when retried). */
export const REINDEX_QUEUE = 'labelgate-task-reindex';

/**
 * Where pg-boss puts a copy of a job of `queue` that failed with no retries left, its handler's own
 * last-attempt code included or not: a worker killed (SIGKILL, out of memory, a crashing decoder)
 * on the last attempt never runs that code, and the job fails only when its heartbeat lapses.
 */
export const deadLetterQueueOf = (queue: string) => `${queue}-dead`;

export interface ListJob {
  taskId: string;
}
export interface ReindexJob {
  taskId: string;
}
export interface ChunkJob {
  taskId: string;
  fromSeq: number;
  toSeq: number;
}

export interface TaskQueueOptions {
  /** A worker that stops heart-beating (killed, frozen) loses its jobs after this many seconds (≥ 10). */
  heartbeatSeconds: number;
  /** How often each process looks for such jobs (and expired ones). */
  superviseSeconds: number;
  /** Retries of a job that failed for a transient reason (storage 5xx, time-outs), with exponential backoff. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** The longest one job may run. */
  expireSeconds: number;
}

export const DEFAULT_QUEUE_OPTIONS: TaskQueueOptions = {
  heartbeatSeconds: 30,
  superviseSeconds: 10,
  retryLimit: 5,
  retryDelaySeconds: 2,
  expireSeconds: 3600,
};

/** One try of a job: how many came before, how many the queue allows, and the signal pg-boss aborts when it stops. */
export interface JobAttempt {
  retryCount: number;
  retryLimit: number;
  signal: AbortSignal;
}

/** A job pg-boss gave up on, as its dead-letter copy tells it. */
export interface DeadLetter {
  /** How many times the job was tried. */
  attempts: number;
  /** The last attempt's worker stopped (killed, out of memory, crashed) or ran past the time limit: its handler never finished. */
  workerStopped: boolean;
  /** What pg-boss recorded as that attempt failed: the handler's error, or the heartbeat or time limit. */
  cause: string;
}

/** The queue settings every process applies when it starts (see TaskQueue.settleQueue). */
const SETTING_KEYS = [
  'retryLimit',
  'retryDelay',
  'retryBackoff',
  'retryDelayMax',
  'heartbeatSeconds',
  'expireInSeconds',
  'deleteAfterSeconds',
  'deadLetter',
] as const;
type QueueSettings = Pick<PgBossModule.Queue, (typeof SETTING_KEYS)[number]>;

/** The settings `wanted` names that the queue holds otherwise. */
function settingsDiffering(existing: Partial<QueueSettings>, wanted: QueueSettings): (keyof QueueSettings)[] {
  return SETTING_KEYS.filter((key) => wanted[key] !== undefined && existing[key] !== wanted[key]);
}

/** What pg-boss writes as the output of a job it fails itself: the worker stopped heart-beating, or ran out of time. */
const WORKER_STOPPED = new Set(['job heartbeat timeout', 'job timed out']);

/** Why a job's last attempt failed, from its output: pg-boss's own `{ value: { message } }`, or the handler's error. */
function deadLetterOf(retryCount: number | null, output: object | null): DeadLetter {
  const wrapped = (output as { value?: { message?: unknown } } | null)?.value?.message;
  const thrown = (output as { message?: unknown } | null)?.message;
  const attempts = (retryCount ?? 0) + 1;
  if (typeof wrapped === 'string' && WORKER_STOPPED.has(wrapped)) return { attempts, workerStopped: true, cause: wrapped };
  return { attempts, workerStopped: false, cause: typeof thrown === 'string' ? thrown : 'no reason recorded' };
}

/** The message of a job given up on: what its worker was `doing` ("labelling this image"), why it stopped, and what to do `then`. */
export function deadLetterMessage(doing: string, dead: DeadLetter, then: string): string {
  const tries = dead.attempts === 1 ? 'on its only attempt' : `on the last of ${dead.attempts} attempts`;
  return dead.workerStopped
    ? `The worker ${doing} stopped (killed, out of memory or crashed) before finishing it, ${tries}; ${then}.`
    : `The worker ${doing} failed ${tries} (${dead.cause}); ${then}.`;
}

/**
 * Handlers of the queues; a throw fails the job, which pg-boss retries with backoff. The `dead*`
 * handlers settle what a job given up on leaves unfinished, as its last attempt would have; they
 * may run more than once for one job (a throw retries them too) and must not count anything twice.
 */
export interface TaskJobHandlers {
  list(job: ListJob, attempt: JobAttempt): Promise<void>;
  chunk(job: ChunkJob, attempt: JobAttempt): Promise<void>;
  reindex(job: ReindexJob, attempt: JobAttempt): Promise<void>;
  deadList(job: ListJob, dead: DeadLetter): Promise<void>;
  deadChunk(job: ChunkJob, dead: DeadLetter): Promise<void>;
  deadReindex(job: ReindexJob, dead: DeadLetter): Promise<void>;
}

/**
 * The durable task queue: pg-boss on the same Postgres, in its own schema. Jobs are written in the
 * caller's transaction (`db`), so a task and its jobs commit together; a worker that dies stops
 * heart-beating and its job goes back to the queue.
 */
export class TaskQueue {
  private readonly boss: InstanceType<typeof PgBoss>;
  private started = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  /** What to run once the queue is up (the worker's handlers). */
  private onReady: (() => Promise<void>) | null = null;

  constructor(
    databaseUrl: string,
    private readonly options: TaskQueueOptions,
    private readonly logger: Logger,
  ) {
    this.boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      max: 4,
      connectionTimeoutMillis: 10_000,
      superviseIntervalSeconds: options.superviseSeconds,
      monitorIntervalSeconds: options.superviseSeconds,
      schedule: false,
    });
    this.boss.on('error', (error) => this.logger.warn({ err: error }, 'task queue error (pg-boss retries)'));
  }

  /**
   * Installs or migrates pg-boss's schema when needed and creates the queues, in the background:
   * Postgres being down must not keep the process from starting (it answers ServiceUnavailable
   * meanwhile), so a failed start is tried again every few seconds. Resolves after the first try.
   */
  start(retryMs = 3_000): Promise<void> {
    const attempt = () =>
      this.startOnce().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'task queue unavailable (Postgres?); trying again');
        if (!this.stopped) this.retry = setTimeout(() => void attempt(), retryMs);
      });
    // Resolves after the first attempt, whatever its outcome.
    return attempt();
  }

  private async startOnce(): Promise<void> {
    if (this.stopped) return;
    await this.boss.start();
    const queue: QueueSettings = {
      retryLimit: this.options.retryLimit,
      retryDelay: this.options.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 300,
      heartbeatSeconds: this.options.heartbeatSeconds,
      expireInSeconds: this.options.expireSeconds,
      deleteAfterSeconds: 24 * 3600,
    };
    for (const name of [LIST_QUEUE, CHUNK_QUEUE, REINDEX_QUEUE]) {
      // The dead-letter queue first: a queue can only name one that exists.
      const deadLetter = deadLetterQueueOf(name);
      await this.settleQueue(deadLetter, queue);
      // A queue made by a version without dead-letter queues gets one here; jobs already queued keep going nowhere.
      await this.settleQueue(name, { ...queue, deadLetter });
    }
    this.started = true;
    await this.onReady?.().catch((error: unknown) => this.logger.error({ err: error }, 'could not start working the task queue'));
  }

  /**
   * Creates the queue, or brings an existing one to this process's settings: pg-boss keeps a
   * queue's retry limit, backoff, heartbeat and expiry from its creation, so a changed
   * TASK_RETRY_LIMIT would otherwise never apply. The process that started last sets them (every
   * process should share them); jobs keep what they were queued with.
   */
  private async settleQueue(name: string, options: QueueSettings): Promise<void> {
    const existing = await this.boss.getQueue(name);
    if (!existing) {
      await this.boss.createQueue(name, options).catch(async (error) => {
        // Another process created it meanwhile.
        if (!(await this.boss.getQueue(name))) throw error;
      });
      return;
    }
    const changed = settingsDiffering(existing, options);
    if (changed.length === 0) return;
    await this.boss.updateQueue(name, Object.fromEntries(changed.map((key) => [key, options[key]])));
    this.logger.info(
      { queue: name, changed: Object.fromEntries(changed.map((key) => [key, { was: existing[key] ?? null, now: options[key] }])) },
      "task queue settings changed to this process's; jobs already queued keep theirs",
    );
  }

  private requireStarted(): void {
    if (!this.started)
      throw new ApiError('ServiceUnavailable', 'The task queue is not available yet (is Postgres up?); try again shortly.');
  }

  enqueueListing(db: QueueDb, taskId: string): Promise<unknown> {
    this.requireStarted();
    return this.boss.send(LIST_QUEUE, { taskId } satisfies ListJob, { db });
  }

  enqueueReindex(db: QueueDb, taskId: string): Promise<unknown> {
    this.requireStarted();
    return this.boss.send(REINDEX_QUEUE, { taskId } satisfies ReindexJob, { db });
  }

  async enqueueChunks(db: QueueDb, chunks: ChunkJob[]): Promise<void> {
    this.requireStarted();
    if (chunks.length)
      await this.boss.insert(
        CHUNK_QUEUE,
        chunks.map((data) => ({ data })),
        { db },
      );
  }

  /**
   * Works the queues it has handlers for (a process without models labels nothing but may
   * reindex), `chunkConcurrency` chunks at a time in this process, once the queue is up. The
   * handlers are called as plain functions.
   */
  work(handlers: Partial<TaskJobHandlers>, chunkConcurrency: number): void {
    this.onReady = () => this.startWorking(handlers, chunkConcurrency);
    if (this.started)
      void this.onReady().catch((error: unknown) => this.logger.error({ err: error }, 'could not start working the task queue'));
  }

  private async startWorking(handlers: Partial<TaskJobHandlers>, chunkConcurrency: number): Promise<void> {
    const { list, chunk, reindex, deadList, deadChunk, deadReindex } = handlers;
    if (list) await this.workLive(LIST_QUEUE, 1, list);
    if (chunk) await this.workLive(CHUNK_QUEUE, chunkConcurrency, chunk);
    if (reindex) await this.workLive(REINDEX_QUEUE, 1, reindex);
    if (deadList) await this.workDead(LIST_QUEUE, deadList);
    if (deadChunk) await this.workDead(CHUNK_QUEUE, deadChunk);
    if (deadReindex) await this.workDead(REINDEX_QUEUE, deadReindex);
  }

  /** Works `queue`, `localConcurrency` jobs at a time in this process; a handler's throw fails the job (retried with backoff). */
  private async workLive<T>(
    queue: string,
    localConcurrency: number,
    handle: (data: T, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    // With its metadata, a job tells the retry limit it was queued with (the queue's may have changed since).
    await this.boss.work<T, unknown, { pollingIntervalSeconds: number; localConcurrency: number; includeMetadata: true }>(
      queue,
      { pollingIntervalSeconds: 1, localConcurrency, includeMetadata: true },
      async ([job]) => {
        try {
          await handle(job.data, { retryCount: job.retryCount, retryLimit: job.retryLimit, signal: job.signal });
        } catch (error) {
          this.logger.warn(
            { err: error, queue, jobId: job.id, retryCount: job.retryCount },
            'task job failed; the queue retries it with backoff',
          );
          throw error;
        }
      },
    );
  }

  /** Works the dead-letter queue of `queue`: its handler learns how often the job was tried and why the last try ended. */
  private async workDead<T>(queue: string, handle: (data: T, dead: DeadLetter) => Promise<void>): Promise<void> {
    const name = deadLetterQueueOf(queue);
    await this.boss.work<T, unknown, { pollingIntervalSeconds: number; includeMetadata: true }>(
      name,
      { pollingIntervalSeconds: 2, includeMetadata: true },
      async ([job]) => {
        const dead = deadLetterOf(job.sourceRetryCount, job.sourceOutput);
        this.logger.warn({ queue, jobId: job.sourceId, ...dead, data: job.data }, 'a task job ran out of attempts; settling what it left');
        try {
          await handle(job.data, dead);
        } catch (error) {
          this.logger.warn({ err: error, queue: name, jobId: job.id }, 'settling a dead task job failed; the queue retries it');
          throw error;
        }
      },
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (!this.started) return;
    this.started = false;
    // Jobs in hand get a few seconds to finish; what is left goes back to the queue (heartbeats stop).
    // pg-boss's own stop waits on its queries: after an outage a dead connection can hold it, and a
    // shutdown must not wait without a deadline.
    const late = new Error(
      `the task queue did not stop within ${STOP_DEADLINE_MS} ms; its jobs return to the queue when their heartbeats lapse`,
    );
    try {
      await withDeadline(
        STOP_DEADLINE_MS,
        () => late,
        () => this.boss.stop({ graceful: true, timeout: 5_000 }),
      );
    } catch (error) {
      if (error !== late) throw error;
      this.logger.warn(late.message);
    }
  }
}
