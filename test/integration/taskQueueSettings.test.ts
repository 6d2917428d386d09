import { Client as PgClient } from 'pg';
import { createLogger } from '../../src/logger';
import { CHUNK_QUEUE, ChunkJob, DEFAULT_QUEUE_OPTIONS, deadLetterQueueOf, JobAttempt, TaskQueue } from '../../src/tasks/taskQueue';
import { isolatedDatabase } from '../support/isolatedDatabase';

// pg-boss keeps a queue's retry limit, heartbeat and expiry from when it was created: without
// bringing existing queues to the starting process's settings, a changed TASK_RETRY_LIMIT never
// applied. Real Postgres, a database of this file's own (no other file's worker takes its jobs).
jest.setTimeout(60_000);

let databaseUrl: string;
let pg: PgClient;
const queues: TaskQueue[] = [];
/** What the queues logged: a settings change, and nothing when a process starts with the settings they have. */
const logged: string[] = [];
const logger = createLogger('info', { write: (line: string) => void logged.push(line) });

beforeAll(async () => {
  databaseUrl = await isolatedDatabase('queue_settings');
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
});

afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.stop()));
  await pg?.end();
});

const started = async (retryLimit: number, heartbeatSeconds: number) => {
  const queue = new TaskQueue(databaseUrl, { ...DEFAULT_QUEUE_OPTIONS, retryLimit, heartbeatSeconds }, logger);
  queues.push(queue);
  await queue.start();
  return queue;
};
const db = { executeSql: (text: string, values?: unknown[]) => pg.query(text, values) };
const queueRow = async (name: string) =>
  (
    await pg.query<{ retry_limit: number; heartbeat_seconds: number | null; dead_letter: string | null }>(
      'SELECT retry_limit, heartbeat_seconds, dead_letter FROM pgboss.queue WHERE name = $1',
      [name],
    )
  ).rows[0];

it('brings existing queues to a restarted process’s retry limit and heartbeat; queued jobs keep theirs', async () => {
  const first = await started(5, 30);
  expect(await queueRow(CHUNK_QUEUE)).toEqual({ retry_limit: 5, heartbeat_seconds: 30, dead_letter: deadLetterQueueOf(CHUNK_QUEUE) });
  await first.enqueueChunks(db, [{ taskId: 'queued-before', fromSeq: 0, toSeq: 1 }]);
  await first.stop();

  const second = await started(1, 20);
  for (const name of [CHUNK_QUEUE, deadLetterQueueOf(CHUNK_QUEUE)])
    expect(await queueRow(name)).toMatchObject({ retry_limit: 1, heartbeat_seconds: 20 });
  await second.enqueueChunks(db, [{ taskId: 'queued-after', fromSeq: 0, toSeq: 1 }]);
  const changes = () => logged.filter((line) => line.includes('task queue settings changed'));
  expect(changes().length).toBeGreaterThan(0);
  logged.length = 0;
  await started(1, 20); // the same settings again: nothing to change, nothing logged
  expect(changes()).toEqual([]);

  const limits = new Map<string, number>();
  await new Promise<void>((resolve) => {
    second.work(
      {
        chunk: async (job: ChunkJob, attempt: JobAttempt) => {
          limits.set(job.taskId, attempt.retryLimit);
          if (limits.size === 2) resolve();
        },
      },
      2,
    );
  });
  expect(Object.fromEntries(limits)).toEqual({ 'queued-before': 5, 'queued-after': 1 });
});
