import { Client } from '@elastic/elasticsearch';
import { Client as PgClient } from 'pg';
import { resolveDatabaseUrl, resolveElasticsearchUrl, withDatabaseName, TEST_DATABASE } from '../../tools/services/serviceUrls';

/** Removes what this run wrote: its indices and the test database's rows. */
export default async function globalTeardown(): Promise<void> {
  const prefix = process.env.LABELGATE_TEST_INDEX_PREFIX;
  const search = new Client({ node: resolveElasticsearchUrl() });
  try {
    if (prefix) {
      const indices = await search.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index' });
      const names = indices.map((row) => row.index).filter((name): name is string => Boolean(name));
      if (names.length) await search.indices.delete({ index: names });
    }
  } finally {
    await search.close();
  }
  const pg = new PgClient({ connectionString: withDatabaseName(resolveDatabaseUrl(), TEST_DATABASE) });
  await pg.connect();
  try {
    await pg.query('TRUNCATE projects, outbox_events, api_keys, rate_limits CASCADE');
    // Databases single test files made for themselves (test/support/isolatedDatabase.ts).
    const own = await pg.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${TEST_DATABASE.replace(/_/g, '\\_')}\\_%`]);
    for (const { datname } of own.rows) await pg.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await pg.end();
  }
}
