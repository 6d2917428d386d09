import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';
import { DEFAULT_DATABASE_URL, DEFAULT_ELASTICSEARCH_URL } from '../../src/config/env';
import { resolveDatabaseUrl, resolveElasticsearchUrl, TEST_DATABASE, withDatabaseName } from '../../tools/services/serviceUrls';
import { TcpProxy } from '../support/tcpProxy';

// The compiled CLI, exactly as `npm run services` runs it (npm test builds it first).
const cli = join(projectRoot, 'dist', 'tools', 'services', 'servicesCli.js');

// Asynchronous, so that proxies in this process keep forwarding while the CLI runs.
function services(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env } as NodeJS.ProcessEnv, timeout: 120_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => child.on('error', reject).on('close', (status) => resolve({ status, stdout, stderr })));
}

/** A proxy on a port of its own in front of a real server, so that its address is not the default one. */
async function proxyTo(url: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(url);
  const proxy = new TcpProxy({ host: hostname, port: Number(port) });
  await proxy.up();
  return proxy;
}

const hostOf = (url: string) => new URL(url).host.replace(/\./g, '\\.');

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
  it('status reports both servers up', async () => {
    const result = await services(['status'], {});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/PostgreSQL .* up/);
    expect(result.stdout).toMatch(/Elasticsearch .* up \(8\.19\.\d+\)/);
  });

  it('without Java it says in one sentence what to install, with no stack trace', async () => {
    // The Elasticsearch it started earlier no longer answers, so it must start it again.
    writeFileSync(join(localDir, 'services.json'), JSON.stringify({ elasticsearch: { url: 'http://127.0.0.1:9', startedBy: 'private' } }));
    const result = await services(['up'], {
      LABELGATE_LOCAL_DIR: localDir,
      DATABASE_URL: withDatabaseName(resolveDatabaseUrl(), TEST_DATABASE),
      ELASTICSEARCH_URL: undefined,
      PATH: localDir, // no java, no mvn, no shell tools
      JAVA_HOME: undefined,
      ES_JAVA_HOME: undefined,
    });
    expect(result.status).toBe(1);
    const lastLine = result.stderr.trim().split('\n').pop();
    expect(lastLine).toMatch(
      /^labelgate services: Elasticsearch is not running and Java 17\+ is needed to run it: install a JDK \(apt-get install openjdk-17-jre-headless\) or set ELASTICSEARCH_URL to a running server\.$/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('when its private cluster no longer answers it creates it again, migrates it, and down stops only that', async () => {
    // Recorded as started by labelgate and not stopped (a reboot): its data is there, so it is
    // started again even though the machine's server answers at the default.
    writeFileSync(
      join(localDir, 'services.json'),
      JSON.stringify({ postgres: { url: 'postgresql://postgres@127.0.0.1:9/labelgate', startedBy: 'private' } }),
    );
    const up = await services(['up'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined, ELASTICSEARCH_URL: undefined });
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

    const status = await services(['status'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined });
    expect(status.stdout).toMatch(/PostgreSQL +127\.0\.0\.1:\d+ +up +started by labelgate \(private\)/);
    expect(status.stdout).toMatch(/Elasticsearch .* up/);

    const down = await services(['down'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined });
    expect(down.status).toBe(0);
    expect(down.stderr).toMatch(/Elasticsearch: not started by labelgate, left running/);
    expect(down.stderr).toMatch(/PostgreSQL: stopped/);
    expect((await services(['status'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined })).stdout).toMatch(/PostgreSQL .* down/);

    const again = await services(['down'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined });
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/PostgreSQL: already stopped/);
  });

  /** A state file recording an Elasticsearch and an S3Proxy as the script's, with these fields. */
  const recordEsAndS3 = (fields: Record<string, unknown>) =>
    writeFileSync(
      join(localDir, 'services.json'),
      JSON.stringify({
        elasticsearch: { url: 'http://127.0.0.1:9', ...fields },
        s3: { url: 'http://127.0.0.1:9', accessKeyId: 'a', secretAccessKey: 'b', ...fields },
      }),
    );

  it('a second down says that what it stopped is already stopped', async () => {
    recordEsAndS3({ startedBy: 'private', stopped: true });
    const down = await services(['down'], { LABELGATE_LOCAL_DIR: localDir });
    expect(down.status).toBe(0);
    expect(down.stderr).toMatch(/Elasticsearch: already stopped/);
    expect(down.stderr).toMatch(/S3Proxy: already stopped/);
    expect(down.stderr).not.toMatch(/Elasticsearch: not started by labelgate/);
  });

  it('down of servers it started whose processes are gone says so, and records them stopped', async () => {
    recordEsAndS3({ startedBy: 'private', pidFile: join(localDir, 'none.pid') });
    const down = await services(['down'], { LABELGATE_LOCAL_DIR: localDir });
    expect(down.status).toBe(0);
    expect(down.stderr).toMatch(/Elasticsearch: started by labelgate, no longer running/);
    expect(down.stderr).toMatch(/S3Proxy: started by labelgate, no longer running/);
    const again = await services(['down'], { LABELGATE_LOCAL_DIR: localDir });
    expect(again.stderr).toMatch(/Elasticsearch: already stopped/);
  });

  describe('a server a variable names must answer: it fails at once, starts nothing, records nothing', () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      [
        'DATABASE_URL on a closed port',
        { DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:9/labelgate' },
        /^labelgate services: DATABASE_URL postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/labelgate does not answer: start that server or unset DATABASE_URL to let labelgate start one\.$/,
      ],
      [
        'DATABASE_URL with a role the server does not know',
        { DATABASE_URL: withDatabaseName(resolveDatabaseUrl().replace('//postgres@', '//no_such_role_wtsvc@'), 'labelgate') },
        /^labelgate services: DATABASE_URL \S+ refuses the connection \(.*no_such_role_wtsvc.*\): fix the user or password in DATABASE_URL, or unset it to let labelgate start a server\.$/,
      ],
      [
        'ELASTICSEARCH_URL on a closed port',
        { ELASTICSEARCH_URL: 'http://127.0.0.1:9' },
        /^labelgate services: ELASTICSEARCH_URL http:\/\/127\.0\.0\.1:9 does not answer: start that server or unset ELASTICSEARCH_URL to let labelgate start one\.$/,
      ],
    ];
    for (const [name, env, message] of cases) {
      for (const command of [['up'], ['run', '--', 'node', '-e', 'console.log("CHILD RAN")']]) {
        it(`${name}: ${command[0]}`, async () => {
          const started = Date.now();
          const result = await services(command, {
            LABELGATE_LOCAL_DIR: localDir,
            DATABASE_URL: undefined,
            ELASTICSEARCH_URL: undefined,
            ...env,
          });
          expect(result.status).toBe(1);
          expect(result.stderr.trim().split('\n').pop()).toMatch(message);
          expect(result.stderr).not.toMatch(/starting|creating|migration/);
          expect(result.stdout).not.toContain('CHILD RAN');
          expect(existsSync(join(localDir, 'services.json'))).toBe(false);
          expect(existsSync(join(localDir, 'postgres'))).toBe(false);
          expect(Date.now() - started).toBeLessThan(15_000);
        });
      }
    }
  });

  it('with every migration applied it does not wait for Prisma', async () => {
    const started = Date.now();
    const result = await services(['up'], {
      LABELGATE_LOCAL_DIR: localDir,
      DATABASE_URL: withDatabaseName(resolveDatabaseUrl(), TEST_DATABASE),
      ELASTICSEARCH_URL: resolveElasticsearchUrl(),
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`database ${TEST_DATABASE}: migrations up to date`);
    // Prisma's CLI alone takes over 10 s to exit, even with nothing to apply.
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('ES_PORT that is not a port is refused first, naming the variable', async () => {
    const result = await services(['up'], { LABELGATE_LOCAL_DIR: localDir, ES_PORT: 'abc' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('labelgate services: ES_PORT "abc" is not a TCP port: give a number from 1 to 65535, or unset it.');
  });

  it('--help prints the usage; an unknown flag or command is a usage error naming it', async () => {
    for (const help of ['--help', '-h', 'help']) {
      const result = await services([help], {});
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^usage: npm run services -- <command>/);
      expect(result.stderr).toBe('');
    }
    const flag = await services(['up', '--with-s4'], { LABELGATE_LOCAL_DIR: localDir });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^labelgate services: up does not know the flag "--with-s4": it accepts --for-tests, --with-s3\.\nusage:/);
    const command = await services(['upp'], { LABELGATE_LOCAL_DIR: localDir });
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/^labelgate services: Unknown command "upp"/);
    expect(existsSync(join(localDir, 'services.json'))).toBe(false);
  });

  it('a DATABASE_URL or ELASTICSEARCH_URL given once is not what later runs use', async () => {
    const database = await proxyTo(resolveDatabaseUrl());
    const search = await proxyTo(resolveElasticsearchUrl());
    try {
      const given = {
        DATABASE_URL: `postgresql://postgres@127.0.0.1:${database.port}/${TEST_DATABASE}`,
        ELASTICSEARCH_URL: `http://127.0.0.1:${search.port}`,
      };
      const up = await services(['up'], { LABELGATE_LOCAL_DIR: localDir, ...given });
      expect(up.stderr).toMatch(new RegExp(`PostgreSQL: 127\\.0\\.0\\.1:${database.port}\n`));
      expect(up.status).toBe(0);

      // Both servers were found, not started: nothing about them is recorded, and a run without the
      // variables reaches the defaults.
      const stateFile = join(localDir, 'services.json');
      const state = existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : '';
      expect(state).not.toContain(`:${database.port}`);
      expect(state).not.toContain(`:${search.port}`);
      const later = await services(['status'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined, ELASTICSEARCH_URL: undefined });
      expect(later.stdout).toMatch(new RegExp(`PostgreSQL +${hostOf(DEFAULT_DATABASE_URL)} +up +external`));
      expect(later.stdout).toMatch(new RegExp(`Elasticsearch +${hostOf(DEFAULT_ELASTICSEARCH_URL)} +up .* external`));
    } finally {
      await database.down();
      await search.down();
    }
  });

  it('ignores servers an older version recorded although it had only found them', async () => {
    const found = { url: 'postgresql://postgres@127.0.0.1:9/labelgate', startedBy: null };
    writeFileSync(
      join(localDir, 'services.json'),
      JSON.stringify({ postgres: found, elasticsearch: { url: 'http://127.0.0.1:9', startedBy: null } }),
    );
    const status = await services(['status'], { LABELGATE_LOCAL_DIR: localDir, DATABASE_URL: undefined, ELASTICSEARCH_URL: undefined });
    expect(status.stdout).toMatch(new RegExp(`PostgreSQL +${hostOf(DEFAULT_DATABASE_URL)} +up +external`));
    expect(status.stdout).toMatch(new RegExp(`Elasticsearch +${hostOf(DEFAULT_ELASTICSEARCH_URL)} +up .* external`));
  });
});
