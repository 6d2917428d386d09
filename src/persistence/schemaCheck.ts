import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { projectRoot } from '../config/projectRoot';

/** The committed migrations (prisma/migrations/<timestamp>_<name>), oldest first; none when the folder is not shipped. */
export function committedMigrations(folder = join(projectRoot, 'prisma', 'migrations')): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && /^\d+_/.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** DATABASE_URL as it may be shown: without its password. */
export function redactedDatabaseUrl(databaseUrl: string): string {
  if (!URL.canParse(databaseUrl)) return 'DATABASE_URL';
  const url = new URL(databaseUrl);
  url.password = '';
  return url.toString();
}

const MIGRATE_HINT = 'run `npx prisma migrate deploy` (or `npm run services -- up`)';

/**
 * Checks, when Postgres answers, that DATABASE_URL names a database this role may use and that it has
 * every committed migration; answers the one sentence to refuse the start with, else null. A database
 * created but never migrated used to start "healthy" and fail every request with InternalError
 * (relation "outbox_events" does not exist). Postgres not answering at all is left to the degraded
 * start (docs/configuration.md): requests then answer ServiceUnavailable until it is back.
 */
export async function schemaProblem(pool: Pool, databaseUrl: string, migrations = committedMigrations()): Promise<string | null> {
  const where = redactedDatabaseUrl(databaseUrl);
  const database = URL.canParse(databaseUrl) ? decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres' : '?';
  let applied: Set<string>;
  try {
    const { rows } = await pool.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    applied = new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === '3D000')
      return `database ${database} does not exist on the server DATABASE_URL names (${where}): create it and apply the migrations with \`npm run services -- up\`, or correct DATABASE_URL.`;
    if (code === '28000' || code === '28P01')
      return `Postgres refused the login in DATABASE_URL (${where}): ${message}; correct the user or password in DATABASE_URL.`;
    if (code === '42P01') return `database ${database} has no schema: ${MIGRATE_HINT}.`;
    // Postgres unreachable or frozen (isServiceOutage), or anything else this check cannot judge:
    // the start goes on, and requests answer ServiceUnavailable until it answers.
    return null;
  }
  const missing = migrations.filter((name) => !applied.has(name));
  if (missing.length === 0) return null;
  if (applied.size === 0) return `database ${database} has no schema: ${MIGRATE_HINT}.`;
  return `database ${database} is ${missing.length} migration${missing.length > 1 ? 's' : ''} behind (${missing.join(', ')}): ${MIGRATE_HINT}.`;
}
