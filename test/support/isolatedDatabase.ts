import { resolveDatabaseUrl, withDatabaseName } from '../../src/config/serviceUrls';
import { ensureDatabase, migrate } from '../../src/infra/postgresService';

/**
 * A migrated database of a test file's own. Tests whose outbox must not be drained by the other
 * test files' gateways (they all share labelgate_test) use one.
 */
export async function isolatedDatabase(name: string): Promise<string> {
  const server = resolveDatabaseUrl();
  const database = `labelgate_test_${name}`;
  await ensureDatabase(server, database);
  const url = withDatabaseName(server, database);
  await migrate(url);
  return url;
}
