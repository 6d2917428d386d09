import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { localDir, projectRoot } from '../../src/config/projectRoot';
import { DEFAULT_DATABASE_URL } from '../../src/config/env';
import { committedMigrations } from '../../src/persistence/schemaCheck';
import { withoutPassword } from '../../src/startLog';
import { readServicesState, ServicesState, withDatabaseName } from './serviceUrls';
import {
  asServiceUser,
  commandExists,
  findFreePort,
  giveToServiceUser,
  log,
  PrerequisiteError,
  run,
  runInOwnSession,
  runQuietly,
} from './processes';
import { candidateUrls, recordServerInUse, recordServerStopped } from './servicesState';

const privateDataDir = join(localDir, 'postgres');
const privateLogFile = join(localDir, 'postgres.log');

/**
 * Why the server at this URL cannot be used, as the end of a sentence; null when it answers and lets
 * us in (any database on it).
 */
export async function postgresProblem(url: string): Promise<string | null> {
  const client = new Client({ connectionString: withDatabaseName(url, 'postgres'), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    // A SQLSTATE (five characters) comes from a server that answered: a wrong password, an unknown
    // role, pg_hba.conf. Anything else (refused, unknown host, timeout) is a server that is not there.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return `refuses the connection (${(error as Error).message})`;
    return 'does not answer';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether a PostgreSQL server answers at this URL and lets us in. */
export async function postgresAnswers(url: string): Promise<boolean> {
  return (await postgresProblem(url)) === null;
}

/**
 * DATABASE_URL names the server to use: when it cannot be used, say so and stop. Starting another
 * server in its place would hand the user's command a URL that does not work, or data in a place
 * they did not choose.
 */
export async function checkNamedPostgres(): Promise<void> {
  const named = process.env.DATABASE_URL;
  if (!named) return;
  if (!URL.canParse(named)) throw new PrerequisiteError(`DATABASE_URL "${withoutPassword(named)}" is not a URL.`);
  const problem = await postgresProblem(named);
  if (problem === 'does not answer')
    throw new PrerequisiteError(
      `DATABASE_URL ${withoutPassword(named)} does not answer: start that server or unset DATABASE_URL to let labelgate start one.`,
    );
  if (problem)
    throw new PrerequisiteError(
      `DATABASE_URL ${withoutPassword(named)} ${problem}: fix the user or password in DATABASE_URL, or unset it to let labelgate start a server.`,
    );
}

/** The machine's own clusters (Debian's pg_lsclusters), as "version name port status". */
function machineClusters(): { version: string; name: string; port: number; online: boolean }[] {
  if (!commandExists('pg_lsclusters')) return [];
  const { stdout } = run('pg_lsclusters', ['--no-header'], { allowFailure: true });
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4)
    .map(([version, name, port, status]) => ({ version, name, port: Number(port), online: status.startsWith('online') }));
}

function newestServerBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

async function startMachineCluster(port: number): Promise<string | null> {
  const cluster = machineClusters().find((c) => c.port === port && !c.online);
  if (!cluster) return null;
  log(`starting the machine's PostgreSQL cluster ${cluster.version}/${cluster.name} on port ${port}`);
  const result = runInOwnSession('pg_ctlcluster', ['--skip-systemctl-redirect', cluster.version, cluster.name, 'start'], {
    allowFailure: true,
  });
  if (result.status !== 0) {
    log(`could not start it (${(result.stderr || result.stdout).trim()}); falling back to a private cluster`);
    return null;
  }
  return `${cluster.version}/${cluster.name}`;
}

async function startPrivateCluster(): Promise<string> {
  const bin = newestServerBinDir();
  if (!bin) {
    throw new PrerequisiteError(
      'PostgreSQL is not running and its server binaries are missing: install them (apt-get install postgresql) or set DATABASE_URL to a running server.',
    );
  }
  if (!existsSync(join(privateDataDir, 'PG_VERSION'))) {
    log(`creating a private PostgreSQL cluster in ${privateDataDir}`);
    mkdirSync(privateDataDir, { recursive: true });
    giveToServiceUser(privateDataDir);
    const [cmd, args] = asServiceUser(join(bin, 'initdb'), [
      '-D',
      privateDataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    run(cmd, args);
  }
  const port = await findFreePort(55432);
  const [cmd, args] = asServiceUser(join(bin, 'pg_ctl'), [
    '-D',
    privateDataDir,
    '-l',
    privateLogFile,
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${privateDataDir}`,
    'start',
  ]);
  run('touch', [privateLogFile]);
  giveToServiceUser(privateLogFile);
  log(`starting the private PostgreSQL cluster on 127.0.0.1:${port}`);
  runInOwnSession(cmd, args);
  return `postgresql://postgres@127.0.0.1:${port}/labelgate`;
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      log(`creating database ${database}`);
      await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`).catch((error: Error) => {
        throw new PrerequisiteError(
          `Database ${database} does not exist on ${withoutPassword(serverUrl)} and could not be created (${error.message}): create it, or give the user the CREATEDB privilege.`,
        );
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Whether every committed migration is applied as Prisma records it (same name, same checksum: the
 * SHA-256 of migration.sql) and none failed. Then its CLI has nothing to do, and skipping it saves
 * about 10 s on every start: its schema engine leaves a 10 s timer behind that the process waits out.
 */
async function migrationsApplied(databaseUrl: string): Promise<boolean> {
  const folder = join(projectRoot, 'prisma', 'migrations');
  const committed = committedMigrations(folder).map(
    (name) =>
      `${name} ${createHash('sha256')
        .update(readFileSync(join(folder, name, 'migration.sql')))
        .digest('hex')}`,
  );
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations');
    // A failed migration is Prisma's to report.
    if (rows.some((row) => !row.finished_at && !row.rolled_back_at)) return false;
    const applied = new Set(
      rows.filter((row) => row.finished_at && !row.rolled_back_at).map((row) => `${row.migration_name} ${row.checksum}`),
    );
    return committed.every((migration) => applied.has(migration));
  } catch {
    // No _prisma_migrations table yet, or anything else: Prisma decides.
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Applies the committed migrations with Prisma's CLI (offline: js engine + pg adapter, prisma.config.ts).
 * Returns how many it applied. Prisma's output is shown only when it fails: on every start it would repeat where its config came from and
 * warn that the schema's datasource url is unused, which the offline setup needs (docs/decisions/0001).
 */
export async function migrate(databaseUrl: string): Promise<number> {
  if (await migrationsApplied(databaseUrl)) return 0;
  const prismaCli = require.resolve('prisma/build/index.js', { paths: [projectRoot] });
  const { stdout } = await runQuietly(process.execPath, [prismaCli, 'migrate', 'deploy'], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
  // Prisma lists each migration it applied as a folder ("  └─ 20261125000000_init/").
  return stdout.match(/└─ \S+\/$/gm)?.length ?? 0;
}

/**
 * Uses the server DATABASE_URL names, which must answer; without it finds one (the one recorded
 * earlier, the default), starting the machine's cluster or a private one when none answers. Then
 * creates and migrates the databases.
 */
export async function postgresUp(databases: string[]): Promise<string> {
  await checkNamedPostgres();
  const previous = readServicesState().postgres;
  const candidates = candidateUrls(process.env.DATABASE_URL, previous, DEFAULT_DATABASE_URL);

  let url = '';
  for (const candidate of candidates) {
    if (await postgresAnswers(candidate)) {
      url = candidate;
      break;
    }
  }
  let ours: ServicesState['postgres'] | null = url && previous?.url === url ? previous : null;

  if (!url) {
    const wanted = candidates[0];
    const started = await startMachineCluster(Number(new URL(wanted).port || 5432));
    if (started && (await postgresAnswers(wanted))) {
      url = wanted;
      ours = { url, startedBy: 'cluster', cluster: started };
    } else {
      url = await startPrivateCluster();
      ours = { url, startedBy: 'private', dataDir: privateDataDir };
      if (!(await postgresAnswers(url)))
        throw new PrerequisiteError(`The private PostgreSQL cluster did not answer; see ${privateLogFile}.`);
    }
  }
  recordServerInUse('postgres', previous, ours);
  log(`PostgreSQL: ${new URL(url).host}${ours ? ` (started by labelgate: ${ours.startedBy})` : ''}`);

  for (const database of databases) {
    await ensureDatabase(url, database);
    const applied = await migrate(withDatabaseName(url, database));
    log(`database ${database}: ${applied ? `${applied} migration${applied > 1 ? 's' : ''} applied` : 'migrations up to date'}`);
  }
  return url;
}

export async function postgresDown(): Promise<void> {
  const state = readServicesState().postgres;
  if (state?.stopped) {
    log('PostgreSQL: already stopped');
    return;
  }
  if (!state) {
    log('PostgreSQL: not started by labelgate, left running');
    return;
  }
  if (state.startedBy === 'cluster' && state.cluster) {
    const [version, name] = state.cluster.split('/');
    run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'stop'], { allowFailure: true });
  } else if (state.startedBy === 'private') {
    const bin = newestServerBinDir();
    if (bin) {
      const [cmd, args] = asServiceUser(join(bin, 'pg_ctl'), ['-D', privateDataDir, '-m', 'fast', 'stop']);
      run(cmd, args, { allowFailure: true });
    }
  }
  recordServerStopped('postgres', state);
  log('PostgreSQL: stopped');
}
