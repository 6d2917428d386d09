import type { Pool, PoolClient } from 'pg';
import { ApiError, notFound, projectNotFound } from '../api/errors';
import { writeDetections } from '../persistence/detectionBatch';
import { decodeCursor, encodeCursor, Page, pageOfRows, timeIdCursor, UUID_PATTERN } from '../api/paging';
import { inTransaction } from '../persistence/transaction';
import type { TaskState } from '../vocabulary';
import type { ItemOutcome, ListCursor, TaskDetectOptions, TaskItemError, TaskRecord } from './taskModel';
import type { QueueDb } from './taskQueue';

export interface NewTask {
  project: { id: string; name: string };
  taskType: string;
  sourceUris: string[];
  credentialConfig: string | null;
  options: TaskDetectOptions;
  itemLimit: number;
  requestId: string;
}

/** A task of the whole server: its type, and what it acts on (a ReindexImages task: the index prefix). */
export interface NewServerTask {
  taskType: string;
  scope: string;
  requestId: string;
}

/** Which tasks a listing returns. */
export interface TaskFilter {
  state: TaskState | null;
  taskType: string | null;
}

/** The advisory lock's first key while a server task is created (the second is its type and scope's hash): "LGST". */
const SERVER_TASK_LOCK_CLASS = 0x4c475354;

/** What storing a batch of results found: the items it marked (others were marked before) and the task's state after. */
export interface Settled {
  marked: number;
  state: TaskState | null;
  /** The images this settlement stored (labelled), for live subscribers. */
  labeled: { imageId: string; labeledAt: string }[];
}

/** Tasks and their items: the API side reads and creates, workers list and settle. */
export interface TaskRepository {
  /** Creates the task, and its first job through `enqueue`, in one transaction; LimitExceeded when the project has `maxActive` unfinished tasks. */
  create(task: NewTask, maxActive: number, enqueue: (db: QueueDb, taskId: string) => Promise<unknown>): Promise<TaskRecord>;
  /** Creates a server task (no project) and its job in one transaction; OperationConflict while one of its type and scope is unfinished. */
  createServerTask(task: NewServerTask, enqueue: (db: QueueDb, taskId: string) => Promise<unknown>): Promise<TaskRecord>;
  /** A task of the project; without one (the admin), any task. */
  get(projectId: string | null, taskId: string): Promise<TaskRecord>;
  /** A task by id alone (workers); null when it is gone. */
  find(taskId: string): Promise<TaskRecord | null>;
  /** The project's tasks, newest first; without a project (the admin), every task. */
  list(
    projectId: string | null,
    filter: TaskFilter,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<TaskRecord> & { endCursor: string | null }>;
  cursorOf(task: TaskRecord): string;
  /** Cancels an unfinished task; a cancelled one is returned as it is; a finished one is OperationConflict. */
  cancel(projectId: string | null, taskId: string): Promise<TaskRecord>;
  errors(taskId: string, first: number, after: string | null | undefined): Promise<Page<TaskItemError> & { endCursor: string | null }>;

  /** Marks the task RUNNING; null when it is finished or gone (nothing to do). */
  begin(taskId: string): Promise<TaskRecord | null>;
  /** Adds listed items after the task's last and enqueues their chunks, with the cursor listing resumes from; false when the task is no longer active. */
  addListed(
    taskId: string,
    uris: string[],
    cursor: ListCursor,
    chunkSize: number,
    enqueue: (db: QueueDb, chunks: { fromSeq: number; toSeq: number }[]) => Promise<void>,
  ): Promise<boolean>;
  /** Listing is done (with a note, such as the item limit); a task with nothing left to do succeeds. */
  finishListing(taskId: string, note: { code: string; message: string } | null): Promise<void>;
  fail(taskId: string, code: string, message: string): Promise<void>;
  /** Items in the range still to do, and the task's state (workers stop on a cancelled task). */
  pendingItems(
    taskId: string,
    fromSeq: number,
    toSeq: number,
  ): Promise<{ state: TaskState | null; items: { seq: number; sourceUri: string }[] }>;
  /** What is stored of these images: the hash, models and taxonomy of their last detection. */
  storedVersions(
    projectId: string,
    uris: string[],
  ): Promise<Map<string, { sha256: string; modelVersion: string; taxonomyVersion: string }>>;
  /** A running server task's total (final: listed), e.g. the images a reindex copies. */
  setTotal(taskId: string, total: number): Promise<void>;
  /**
   * Records a running task's checkpoint (where it resumes) and how many items it has done up to
   * it; false when the task is no longer running (cancelled), and nothing is recorded.
   */
  checkpoint(taskId: string, cursor: object, succeeded: number): Promise<boolean>;
  /** A running task succeeded, with a note of what it did. */
  succeed(taskId: string, message: string): Promise<void>;
  /** Stores a batch of results in one transaction: only items still PENDING are marked and their detections written. */
  settle(taskId: string, project: { id: string; name: string }, outcomes: ItemOutcome[], worker: string): Promise<Settled>;
}

const ACTIVE = "('QUEUED', 'RUNNING')";
const TASK_COLUMNS = `t.id::text AS id, t.project_id::text AS "projectId", p.name AS "projectName", t.task_type AS "taskType", t.state,
  t.source_uris AS "sourceUris", t.credential_config AS "credentialConfig", t.options, t.item_limit AS "itemLimit", t.request_id AS "requestId",
  t.total, t.listed, t.list_cursor AS "listCursor", t.succeeded, t.failed, t.skipped, t.code, t.message,
  t.created_at AS "createdAt", t.start_time AS "startTime", t.end_time AS "endTime"`;
const SELECT_TASK = `SELECT ${TASK_COLUMNS} FROM tasks t LEFT JOIN projects p ON p.id = t.project_id`;
// Marks a task whose every listed item is done as SUCCEEDED (in the statement that counts the last ones).
const FINISH_WHEN_DONE = `state = CASE WHEN t.state = 'RUNNING' AND t.listed AND t.succeeded + t.failed + t.skipped >= t.total THEN 'SUCCEEDED' ELSE t.state END`;
const END_WHEN_DONE = `end_time = CASE WHEN t.state = 'RUNNING' AND t.listed AND t.succeeded + t.failed + t.skipped >= t.total THEN now() ELSE t.end_time END`;

const taskNotFound = (taskId: string) => notFound(`Task "${taskId}" does not exist.`);
const short = (text: string) => text.slice(0, 1024);

/** Tasks in Postgres, on the pg pool: batches of results are written in a few statements each. */
export class PgTaskRepository implements TaskRepository {
  constructor(private readonly pool: Pool) {}

  async create(task: NewTask, maxActive: number, enqueue: (db: QueueDb, taskId: string) => Promise<unknown>): Promise<TaskRecord> {
    return inTransaction(this.pool, async (client) => {
      // One creation at a time per project, so two cannot both pass the limit (not blocking detections: they take KEY SHARE).
      const locked = await client.query('SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE', [task.project.id]);
      if (!locked.rowCount) throw projectNotFound(task.project.name);
      const active = await client.query<{ count: string }>(`SELECT count(*) FROM tasks WHERE project_id = $1 AND state IN ${ACTIVE}`, [
        task.project.id,
      ]);
      if (Number(active.rows[0].count) >= maxActive) {
        throw new ApiError(
          'LimitExceeded',
          `Project "${task.project.name}" already has ${maxActive} tasks queued or running; wait for one to finish or cancel one.`,
          { limit: maxActive },
        );
      }
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO tasks (project_id, task_type, source_uris, credential_config, options, item_limit, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
        [
          task.project.id,
          task.taskType,
          task.sourceUris,
          task.credentialConfig,
          JSON.stringify(task.options),
          task.itemLimit,
          task.requestId,
        ],
      );
      await enqueue(queueDb(client), rows[0].id);
      return this.read(client, rows[0].id);
    });
  }

  private async read(client: Pool | PoolClient, taskId: string, projectId?: string): Promise<TaskRecord> {
    if (!UUID_PATTERN.test(taskId)) throw taskNotFound(taskId);
    const { rows } = await client.query<TaskRecord>(`${SELECT_TASK} WHERE t.id = $1 AND ($2::uuid IS NULL OR t.project_id = $2::uuid)`, [
      taskId,
      projectId ?? null,
    ]);
    if (!rows[0]) throw taskNotFound(taskId);
    return rows[0];
  }

  get(projectId: string | null, taskId: string): Promise<TaskRecord> {
    return this.read(this.pool, taskId, projectId ?? undefined);
  }

  find(taskId: string): Promise<TaskRecord | null> {
    return this.read(this.pool, taskId).catch((error) => {
      if (error instanceof ApiError && error.code === 'ResourceNotFound') return null;
      throw error;
    });
  }

  async createServerTask(task: NewServerTask, enqueue: (db: QueueDb, taskId: string) => Promise<unknown>): Promise<TaskRecord> {
    return inTransaction(this.pool, async (client) => {
      // One creation of this type and scope at a time, so two cannot both find none running.
      await client.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [SERVER_TASK_LOCK_CLASS, `${task.taskType}:${task.scope}`]);
      const active = await client.query<{ id: string }>(
        `SELECT id::text AS id FROM tasks WHERE project_id IS NULL AND task_type = $1 AND options->>'scope' = $2 AND state IN ${ACTIVE} LIMIT 1`,
        [task.taskType, task.scope],
      );
      if (active.rows[0])
        throw new ApiError(
          'OperationConflict',
          `A ${task.taskType} task of ${task.scope} is already queued or running (task ${active.rows[0].id}).`,
          { taskId: active.rows[0].id },
        );
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO tasks (project_id, task_type, source_uris, options, item_limit, request_id) VALUES (NULL, $1, '{}', $2, 0, $3) RETURNING id::text AS id`,
        [task.taskType, JSON.stringify({ scope: task.scope }), task.requestId],
      );
      await enqueue(queueDb(client), rows[0].id);
      return this.read(client, rows[0].id);
    });
  }

  async list(projectId: string | null, { state, taskType }: TaskFilter, first: number, after: string | null | undefined) {
    const cursor = timeIdCursor(after, UUID_PATTERN);
    const filter = `($1::uuid IS NULL OR t.project_id = $1::uuid) AND ($2::text IS NULL OR t.state = $2) AND ($3::text IS NULL OR t.task_type = $3)`;
    const [{ rows }, counted] = await Promise.all([
      this.pool.query<TaskRecord>(
        `${SELECT_TASK} WHERE ${filter} AND ($4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::uuid))
         ORDER BY t.created_at DESC, t.id DESC LIMIT $6`,
        [projectId, state, taskType, cursor?.createdAt ?? null, cursor?.id ?? null, first + 1],
      ),
      this.pool.query<{ count: string }>(`SELECT count(*) FROM tasks t WHERE ${filter}`, [projectId, state, taskType]),
    ]);
    return pageOfRows(rows, first, Number(counted.rows[0].count), (task) => this.cursorOf(task));
  }

  cursorOf(task: TaskRecord): string {
    return encodeCursor({ createdAt: task.createdAt.toISOString(), id: task.id });
  }

  async cancel(projectId: string | null, taskId: string): Promise<TaskRecord> {
    const task = await this.get(projectId, taskId);
    const { rowCount } = await this.pool.query(
      `UPDATE tasks SET state = 'CANCELLED', end_time = now() WHERE id = $1 AND state IN ${ACTIVE}`,
      [task.id],
    );
    if (rowCount) return this.get(projectId, taskId);
    const now = await this.get(projectId, taskId);
    if (now.state === 'CANCELLED') return now;
    throw new ApiError('OperationConflict', `Task "${taskId}" has already finished (${now.state}).`);
  }

  async errors(taskId: string, first: number, after: string | null | undefined) {
    const cursor = decodeCursor(after, ['seq'] as const, { seq: (seq) => /^\d{1,10}$/.test(seq) });
    const from = cursor ? Number(cursor.seq) : -1;
    const [{ rows }, counted] = await Promise.all([
      this.pool.query<TaskItemError>(
        `SELECT seq, source_uri AS "sourceUri", error_code AS code, error_message AS message FROM task_items
         WHERE task_id = $1 AND state = 'FAILED' AND seq > $2 ORDER BY seq LIMIT $3`,
        [taskId, from, first + 1],
      ),
      this.pool.query<{ count: string }>(`SELECT count(*) FROM task_items WHERE task_id = $1 AND state = 'FAILED'`, [taskId]),
    ]);
    return pageOfRows(rows, first, Number(counted.rows[0].count), errorCursorOf);
  }

  async begin(taskId: string): Promise<TaskRecord | null> {
    const { rowCount } = await this.pool.query(
      `UPDATE tasks SET state = 'RUNNING', start_time = coalesce(start_time, now()) WHERE id = $1 AND state IN ${ACTIVE}`,
      [taskId],
    );
    return rowCount ? this.read(this.pool, taskId) : null;
  }

  async addListed(
    taskId: string,
    uris: string[],
    cursor: ListCursor,
    chunkSize: number,
    enqueue: (db: QueueDb, chunks: { fromSeq: number; toSeq: number }[]) => Promise<void>,
  ): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ total: number; state: TaskState }>('SELECT total, state FROM tasks WHERE id = $1 FOR UPDATE', [
        taskId,
      ]);
      if (!rows[0] || rows[0].state !== 'RUNNING') return false;
      const start = rows[0].total;
      await client.query(
        `INSERT INTO task_items (task_id, seq, source_uri) SELECT $1, $2 + i - 1, uri FROM unnest($3::text[]) WITH ORDINALITY AS u(uri, i)`,
        [taskId, start, uris],
      );
      await client.query('UPDATE tasks SET total = total + $2, list_cursor = $3 WHERE id = $1', [
        taskId,
        uris.length,
        JSON.stringify(cursor),
      ]);
      const chunks = [];
      for (let from = start; from < start + uris.length; from += chunkSize)
        chunks.push({ fromSeq: from, toSeq: Math.min(from + chunkSize, start + uris.length) - 1 });
      await enqueue(queueDb(client), chunks);
      return true;
    });
  }

  async finishListing(taskId: string, note: { code: string; message: string } | null): Promise<void> {
    await this.pool.query('UPDATE tasks SET listed = true, code = coalesce($2, code), message = coalesce($3, message) WHERE id = $1', [
      taskId,
      note?.code ?? null,
      note?.message ?? null,
    ]);
    await this.pool.query(`UPDATE tasks t SET ${FINISH_WHEN_DONE}, ${END_WHEN_DONE} WHERE id = $1`, [taskId]);
  }

  async fail(taskId: string, code: string, message: string): Promise<void> {
    await this.pool.query(
      `UPDATE tasks SET state = 'FAILED', code = $2, message = $3, end_time = now() WHERE id = $1 AND state IN ${ACTIVE}`,
      [taskId, code, short(message)],
    );
  }

  async setTotal(taskId: string, total: number): Promise<void> {
    await this.pool.query(`UPDATE tasks SET total = $2, listed = true WHERE id = $1`, [taskId, total]);
  }

  async checkpoint(taskId: string, cursor: object, succeeded: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE tasks SET list_cursor = $2, succeeded = $3 WHERE id = $1 AND state = 'RUNNING'`, [
      taskId,
      JSON.stringify(cursor),
      succeeded,
    ]);
    return rowCount === 1;
  }

  async succeed(taskId: string, message: string): Promise<void> {
    await this.pool.query(`UPDATE tasks SET state = 'SUCCEEDED', message = $2, end_time = now() WHERE id = $1 AND state = 'RUNNING'`, [
      taskId,
      short(message),
    ]);
  }

  async pendingItems(taskId: string, fromSeq: number, toSeq: number) {
    const [state, items] = await Promise.all([
      this.pool.query<{ state: TaskState }>('SELECT state FROM tasks WHERE id = $1', [taskId]),
      this.pool.query<{ seq: number; sourceUri: string }>(
        `SELECT seq, source_uri AS "sourceUri" FROM task_items WHERE task_id = $1 AND seq BETWEEN $2 AND $3 AND state = 'PENDING' ORDER BY seq`,
        [taskId, fromSeq, toSeq],
      ),
    ]);
    return { state: state.rows[0]?.state ?? null, items: items.rows };
  }

  async storedVersions(projectId: string, uris: string[]) {
    const { rows } = await this.pool.query<{ sourceUri: string; sha256: string; modelVersion: string; taxonomyVersion: string }>(
      `SELECT source_uri AS "sourceUri", sha256, model_version AS "modelVersion", taxonomy_version AS "taxonomyVersion" FROM images WHERE project_id = $1 AND source_uri = ANY($2::text[])`,
      [projectId, uris],
    );
    return new Map(rows.map((row) => [row.sourceUri, row]));
  }

  async settle(taskId: string, project: { id: string; name: string }, outcomes: ItemOutcome[], worker: string): Promise<Settled> {
    if (outcomes.length === 0) return { marked: 0, state: null, labeled: [] };
    return inTransaction(this.pool, async (client) => {
      // Marks only items still PENDING (their rows stay locked to the commit): a chunk run twice (a
      // worker presumed dead that was not) finds them marked and writes nothing again.
      const { rows: marked } = await client.query<{ seq: number }>(
        `UPDATE task_items i SET state = u.state, error_code = u.code, error_message = u.message, worker = $6
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS u(seq, state, code, message)
         WHERE i.task_id = $1 AND i.seq = u.seq AND i.state = 'PENDING' RETURNING i.seq`,
        [
          taskId,
          outcomes.map((o) => o.seq),
          outcomes.map((o) => o.state),
          outcomes.map((o) => (o.state === 'FAILED' ? o.code : null)),
          outcomes.map((o) => (o.state === 'FAILED' ? short(o.message) : null)),
          worker,
        ],
      );
      const mine = new Set(marked.map((row) => row.seq));
      const kept = outcomes.filter((o) => mine.has(o.seq));
      const written = await writeDetections(
        client,
        project,
        kept.flatMap((o) => (o.state === 'SUCCEEDED' ? [o.detection] : [])),
      );
      const count = (state: string) => kept.filter((o) => o.state === state).length;
      const { rows } = await client.query<{ state: TaskState }>(
        `UPDATE tasks t SET succeeded = t.succeeded + $2, failed = t.failed + $3, skipped = t.skipped + $4 WHERE id = $1 RETURNING state`,
        [taskId, count('SUCCEEDED'), count('FAILED'), count('SKIPPED')],
      );
      const finished = await client.query<{ state: TaskState }>(
        `UPDATE tasks t SET ${FINISH_WHEN_DONE}, ${END_WHEN_DONE} WHERE id = $1 RETURNING state`,
        [taskId],
      );
      const labeled = written.map((image) => ({ imageId: image.id, labeledAt: new Date(image.detectedAt).toISOString() }));
      return { marked: kept.length, state: finished.rows[0]?.state ?? rows[0]?.state ?? null, labeled };
    });
  }
}

/** The cursor of a task's error, for the next page. */
export const errorCursorOf = (item: TaskItemError) => encodeCursor({ seq: String(item.seq) });

/** The transaction as pg-boss writes jobs through it. */
const queueDb = (client: PoolClient): QueueDb => ({ executeSql: (text: string, values?: unknown[]) => client.query(text, values) });
