import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { Client } from '@elastic/elasticsearch';
import type { PrismaClient } from '@prisma/client';
import express, { ErrorRequestHandler, Express } from 'express';
import type { GraphQLContext } from '../graphql/context';
import type { Logger } from '../logger';
import { graphiqlRouter } from './graphiql';
import { checkReadiness } from './readiness';
import { requestIdMiddleware } from './requestId';

export const GRAPHQL_PATH = '/graphql';

export interface HttpAppDeps {
  apollo: ApolloServer<GraphQLContext>;
  prisma: PrismaClient;
  search: Client;
  logger: Logger;
  maxBodyBytes: number;
  readinessTimeoutMs: number;
  contextFor: (requestId: string) => GraphQLContext;
}

/** Errors raised before GraphQL runs (oversized or malformed bodies) still answer in GraphQL's shape. */
const bodyErrorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const status = (error as { status?: number }).status ?? 500;
    const code = status === 413 ? 'LimitExceeded' : status < 500 ? 'InvalidArgument' : 'InternalError';
    const message =
      status === 413 ? 'The request body is larger than this server accepts.' : status < 500 ? 'The request body is not valid JSON.' : 'An internal error occurred.';
    if (status >= 500) logger.error({ err: error, requestId: req.requestId }, 'request failed');
    res.status(status).json({ errors: [{ message, extensions: { code } }], extensions: { requestId: req.requestId } });
  };

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(deps.prisma, deps.search, deps.readinessTimeoutMs);
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks });
  });

  app.use(graphiqlRouter(GRAPHQL_PATH));
  app.use(
    GRAPHQL_PATH,
    express.json({ limit: deps.maxBodyBytes }),
    expressMiddleware(deps.apollo, { context: async ({ req }) => deps.contextFor(req.requestId) }),
  );
  app.use(bodyErrorHandler(deps.logger));
  return app;
}
