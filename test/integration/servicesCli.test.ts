import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';

// The compiled CLI, exactly as `npm run services` runs it (npm test builds it first).
const cli = join(projectRoot, 'dist', 'src', 'infra', 'servicesCli.js');

function services(args: string[], env: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env } as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let localDir: string;
beforeEach(() => {
  localDir = mkdtempSync(join(tmpdir(), 'labelgate-services-'));
  chmodSync(localDir, 0o755); // the unprivileged service account must reach it
});
afterEach(() => rmSync(localDir, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run the tests with npm test, which builds first`);
});

describe('npm run services', () => {
  it('status reports both servers up', () => {
    const result = services(['status'], {});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/PostgreSQL .* up/);
    expect(result.stdout).toMatch(/Elasticsearch .* up \(8\.19\.\d+\)/);
  });

  it('without Java it says in one sentence what to install, with no stack trace', () => {
    const result = services(['up'], {
      LABELGATE_LOCAL_DIR: localDir,
      ELASTICSEARCH_URL: 'http://127.0.0.1:9',
      PATH: localDir, // no java, no mvn, no shell tools
      JAVA_HOME: undefined,
      ES_JAVA_HOME: undefined,
    });
    expect(result.status).toBe(1);
    const lastLine = result.stderr.trim().split('\n').pop();
    expect(lastLine).toMatch(/^labelgate services: Elasticsearch is not running and Java 17\+ is needed to run it: install a JDK \(apt-get install openjdk-17-jre-headless\) or set ELASTICSEARCH_URL to a running server\.$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('when no PostgreSQL answers it creates a private cluster, migrates it, and down stops only that', async () => {
    const up = services(['up'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/labelgate' });
    const port = /starting the private PostgreSQL cluster on 127\.0\.0\.1:(\d+)/.exec(up.stderr)?.[1];
    expect(port).toBeDefined();
    expect(up.status).toBe(0);
    expect(existsSync(join(localDir, 'postgres', 'PG_VERSION'))).toBe(true);

    // The migrations ran there: the tables exist and are empty.
    const pg = new PgClient({ connectionString: `postgresql://postgres@127.0.0.1:${port}/labelgate` });
    await pg.connect();
    const tables = await pg.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    await pg.end();
    expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['_prisma_migrations', 'images', 'projects']));

    const status = services(['status'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined });
    expect(status.stdout).toMatch(/PostgreSQL +127\.0\.0\.1:\d+ +up +started by labelgate \(private\)/);
    expect(status.stdout).toMatch(/Elasticsearch .* up/);

    const down = services(['down'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined });
    expect(down.status).toBe(0);
    expect(down.stderr).toMatch(/Elasticsearch: not started by labelgate, left running/);
    expect(down.stderr).toMatch(/PostgreSQL: stopped/);
    expect(services(['status'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined }).stdout).toMatch(/PostgreSQL .* down/);
  });
});
