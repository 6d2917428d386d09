import { Client } from 'pg';
import { resolveDatabaseUrl, withDatabaseName, TEST_DATABASE } from '../../tools/services/serviceUrls';
import { ensureDatabase, migrate } from '../../tools/services/postgresService';

/**
 * A fresh, migrated database of a test file's own (whatever an interrupted earlier run left there).
 * Tests whose outbox must not be drained by the other test files' gateways (they all share the test
 * database) use one.
 */
export async function isolatedDatabase(name: string): Promise<string> {
  const server = resolveDatabaseUrl();
  const database = `${TEST_DATABASE}_${name}`;
  const admin = new Client({ connectionString: withDatabaseName(server, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await ensureDatabase(server, database);
  const url = withDatabaseName(server, database);
  await migrate(url);
  return url;
}
