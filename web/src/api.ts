/** The public GraphQL API, called with the key the person pasted. */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  extensions?: { requestId?: string };
}

export const GRAPHQL_PATH = '/graphql';

export async function graphql<T>(key: string, query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json().catch(() => ({}))) as GraphQLBody<T>;
  const requestId = body.extensions?.requestId ?? response.headers.get('x-request-id');
  const error = body.errors?.[0];
  if (error || !body.data)
    throw new ApiError(error?.extensions?.code ?? `HTTP ${response.status}`, error?.message ?? 'The API gave no answer.', requestId);
  return body.data;
}
