import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';
import { committedMigrations } from '../../src/persistence/schemaCheck';
import { ensureDatabase } from '../../tools/services/postgresService';
import { resolveDatabaseUrl, TEST_DATABASE, withDatabaseName } from '../../tools/services/serviceUrls';

/**
 * The committed migrations applied by hand to an emptied scratch database (`<test database>_<suffix>`),
 * with `before` run just before the migration `upgrade` and `after` just after it: how an upgrade
 * test puts rows from before it in place. Answers the connected client; the caller ends it.
 */
export async function migrateScratchDatabase(
  suffix: string,
  upgrade: string,
  around: { before?: (db: PgClient) => Promise<unknown>; after?: (db: PgClient) => Promise<unknown> },
): Promise<PgClient> {
  const database = `${TEST_DATABASE}_${suffix}`;
  await ensureDatabase(resolveDatabaseUrl(), database);
  const db = new PgClient({ connectionString: withDatabaseName(resolveDatabaseUrl(), database) });
  await db.connect();
  try {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const folder = join(projectRoot, 'prisma', 'migrations');
    const migrations = committedMigrations(folder);
    const at = migrations.indexOf(upgrade);
    if (at < 1) throw new Error(`no migration ${upgrade} after the first`);
    for (const [i, name] of migrations.entries()) {
      if (i === at) await around.before?.(db);
      await db.query(readFileSync(join(folder, name, 'migration.sql'), 'utf8'));
      if (i === at) await around.after?.(db);
    }
    return db;
  } catch (error) {
    await db.end();
    throw error;
  }
}
