import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, GraphQLSchema, parse, specifiedRules, validate, type ExecutionResult, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal';
import type { GraphQLContext } from '../graphql/context';
import { createErrorFormatter } from '../graphql/formatError';
import type { Logger } from '../logger';
import { clientBucketOf, principalOfPresentedKey, type AuthenticationOptions } from './authentication';

export interface SubscriptionServerOptions {
  schema: GraphQLSchema;
  /** The HTTP GraphQL endpoint's path: graphql-ws clients connect to the same URL. */
  path: string;
  /** The keys and the limits on failed keys, as for HTTP requests. */
  authentication: AuthenticationOptions;
  /** What queries are refused for (depth, cost, aliases: graphql-armor's rules), and the token limit. */
  validationRules: readonly ValidationRule[];
  maxTokens: number;
  /** Origins besides the gateway's own whose pages may connect (CORS_ORIGINS). */
  allowedOrigins: readonly string[];
  /** The context of one operation (as for an HTTP request). */
  contextFor: (requestId: string, principal: Principal, client: string, baseUrl: string) => GraphQLContext;
  publicUrl?: string;
  logger: Logger;
  /** How often an open connection's key is checked again: a revoked or expired key ends it. */
  recheckKeyMs?: number;
  /** Operations one connection may run at once. */
  maxSubscriptions?: number;
}

/** Close codes of our own (graphql-ws uses 44xx for protocol ones). */
const KEY_NO_LONGER_VALID = 4401;

interface ConnectionState {
  principal: Principal;
  recheck: NodeJS.Timeout;
  operations: number;
}

/** The key a connection presents in its connection_init payload: { authorization: "Bearer <key>" } or { apiKey }. */
function keyOf(params: Readonly<Record<string, unknown>> | undefined): string | null {
  const authorization = params?.authorization ?? params?.Authorization;
  if (typeof authorization === 'string') return /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? authorization.trim();
  return typeof params?.apiKey === 'string' ? params.apiKey.trim() : null;
}

/** Browsers send Origin with every WebSocket: only the gateway's own pages and CORS_ORIGINS may connect. */
function originAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true; // not a browser
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol) on the GraphQL endpoint's path,
 * with the keys and access rules of queries: a connection presents a key in connection_init (a
 * browser cannot set headers on a WebSocket), each subscription is checked by its rule, and the
 * key is checked again while the connection lasts. Queries' shape limits apply to every operation.
 */
export function attachSubscriptionServer(server: Server, options: SubscriptionServerOptions): { close(): Promise<void> } {
  const formatError = createErrorFormatter();
  const recheckKeyMs = options.recheckKeyMs ?? 30_000;
  const maxSubscriptions = options.maxSubscriptions ?? 20;
  const states = new WeakMap<object, ConnectionState>();
  const wss = new WebSocketServer({
    server,
    path: options.path,
    maxPayload: 64 * 1024,
    verifyClient: ({ req }: { req: IncomingMessage }) => originAllowed(req, options.allowedOrigins),
  });
  const formatted = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error) as GraphQLError) } : result;
  /** Refusals before an operation runs, in the answers' shape (an IMM code); graphql-ws wants GraphQLErrors. */
  const refused = (errors: readonly GraphQLError[]) =>
    errors.map((error) => {
      const shown = formatError({ ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, error);
      return new GraphQLError(shown.message, { extensions: shown.extensions });
    });

  const disposable = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        const key = keyOf(ctx.connectionParams);
        if (!key) return false;
        const client = clientBucketOf(ctx.extra.request.socket.remoteAddress);
        try {
          const principal = await principalOfPresentedKey(options.authentication, key, client, { client, operation: 'connection_init' });
          const recheck = setInterval(() => {
            options.authentication.keys
              .authenticate(key)
              .catch(() => ctx.extra.socket.close(KEY_NO_LONGER_VALID, 'The API key is no longer valid.'));
          }, recheckKeyMs);
          recheck.unref();
          states.set(ctx.extra.socket, { principal, recheck, operations: 0 });
          return true;
        } catch {
          return false;
        }
      },
      onClose: (ctx) => {
        const state = states.get(ctx.extra.socket);
        if (state) clearInterval(state.recheck);
      },
      onSubscribe: (ctx, _id, payload) => {
        const state = states.get(ctx.extra.socket);
        if (!state) return [new GraphQLError('An API key is required.', { extensions: { code: 'InvalidAccessKeyId' } })];
        if (state.operations >= maxSubscriptions) {
          return [
            new GraphQLError(`A connection may run at most ${maxSubscriptions} operations at once.`, {
              extensions: { code: 'LimitExceeded' },
            }),
          ];
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: options.maxTokens });
        } catch (error) {
          return refused([error as GraphQLError]);
        }
        const errors = validate(options.schema, document, [...specifiedRules, ...options.validationRules]);
        if (errors.length) return refused(errors);
        state.operations += 1;
        const request = ctx.extra.request;
        // Behind a TLS proxy, PUBLIC_URL gives the address browsers use (forwarded headers are not trusted here).
        const baseUrl = options.publicUrl ?? `http://${request.headers.host}`;
        const requestId = `ws-${crypto.randomUUID().toUpperCase()}`;
        return {
          schema: options.schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
          contextValue: options.contextFor(requestId, state.principal, clientBucketOf(request.socket.remoteAddress), baseUrl),
        };
      },
      onComplete: (ctx) => {
        const state = states.get(ctx.extra.socket);
        if (state) state.operations = Math.max(0, state.operations - 1);
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatted(result as ExecutionResult),
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
    },
  };
}
