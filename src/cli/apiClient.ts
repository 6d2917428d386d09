import { existsSync, openAsBlob, readFileSync } from 'node:fs';
import { basename } from 'node:path';
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
  const base = (url ?? env.LABELGATE_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  if (!URL.canParse(base) || !['http:', 'https:'].includes(new URL(base).protocol))
    throw new ApiError('InvalidArgument', `--url must be the server's http:// or https:// address (got ${base}).`, { field: 'url' });
  return { url: base, key: apiKey };
}

/**
 * The body of a GraphQL call: JSON, or with a file a multipart request (the GraphQL multipart
 * request spec) whose `Upload` variable `variable` is the file, streamed from disk. A multipart
 * request carries Apollo-Require-Preflight, which the server's CSRF prevention asks of it.
 */
async function requestOf(
  query: string,
  variables: Record<string, unknown>,
  file?: { variable: string; path: string },
): Promise<{ headers: Record<string, string>; body: string | FormData }> {
  if (!file) return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) };
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, [file.variable]: null } }));
  form.append('map', JSON.stringify({ 0: [`variables.${file.variable}`] }));
  form.append('0', await openAsBlob(file.path), basename(file.path));
  return { headers: { 'apollo-require-preflight': 'true' }, body: form };
}

/** One GraphQL call with a deadline, optionally sending a file; an error answer becomes an ApiError with its IMM code. */
export async function callApi<T>(
  target: ApiTarget,
  query: string,
  variables: Record<string, unknown>,
  timeoutMs = 15_000,
  file?: { variable: string; path: string },
): Promise<T> {
  const { headers, body: requestBody } = await requestOf(query, variables, file);
  let response: Response;
  try {
    response = await fetch(`${target.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${target.key}` },
      body: requestBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ApiError('ServiceUnavailable', `Labelgate at ${target.url} did not answer (${(error as Error).message}).`);
  }
  const body = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string; [detail: string]: unknown } }[];
  };
  const first = body.errors?.[0];
  if (first) {
    const { code: answered, ...details } = first.extensions ?? {};
    const code = ErrorCodes.includes(answered as ErrorCode) ? (answered as ErrorCode) : 'InternalError';
    throw new ApiError(code, first.message, details);
  }
  if (!body.data) throw new ApiError('ServiceUnavailable', `Labelgate at ${target.url} answered HTTP ${response.status} without data.`);
  return body.data;
}
