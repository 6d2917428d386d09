import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config/env';
import { createApolloServer } from './graphql/apolloServer';
import { buildLabelgateSchema } from './graphql/schema';
import { createHttpApp } from './http/httpApp';
import { createLogger, Logger } from './logger';
import { createPrismaClient } from './persistence/prismaClient';
import { ProjectRepository } from './persistence/projectRepository';
import { ProjectService } from './projects/projectService';
import { createSearchClient } from './search/elasticsearchClient';
import { ensureImageIndex } from './search/imageIndex';
import { loadTaxonomy } from './taxonomy/taxonomy';

export interface RunningLabelgate {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Wires configuration, storage, search and GraphQL together and starts listening. */
export async function startLabelgate(config: AppConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningLabelgate> {
  const prisma = createPrismaClient(config.DATABASE_URL);
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  await ensureImageIndex(search, config.ES_INDEX_PREFIX);

  const taxonomy = loadTaxonomy();
  const projects = new ProjectService(new ProjectRepository(prisma), config.DEFAULT_PROJECT_THRESHOLD);
  const apollo = createApolloServer(await buildLabelgateSchema(), logger);
  await apollo.start();

  const app = createHttpApp({
    apollo,
    prisma,
    search,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
    contextFor: (requestId) => ({ requestId, logger: logger.child({ requestId }), projects, taxonomy }),
  });
  const server = createServer(app);
  server.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;

  return {
    url: `http://${host}:${port}`,
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await apollo.stop();
      await prisma.$disconnect();
      await search.close();
    },
  };
}
