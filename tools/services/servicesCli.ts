// `npm run services -- up|down|status [--for-tests] [--with-s3]`: finds or starts PostgreSQL,
// Elasticsearch and (for tests, or with --with-s3) an S3-compatible server.
// `services run [--with-s3] -- <command…>` (npm start, the benchmarks): `up`, then the command with
// the servers' URLs in its environment: the server reads only its environment, never the state file.
import { spawn } from 'node:child_process';
import {
  resolveDatabaseUrl,
  resolveElasticsearchUrl,
  readServicesState,
  serviceEnvironment,
  ServicesState,
  startedServersInUse,
  TEST_DATABASE,
  withDatabaseName,
} from './serviceUrls';
import { ensureChromium } from './chromium';
import {
  checkNamedElasticsearch,
  elasticsearchAnswers,
  elasticsearchDown,
  elasticsearchPort,
  elasticsearchUp,
} from './elasticsearchService';
import { checkNamedPostgres, postgresAnswers, postgresDown, postgresUp } from './postgresService';
import { PrerequisiteError } from './processes';
import { s3Answers, s3Down, s3Up } from './s3proxyService';

const APP_DATABASE = 'labelgate';

const USAGE = `usage: npm run services -- <command> [flags]
  up [--for-tests] [--with-s3]   find or start PostgreSQL and Elasticsearch (S3Proxy too with a flag)
  run [--with-s3] -- <command…>  up, then run the command with the servers' URLs in its environment
  down                           stop what up started
  status                         say what answers and who started it
DATABASE_URL / ELASTICSEARCH_URL name servers to use (they must answer); unset, labelgate finds or starts its own.`;

/** The flags each command accepts (for \`run\`, those before \`--\`). */
const FLAGS: Record<string, string[]> = { up: ['--for-tests', '--with-s3'], run: ['--with-s3'], down: [], status: [] };

/** A mistake in the command line: usage, exit 2. */
class UsageError extends Error {}

/** Settles on the servers and returns their URLs; a server a variable names must answer, else nothing starts. */
async function up(flags: string[]): Promise<{ DATABASE_URL: string; ELASTICSEARCH_URL: string }> {
  const forTests = flags.includes('--for-tests');
  // Everything the user gave is checked before anything is started or migrated.
  elasticsearchPort();
  await checkNamedPostgres();
  await checkNamedElasticsearch();
  const database = new URL(resolveDatabaseUrl()).pathname.slice(1) || APP_DATABASE;
  const postgresServer = await postgresUp([forTests ? TEST_DATABASE : database]);
  const elasticsearchServer = await elasticsearchUp();
  // Object-storage sources are tested against a real S3 server; the app uses whatever its storage config names.
  if (forTests || flags.includes('--with-s3')) await s3Up();
  if (forTests) ensureChromium();
  return {
    DATABASE_URL: process.env.DATABASE_URL || withDatabaseName(postgresServer, database),
    ELASTICSEARCH_URL: elasticsearchServer,
  };
}

/** Who runs the server at `url`: labelgate when it is the one the state file records, else someone else. */
function origin(url: string, recorded: ServicesState[keyof ServicesState], detail = ''): string {
  if (recorded?.url !== url) return 'external';
  return `${recorded.stopped ? 'stopped' : 'started'} by labelgate${detail}`;
}

async function status(): Promise<void> {
  const state = readServicesState();
  const pg = resolveDatabaseUrl();
  const es = resolveElasticsearchUrl();
  const esVersion = await elasticsearchAnswers(es);
  console.log(
    `PostgreSQL     ${new URL(pg).host}  ${(await postgresAnswers(pg)) ? 'up' : 'down'}  ${origin(pg, state.postgres, ` (${state.postgres?.startedBy})`)}`,
  );
  console.log(`Elasticsearch  ${new URL(es).host}  ${esVersion ? `up (${esVersion})` : 'down'}  ${origin(es, state.elasticsearch)}`);
  if (state.s3)
    console.log(
      `S3 (S3Proxy)   ${new URL(state.s3.url).host}  ${(await s3Answers(state.s3.url)) ? 'up' : 'down'}  ${origin(state.s3.url, state.s3)}`,
    );
}

/** Runs a command against the servers `up` settled on; the servers outlive it, and Ctrl-C says so. */
async function run(flags: string[], commandLine: string[]): Promise<number> {
  if (!commandLine.length) throw new UsageError('run needs a command after --: services run -- node dist/src/main.js');
  // The servers up settled on, not a recorded one that may no longer answer.
  const servers = { ...serviceEnvironment(), ...(await up(flags)) };
  const child = spawn(commandLine[0] === 'node' ? process.execPath : commandLine[0], commandLine.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, ...servers },
  });
  let signalled = false;
  // Ctrl-C reaches the command too (same process group); SIGTERM may come to this process alone.
  process.on('SIGINT', () => (signalled = true));
  process.on('SIGTERM', () => {
    signalled = true;
    child.kill('SIGTERM');
  });
  const [code, signal] = (await new Promise((resolve, reject) => child.on('error', reject).on('exit', (...end) => resolve(end)))) as [
    number | null,
    NodeJS.Signals | null,
  ];
  // The servers stay up, so the next start is quick; say so and how to stop them.
  const left = signalled ? startedServersInUse(servers.DATABASE_URL, servers.ELASTICSEARCH_URL) : [];
  const [they, keep, them] = left.length > 1 ? [left.join(' and '), 'keep', 'them'] : [left[0], 'keeps', 'it'];
  if (left.length) console.error(`${they} ${keep} running: \`npm run services -- down\` stops ${them}.`);
  return code ?? (signal ? 1 : 0);
}

async function main(): Promise<void> {
  const [command = 'up', ...rest] = process.argv.slice(2);
  if (['--help', '-h', 'help'].includes(command)) {
    console.log(USAGE);
    return;
  }
  if (!Object.hasOwn(FLAGS, command)) throw new UsageError(`Unknown command "${command}": use up, run, down or status.`);
  if (command === 'run' && !rest.includes('--'))
    throw new UsageError('run needs a command after --: services run -- node dist/src/main.js');
  const end = command === 'run' && rest.includes('--') ? rest.indexOf('--') : rest.length;
  const flags = rest.slice(0, end);
  const unknown = flags.find((flag) => !FLAGS[command].includes(flag));
  if (unknown !== undefined) {
    const accepted = FLAGS[command].length ? `it accepts ${FLAGS[command].join(', ')}` : 'it accepts none';
    throw new UsageError(`${command} does not know the flag "${unknown}": ${accepted}.`);
  }
  if (command === 'up') await up(flags);
  else if (command === 'run') process.exitCode = await run(flags, rest.slice(end + 1));
  else if (command === 'down') {
    await s3Down();
    await elasticsearchDown();
    await postgresDown();
  } else await status();
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`labelgate services: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof PrerequisiteError) console.error(`labelgate services: ${error.message}`);
  else console.error('labelgate services failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
