import { startLabelgate, RunningLabelgate } from '../../src/app';
import { loadConfig } from '../../src/config/env';
import type { Logger } from '../../src/logger';

type Data = Record<string, any>;

export interface GraphQLResult {
  status: number;
  headers: Headers;
  body: {
    data?: Data | null;
    errors?: { message: string; path?: string[]; extensions: { code: string; [key: string]: unknown } }[];
    extensions?: { requestId?: string };
  };
}

export interface TestServer extends RunningLabelgate {
  /** Sends the admin key unless `headers` set authorization (an empty one sends no key). */
  gql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResult>;
}

/** The test servers' admin key (set per worker by test/support/testEnv.ts). */
export const adminKey = (): string => process.env.ADMIN_API_KEY!;
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The real app (real Postgres, real Elasticsearch) on a free port, with the test settings. */
export async function startTestServer(overrides: Record<string, string> = {}, logger?: Logger): Promise<TestServer> {
  const config = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', ...overrides });
  const running = await startLabelgate(config, logger);
  return {
    ...running,
    async gql(query, variables, headers = {}) {
      const response = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(adminKey()), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResult['body'] };
    },
  };
}

/** Project names unique to one test file and run, so parallel files never collide. */
export function uniqueName(stem: string): string {
  return `${stem}-${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
