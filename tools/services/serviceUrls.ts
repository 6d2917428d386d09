import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDir } from '../../src/config/projectRoot';
import { DEFAULT_DATABASE_URL, DEFAULT_ELASTICSEARCH_URL } from '../../src/config/env';

// Where `npm run services -- up` records the servers it started itself, so that `services run` (npm
// start, the benchmarks), the tests and the Prisma CLI reach the same ones without the user exporting
// anything; the server itself reads only its environment. Servers it merely found
// (through DATABASE_URL or ELASTICSEARCH_URL, or at the defaults) are not recorded: a variable given
// for one run must not silently become every later run's server.
export const servicesStateFile = join(localDir, 'services.json');

/** Tests' database; LABELGATE_TEST_DATABASE gives parallel checkouts (or agents) one each. */
export const TEST_DATABASE = process.env.LABELGATE_TEST_DATABASE || 'labelgate_test';

/** A server the services script started; `stopped` once its `down` stopped it. */
interface StartedServer {
  url: string;
  stopped?: boolean;
}

export interface ServicesState {
  postgres?: StartedServer & { startedBy: 'cluster' | 'private'; dataDir?: string; cluster?: string };
  elasticsearch?: StartedServer & { startedBy: 'private'; home?: string; pidFile?: string };
  /** The S3-compatible server for oss:// and s3:// sources in tests and local use (S3Proxy). */
  s3?: StartedServer & { startedBy: 'private'; pidFile?: string; accessKeyId: string; secretAccessKey: string };
}

/**
 * The servers the services script started. Older versions also recorded servers they had only found
 * (startedBy null); those entries are ignored, so that their variables stop being sticky.
 */
export function readServicesState(): ServicesState {
  let recorded: Record<string, { startedBy?: unknown } | undefined>;
  try {
    recorded = JSON.parse(readFileSync(servicesStateFile, 'utf8'));
  } catch {
    return {};
  }
  return Object.fromEntries(Object.entries(recorded).filter(([, entry]) => entry?.startedBy)) as ServicesState;
}

/** DATABASE_URL when set, else what the services script recorded, else the default local server. */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || readServicesState().postgres?.url || DEFAULT_DATABASE_URL;
}

export function resolveElasticsearchUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.ELASTICSEARCH_URL || readServicesState().elasticsearch?.url || DEFAULT_ELASTICSEARCH_URL;
}

/**
 * The servers the services script started that these URLs use (same host and port) and that it
 * has not stopped: they outlive the gateway, and the user should know they do.
 */
export function startedServersInUse(databaseUrl: string, elasticsearchUrl: string): string[] {
  const state = readServicesState();
  const sameServer = (recorded: { url: string; stopped?: boolean } | undefined, url: string) =>
    recorded !== undefined && !recorded.stopped && new URL(recorded.url).host === new URL(url).host;
  return [
    ...(sameServer(state.postgres, databaseUrl) ? ['PostgreSQL'] : []),
    ...(sameServer(state.elasticsearch, elasticsearchUrl) ? ['Elasticsearch'] : []),
  ];
}

/** The local S3Proxy as LOCAL_S3_URL carries it to the server: its credentials in the URL. */
export function localS3Url(s3: NonNullable<ServicesState['s3']>): string {
  const url = new URL(s3.url);
  url.username = encodeURIComponent(s3.accessKeyId);
  url.password = encodeURIComponent(s3.secretAccessKey);
  return url.toString();
}

/** What a process started against the recorded servers needs in its environment (variables already set win). */
export function serviceEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const s3 = readServicesState().s3;
  return {
    DATABASE_URL: resolveDatabaseUrl(env),
    ELASTICSEARCH_URL: resolveElasticsearchUrl(env),
    ...(env.LOCAL_S3_URL ? { LOCAL_S3_URL: env.LOCAL_S3_URL } : s3 && !s3.stopped ? { LOCAL_S3_URL: localS3Url(s3) } : {}),
  };
}

/** The same server with another database: tests use their own. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
