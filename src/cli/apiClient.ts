import { existsSync, readFileSync } from 'node:fs';
import { localAdminKeyFile } from '../auth/localAdminKey';
import { ApiError, ErrorCode, ErrorCodes } from '../api/errors';

/** Where the CLI sends GraphQL, and with which key: flags, else LABELGATE_URL / LABELGATE_API_KEY, else the local server and its admin key. */
export interface ApiTarget {
  url: string;
  key: string;
}

export function apiTarget(url: string | undefined, key: string | undefined, env: NodeJS.ProcessEnv = process.env): ApiTarget {
  const localKey = existsSync(localAdminKeyFile) ? readFileSync(localAdminKeyFile, 'utf8').trim() : undefined;
  const apiKey = key ?? env.LABELGATE_API_KEY ?? env.ADMIN_API_KEY ?? localKey;
  if (!apiKey) throw new ApiError('MissingParameter', 'No API key: pass --key, or set LABELGATE_API_KEY.', { field: 'key' });
  return { url: (url ?? env.LABELGATE_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, ''), key: apiKey };
}

/** One GraphQL call with a deadline; an error answer becomes an ApiError with its IMM code. */
export async function callApi<T>(target: ApiTarget, query: string, variables: Record<string, unknown>, timeoutMs = 15_000): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${target.key}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ApiError('ServiceUnavailable', `Labelgate at ${target.url} did not answer (${(error as Error).message}).`);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const first = body.errors?.[0];
  if (first) {
    const code = ErrorCodes.includes(first.extensions?.code as ErrorCode) ? (first.extensions!.code as ErrorCode) : 'InternalError';
    throw new ApiError(code, first.message);
  }
  if (!body.data) throw new ApiError('ServiceUnavailable', `Labelgate at ${target.url} answered HTTP ${response.status} without data.`);
  return body.data;
}
