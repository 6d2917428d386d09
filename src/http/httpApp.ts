import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import type { Client } from '@elastic/elasticsearch';
import type { PrismaClient } from '@prisma/client';
import express, { ErrorRequestHandler, Express, Request } from 'express';
import type { GraphQLContext } from '../graphql/context';
import { isServiceOutage, SERVICE_UNAVAILABLE_MESSAGE } from '../serviceOutage';
import type { Logger } from '../logger';
import type { Principal } from '../auth/principal';
import { authenticationMiddleware, AuthenticationOptions } from './authentication';
import { corsMiddleware } from './cors';
import { sendRequestError } from './errorResponse';
import { graphiqlRouter } from './graphiql';
import { imageRouter, ImageRouteDeps } from './imageRoutes';
import { searchPageRouter } from './searchPage';
import { uploadMiddleware } from './uploadMiddleware';
import { checkReadiness } from './readiness';
import { requestIdInErrorBodies, requestIdMiddleware } from './requestId';

export const GRAPHQL_PATH = '/graphql';

export interface HttpAppDeps {
  apollo: ApolloServer<GraphQLContext>;
  prisma: PrismaClient;
  search: Client;
  logger: Logger;
  maxBodyBytes: number;
  /** The largest file a multipart request may carry: the image sources' limit. */
  maxUploadBytes: number;
  readinessTimeoutMs: number;
  authentication: AuthenticationOptions;
  /** Express's "trust proxy": which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: string | number | boolean;
  /** Origins whose pages may call the API cross-origin (CORS_ORIGINS). */
  corsOrigins: readonly string[];
  /** The API's address as the request reached it (or PUBLIC_URL), for the URLs answers carry. */
  contextFor: (requestId: string, principal: Principal | null, client: string, baseUrl: string) => GraphQLContext;
  images: Omit<ImageRouteDeps, 'authentication' | 'logger'>;
  /** PUBLIC_URL: the gateway's address as browsers reach it; unset, each request's own. */
  publicUrl?: string;
}

/** Errors raised before GraphQL runs (oversized or malformed bodies) still answer in GraphQL's shape. */
const bodyErrorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    if (isServiceOutage(error)) {
      logger.warn({ err: error, requestId: req.requestId }, 'backing service unavailable');
      return sendRequestError(res, req.requestId, 'ServiceUnavailable', SERVICE_UNAVAILABLE_MESSAGE);
    }
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) logger.error({ err: error, requestId: req.requestId }, 'request failed');
    if (status === 413) sendRequestError(res, req.requestId, 'LimitExceeded', 'The request body is larger than this server accepts.');
    else if (status < 500) sendRequestError(res, req.requestId, 'InvalidArgument', 'The request body is not valid JSON.');
    else sendRequestError(res, req.requestId, 'InternalError', 'An internal error occurred.');
  };

export function createHttpApp(deps: HttpAppDeps): Express {
  const baseUrlOf = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const app = express();
  app.disable('x-powered-by');
  // GraphQL answers POSTs, which no cache revalidates: an ETag would only hash every response body.
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  app.use(requestIdMiddleware);
  app.use(corsMiddleware(deps.corsOrigins));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(deps.prisma, deps.search, deps.readinessTimeoutMs);
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks });
  });

  app.use(graphiqlRouter(GRAPHQL_PATH));
  app.use(searchPageRouter());
  app.use(imageRouter({ ...deps.images, authentication: deps.authentication, logger: deps.logger }));
  app.use(
    GRAPHQL_PATH,
    requestIdInErrorBodies,
    authenticationMiddleware(deps.authentication),
    uploadMiddleware({ maxFileBytes: deps.maxUploadBytes, maxFieldBytes: deps.maxBodyBytes }),
    express.json({ limit: deps.maxBodyBytes }),
    expressMiddleware(deps.apollo, {
      context: async ({ req }) => deps.contextFor(req.requestId, req.principal, req.ip ?? '', baseUrlOf(req)),
    }),
  );
  app.use(bodyErrorHandler(deps.logger));
  return app;
}
