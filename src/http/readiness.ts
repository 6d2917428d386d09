import type { Client } from '@elastic/elasticsearch';
import type { PrismaClient } from '@prisma/client';

export interface DependencyStatus {
  ok: boolean;
  error?: string;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyStatus> {
  try {
    await withTimeout(check(), timeoutMs);
    return { ok: true };
  } catch (error) {
    // Only the kind of failure: connection strings and hosts stay out of a public endpoint.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: /within \d+ ms/.test(message) ? message : 'unreachable' };
  }
}

export async function checkReadiness(prisma: PrismaClient, search: Client, timeoutMs: number) {
  const [postgres, elasticsearch] = await Promise.all([
    probe(() => prisma.$queryRaw`SELECT 1`, timeoutMs),
    // cluster.health, not ping: the integ-test distribution has no handler for HEAD /.
    probe(() => search.cluster.health({}, { requestTimeout: timeoutMs, maxRetries: 0 }), timeoutMs),
  ]);
  return { ready: postgres.ok && elasticsearch.ok, checks: { postgres, elasticsearch } };
}
