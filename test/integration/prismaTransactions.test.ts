import type { PrismaClient } from '@prisma/client';
import type { Pool } from 'pg';
import { withDeadline } from '../../src/deadline';
import { createPgPool, createPrismaClient } from '../../src/persistence/prismaClient';
import { TcpProxy } from '../support/tcpProxy';

// A Prisma transaction whose COMMIT or ROLLBACK fails (Postgres stopped answering mid-transaction)
// must give its connection back to the pool, through a proxy that freezes the real Postgres: a
// connection kept for ever shrinks the pool for good and makes pool.end() wait for ever (which held
// the gateway's close, and a jest worker, after the outage tests).
const databaseUrl = new URL(process.env.DATABASE_URL!);
const proxy = new TcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
let pool: Pool;
let prisma: PrismaClient;

beforeAll(async () => {
  await proxy.up();
  const proxied = Object.assign(new URL(databaseUrl.href), { port: String(proxy.port) }).href;
  pool = createPgPool(proxied, { connectTimeoutMs: 1000, statementTimeoutMs: 300 });
  pool.on('error', () => undefined);
  prisma = createPrismaClient(pool);
});

afterAll(async () => {
  await proxy.up();
  await prisma.$disconnect();
  // Bounded: before the fix this never returned.
  await withDeadline(
    10_000,
    () => new Error('pool.end() did not return: a connection is still checked out'),
    () => pool.end(),
  );
  await proxy.down();
});

/** Connections handed out and not given back. */
const checkedOut = () => pool.totalCount - pool.idleCount;

it.each([
  ['COMMIT', async () => undefined],
  ['ROLLBACK', async () => Promise.reject(new Error('the work failed'))],
])('a %s that fails gives the connection back', async (_statement, ending) => {
  await proxy.up();
  const transaction = prisma.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      proxy.freeze(); // the statement that ends the transaction goes nowhere
      await ending();
    },
    { timeout: 10_000 },
  );
  await expect(transaction).rejects.toThrow();
  expect(checkedOut()).toBe(0);
  await proxy.up();
  // The pool still works: a query takes a fresh connection.
  expect(await prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
});
