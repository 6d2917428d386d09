import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

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

/**
 * Prisma over the pg driver adapter: no native query engine, so it runs on offline machines. Given
 * a pool, it runs on that pool, which its owner ends ($disconnect does not).
 */
export function createPrismaClient(database: string | Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(typeof database === 'string' ? { connectionString: database } : database) });
}
