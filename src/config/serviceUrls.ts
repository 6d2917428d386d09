import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDir } from './projectRoot';

// Where `npm run services -- up` records the servers it found or started, so that the app, the tests
// and the Prisma CLI reach the same ones without the user exporting anything.
export const servicesStateFile = join(localDir, 'services.json');

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/labelgate';
export const DEFAULT_ELASTICSEARCH_URL = 'http://127.0.0.1:9200';
/** Tests' database; LABELGATE_TEST_DATABASE gives parallel checkouts (or agents) one each. */
export const TEST_DATABASE = process.env.LABELGATE_TEST_DATABASE || 'labelgate_test';

export interface ServicesState {
  postgres?: { url: string; startedBy: 'cluster' | 'private' | null; dataDir?: string; cluster?: string };
  elasticsearch?: { url: string; startedBy: 'private' | null; home?: string; pidFile?: string };
  /** The S3-compatible server for oss:// and s3:// sources in tests and local use (S3Proxy). */
  s3?: { url: string; startedBy: 'private' | null; pidFile?: string; accessKeyId: string; secretAccessKey: string };
}

export function readServicesState(): ServicesState {
  try {
    return JSON.parse(readFileSync(servicesStateFile, 'utf8')) as ServicesState;
  } catch {
    return {};
  }
}

/** DATABASE_URL when set, else what the services script recorded, else the default local server. */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || readServicesState().postgres?.url || DEFAULT_DATABASE_URL;
}

export function resolveElasticsearchUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.ELASTICSEARCH_URL || readServicesState().elasticsearch?.url || DEFAULT_ELASTICSEARCH_URL;
}

/** The same server with another database: tests use their own. */
export function withDatabaseName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
