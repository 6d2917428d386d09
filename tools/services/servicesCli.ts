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
} from './serviceUrls';
import { ensureChromium } from './chromium';
import { elasticsearchAnswers, elasticsearchDown, elasticsearchUp } from './elasticsearchService';
import { postgresAnswers, postgresDown, postgresUp } from './postgresService';
import { PrerequisiteError } from './processes';
import { s3Answers, s3Down, s3Up } from './s3proxyService';

const APP_DATABASE = 'labelgate';

async function up(forTests: boolean): Promise<void> {
  const database = new URL(resolveDatabaseUrl()).pathname.slice(1) || APP_DATABASE;
  await postgresUp([forTests ? TEST_DATABASE : database]);
  await elasticsearchUp();
  // Object-storage sources are tested against a real S3 server; the app uses whatever its storage config names.
  if (forTests || process.argv.includes('--with-s3')) await s3Up();
  if (forTests) ensureChromium();
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
async function run(commandLine: string[]): Promise<number> {
  if (!commandLine.length) throw new PrerequisiteError('run needs a command after --: services run -- node dist/src/main.js');
  await up(false);
  const servers = serviceEnvironment();
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
  const [command = 'up', ...flags] = process.argv.slice(2);
  if (command === 'up') await up(flags.includes('--for-tests'));
  else if (command === 'run') process.exitCode = await run(flags.includes('--') ? flags.slice(flags.indexOf('--') + 1) : []);
  else if (command === 'down') {
    await s3Down();
    await elasticsearchDown();
    await postgresDown();
  } else if (command === 'status') await status();
  else throw new PrerequisiteError(`Unknown command "${command}": use up, run, down or status.`);
}

main().catch((error: unknown) => {
  if (error instanceof PrerequisiteError) console.error(`labelgate services: ${error.message}`);
  else console.error('labelgate services failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
