import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { Pool, PoolClient } from 'pg';

export interface DatabaseTimeouts {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
}

/**
 * A pg pool for Prisma's adapter to run on, which queries on hot paths share (see ProjectRepository.idOf).
 * statement_timeout lets Postgres cancel a slow statement; query_timeout, a little longer, ends the
 * wait on a server that answers nothing at all (stopped with SIGSTOP, or a dead network path).
 */
export const createPgPool = (databaseUrl: string, timeouts?: DatabaseTimeouts): Pool =>
  new Pool({
    connectionString: databaseUrl,
    ...(timeouts && {
      connectionTimeoutMillis: timeouts.connectTimeoutMs,
      statement_timeout: timeouts.statementTimeoutMs,
      query_timeout: timeouts.statementTimeoutMs + 1_000,
      keepAlive: true,
    }),
  });

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type PgTransaction = Awaited<ReturnType<PgAdapter['startTransaction']>>;

/**
 * Prisma 6.19's transaction manager ends a transaction by sending COMMIT or ROLLBACK and only then
 * calls the adapter's commit() or rollback(), which give the connection back to the pool; when that
 * statement fails (Postgres stopped answering, or the connection broke, mid-transaction), neither
 * runs and the connection stays checked out for ever. Every such outage shrank the pool by one and
 * left pool.end() waiting for ever. Here a failed COMMIT or ROLLBACK releases the connection as
 * broken, so the pool drops it and opens another. (adapter-pg is pinned: this reads its
 * transaction's `client`, the pg PoolClient, and is tested in test/integration/prismaTransactions.)
 */
function releasingFailedEnds(transaction: PgTransaction): PgTransaction {
  const executeRaw = transaction.executeRaw.bind(transaction);
  transaction.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.sql === 'COMMIT' || query.sql === 'ROLLBACK')
        (transaction as unknown as { client: PoolClient }).client.release(error instanceof Error ? error : true);
      throw error;
    }
  };
  return transaction;
}

/** The pg adapter, its transactions wrapped by releasingFailedEnds. */
function pgAdapterFactory(database: string | Pool): PrismaPg {
  const factory = new PrismaPg(typeof database === 'string' ? { connectionString: database } : database);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releasingFailedEnds(await startTransaction(isolationLevel));
    return adapter;
  };
  return factory;
}

/**
 * Prisma over the pg driver adapter: no native query engine, so it runs on offline machines. Given
 * a pool, it runs on that pool, which its owner ends ($disconnect does not).
 */
export function createPrismaClient(database: string | Pool): PrismaClient {
  return new PrismaClient({ adapter: pgAdapterFactory(database) });
}
