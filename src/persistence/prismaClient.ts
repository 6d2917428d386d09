import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';

/** A pg pool for Prisma's adapter to run on, which queries on hot paths share (see ProjectRepository.idOf). */
export const createPgPool = (databaseUrl: string): Pool => new Pool({ connectionString: databaseUrl });

/**
 * Prisma over the pg driver adapter: no native query engine, so it runs on offline machines. Given
 * a pool, it runs on that pool, which its owner ends ($disconnect does not).
 */
export function createPrismaClient(database: string | Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(typeof database === 'string' ? { connectionString: database } : database) });
}
