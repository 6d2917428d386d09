import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig, ConfigError } from './config/env';
import { AccessControl } from './auth/accessControl';
import { ApiKeyService } from './auth/apiKeyService';
import { SharedRateLimiter } from './auth/sharedRateLimiter';
import { ApiKeyRepository } from './persistence/apiKeyRepository';
import { createApolloServer } from './graphql/apolloServer';
import { buildLabelgateSchema } from './graphql/schema';
import { createHttpApp } from './http/httpApp';
import { createLogger, Logger } from './logger';
import { createPgPool, createPrismaClient } from './persistence/prismaClient';
import { ProjectRepository } from './persistence/projectRepository';
import { ProjectDirectory } from './projects/projectDirectory';
import { ProjectService } from './projects/projectService';
import { createSearchClient } from './search/elasticsearchClient';
import { ensureImageIndex, imageAlias, MappingCheck } from './search/imageIndex';
import { OutboxListener } from './search/outboxListener';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from './search/outboxRelay';
import { loadStorageConfig } from './storage/storageConfig';
import { ImageSources } from './storage/imageSources';
import { ImageService } from './images/imageService';
import { ImageSearchService } from './images/imageSearchService';
import { ImageRepository } from './persistence/imageRepository';
import { loadDetectionEngine } from './detection/detectionSetup';
import { detectionTaxonomyOf } from './detection/detectionTaxonomy';
import { loadTaxonomy } from './taxonomy/taxonomy';
import { LabelSuggester } from './taxonomy/labelSuggester';
import { LabelTextMatcher } from './taxonomy/labelTextMatcher';
import { reindexImages } from './search/reindex';
import { ApiError } from './errors';
import { logStartFacts } from './startLog';

export interface RunningLabelgate {
  url: string;
  server: Server;
  relay: OutboxRelay;
  close(): Promise<void>;
}

/** Wires configuration, storage, search and GraphQL together and starts listening. */
export async function startLabelgate(config: AppConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningLabelgate> {
  const adminKey = config.ADMIN_API_KEY;
  if (!adminKey) throw new ConfigError('Invalid configuration: ADMIN_API_KEY (or ADMIN_API_KEY_FILE) is required: every request needs an API key, and the admin key issues them.');
  const pool = createPgPool(config.DATABASE_URL, { connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  // An idle connection that drops (Postgres restarted) must not take the process down with it.
  pool.on('error', (error) => logger.warn({ err: error }, 'an idle Postgres connection failed; the pool replaces it'));
  const prisma = createPrismaClient(pool);
  const search = createSearchClient(config.ELASTICSEARCH_URL, config.ES_REQUEST_TIMEOUT_MS, 1);
  // Elasticsearch being down must not keep the gateway from starting: the relay creates the index
  // when it can, and detections wait in the outbox meanwhile.
  await ensureImageIndex(search, config.ES_INDEX_PREFIX).catch((error: unknown) => {
    logger.warn({ err: error }, 'Elasticsearch unavailable at start; search indexing will catch up');
  });

  const taxonomy = loadTaxonomy();
  const labelNames = detectionTaxonomyOf(taxonomy);
  // Without trailing slashes: a project's file roots are compared with them as written.
  const fileRoots = config.FILE_ROOTS.split(',').map((root) => root.trim().replace(/(.)\/+$/, '$1')).filter(Boolean);
  const projectRepository = new ProjectRepository(prisma, pool);
  const projectDirectory = new ProjectDirectory(projectRepository);
  const projects = new ProjectService(projectRepository, config.DEFAULT_PROJECT_THRESHOLD, projectDirectory, fileRoots);

  // Without a model pack the gateway still serves projects, stored images and search;
  // detection answers ServiceUnavailable, as IMM does when a model is not loaded.
  const engine = await loadDetectionEngine(config, taxonomy).catch((error: unknown) => {
    if (error instanceof ApiError) logger.warn(error.message);
    else logger.error({ err: error }, 'no detection model loaded: detectImageLabels will answer ServiceUnavailable');
    return null;
  });
  const searchAlias = imageAlias(config.ES_INDEX_PREFIX);
  const relay = new OutboxRelay(prisma, search, searchAlias, taxonomy, logger, DEFAULT_RELAY_OPTIONS, () =>
    ensureImageIndex(search, config.ES_INDEX_PREFIX),
  );
  relay.start();
  // Events written by other gateway processes wake this relay too.
  const outboxListener = new OutboxListener(config.DATABASE_URL, () => relay.kick(), logger);
  await outboxListener.start();
  const storage = loadStorageConfig({ STORAGE_CONFIG: config.STORAGE_CONFIG, STORAGE_CONFIG_FILE: config.STORAGE_CONFIG_FILE });
  logStartFacts(logger, {
    databaseUrl: config.DATABASE_URL,
    elasticsearchUrl: config.ELASTICSEARCH_URL,
    packs: engine?.packs ?? null,
    fileRoots,
    storageProfiles: Object.keys(storage.profiles),
    https: config.HTTPS_SOURCES_ENABLED,
  });
  const sources = new ImageSources({
    storage,
    fileRoots,
    https: { enabled: config.HTTPS_SOURCES_ENABLED, timeoutMs: config.HTTPS_TIMEOUT_MS },
    storageTimeoutMs: config.STORAGE_TIMEOUT_MS,
  });
  const imageRepository = new ImageRepository(prisma);
  const images = new ImageService(projectDirectory, imageRepository, sources, engine?.detector ?? null, relay);
  const suggester = new LabelSuggester(taxonomy);
  const reindex = () => reindexImages({ prisma, search, databaseUrl: config.DATABASE_URL }, config.ES_INDEX_PREFIX, taxonomy).finally(() => relay.kick());
  const imageSearch = new ImageSearchService(search, searchAlias, projectDirectory, labelNames, new LabelTextMatcher(taxonomy), {
    facetSampleSize: config.SEARCH_FACET_SAMPLE_SIZE,
    embedder: engine?.detector.embedder ?? null,
    mapping: new MappingCheck(search, config.ES_INDEX_PREFIX),
  });

  const apiKeys = new ApiKeyService(new ApiKeyRepository(prisma), adminKey, logger);
  const limiter = new SharedRateLimiter(pool, config.RATE_LIMIT_BURST_SECONDS);
  const accessDeps = {
    limiter,
    keyQps: config.RATE_LIMIT_KEY_QPS,
    projectQps: async (name: string) => (await projectDirectory.find(name))?.queriesPerSecond ?? config.RATE_LIMIT_PROJECT_QPS,
    projectOfImage: (id: string) => imageRepository.projectNameOf(id),
  };

  const apollo = createApolloServer(await buildLabelgateSchema(), config);
  await apollo.start();

  const app = createHttpApp({
    apollo,
    prisma,
    search,
    logger,
    maxBodyBytes: config.MAX_BODY_BYTES,
    readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
    authentication: { keys: apiKeys, limiter, keyQps: config.RATE_LIMIT_KEY_QPS, anonymousQps: config.RATE_LIMIT_ANONYMOUS_QPS, logger },
    trustProxy: config.TRUST_PROXY,
    contextFor: (requestId, principal, client) => ({
      requestId,
      logger: logger.child({ requestId }),
      access: new AccessControl(principal, accessDeps, client),
      apiKeys,
      projects,
      imageCounts: projects.imageCounter(),
      taxonomy,
      labelNames,
      images,
      imageSearch,
      suggester,
      search,
      searchAlias,
      reindex,
      maxBatchItems: config.MAX_BATCH_ITEMS,
    }),
  });
  const server = createServer(app);
  server.listen(config.PORT, config.HOST);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;

  return {
    url: `http://${host}:${port}`,
    server,
    relay,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await apollo.stop();
      limiter.close();
      await outboxListener.stop();
      await relay.stop();
      await engine?.close();
      sources.close();
      await prisma.$disconnect();
      await pool.end();
      await search.close();
    },
  };
}
