import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';
import { committedMigrations } from '../../src/persistence/schemaCheck';
import { isServiceOutage } from '../../src/serviceOutage';
import { ensureDatabase } from '../../tools/services/postgresService';
import { TEST_DATABASE, withDatabaseName } from '../../tools/services/serviceUrls';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { closedPort } from '../support/net';

/**
 * The built server (`npm test` builds it) as `npm start` runs it, on a free port: how it exits, and
 * what it wrote on stderr; a process still serving after 20 s is stopped and reported as such.
 */
async function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
    env: { ...process.env, ROLE: 'api', HOST: '127.0.0.1', PORT: String(await closedPort()), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  return { code, stderr };
}

const server = process.env.DATABASE_URL!;

describe('starting against a database that is not ready', () => {
  const databases: string[] = [];
  afterAll(async () => {
    const admin = new Client({ connectionString: withDatabaseName(server, 'postgres') });
    await admin.connect();
    for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  it('refuses a database with no schema, with one sentence saying how to migrate it', async () => {
    const database = `${TEST_DATABASE}_unmigrated`;
    databases.push(database);
    const admin = new Client({ connectionString: withDatabaseName(server, 'postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    await ensureDatabase(server, database);
    const { code, stderr } = await start({ DATABASE_URL: withDatabaseName(server, database) });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Labelgate failed to start: database ${database} has no schema: run \`npx prisma migrate deploy\` (or \`npm run services -- up\`).\n`,
    );
  });

  it('refuses a database missing the newest migrations, naming them', async () => {
    const url = await isolatedDatabase('behind');
    databases.push(`${TEST_DATABASE}_behind`);
    const newest = committedMigrations().slice(-2);
    const db = new Client({ connectionString: url });
    await db.connect();
    await db.query('DELETE FROM _prisma_migrations WHERE migration_name = ANY($1)', [newest]);
    await db.end();
    const { code, stderr } = await start({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Labelgate failed to start: database ${TEST_DATABASE}_behind is 2 migrations behind (${newest.join(', ')}): run \`npx prisma migrate deploy\` (or \`npm run services -- up\`).\n`,
    );
  });

  it('refuses a database that does not exist, naming DATABASE_URL', async () => {
    const url = withDatabaseName(server, `${TEST_DATABASE}_never_created`);
    const { code, stderr } = await start({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Labelgate failed to start: database \S+_never_created does not exist on the server DATABASE_URL names \(/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a login Postgres rejects, naming DATABASE_URL without its password', async () => {
    const url = new URL(server);
    url.username = 'labelgate_no_such_role';
    url.password = 'secret-password';
    const { code, stderr } = await start({ DATABASE_URL: url.toString() });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^Labelgate failed to start: Postgres refused the login in DATABASE_URL \(postgresql:\/\/labelgate_no_such_role@/,
    );
    expect(stderr).not.toContain('secret-password');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('starting with a thumbnail folder that cannot be used', () => {
  it('refuses a file, naming THUMBNAIL_CACHE_DIR', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lg-thumbs-')), 'a-file');
    writeFileSync(file, 'not a folder');
    const { code, stderr } = await start({ THUMBNAIL_CACHE_DIR: file });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Labelgate failed to start: Invalid configuration: THUMBNAIL_CACHE_DIR: ${file} is not a folder; point it at a folder this process may write.\n`,
    );
  });
});

describe('a database that goes bad after start', () => {
  it('reads a missing table or database as an outage (ServiceUnavailable), not a bug', async () => {
    const db = new Client({ connectionString: server });
    await db.connect();
    const missingTable = await db.query('SELECT * FROM labelgate_no_such_table').catch((error: unknown) => error);
    await db.end();
    const missingDatabase = await new Client({ connectionString: withDatabaseName(server, `${TEST_DATABASE}_gone`) })
      .connect()
      .catch((error: unknown) => error);
    expect((missingTable as { code: string }).code).toBe('42P01');
    expect((missingDatabase as { code: string }).code).toBe('3D000');
    expect(isServiceOutage(missingTable)).toBe(true);
    expect(isServiceOutage(missingDatabase)).toBe(true);
  });
});

describe('starting with a HOST that is not an address of this machine', () => {
  it('stops with one sentence naming HOST', async () => {
    const { code, stderr } = await start({ HOST: 'not-a-host.invalid' });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^Labelgate failed to start: Invalid configuration: HOST: not-a-host\.invalid is not an address of this machine \((ENOTFOUND|EAI_AGAIN)\); set HOST to one, such as 0\.0\.0\.0 or 127\.0\.0\.1\.\n$/,
    );
  });
});

describe('starting with both storage settings', () => {
  it('stops before connecting anywhere, with one sentence naming them', async () => {
    const { code, stderr } = await start({ STORAGE_CONFIG: '{}', STORAGE_CONFIG_FILE: '/nonexistent/storage.json' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'Labelgate failed to start: Invalid configuration: STORAGE_CONFIG and STORAGE_CONFIG_FILE are both set: set one of them.\n',
    );
  });
});
