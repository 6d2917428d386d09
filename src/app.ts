import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig, ConfigError, fileRootsOf } from './config/env';
import { AccessControl } from './auth/accessControl';
import { ApiKeyService } from './auth/apiKeyService';
import { SharedRateLimiter } from './auth/sharedRateLimiter';
import { ApiKeyRepository } from './persistence/apiKeyRepository';
import { createApolloServer, queryShapeLimits } from './graphql/apolloServer';
import { buildLabelgateSchema } from './graphql/schema';
import { createHttpApp } from './http/httpApp';
import { applyConnectionSettings } from './http/connectionSettings';
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
import { ImageSearchService } from './search/imageSearchService';
import { ImageRepository } from './persistence/imageRepository';
import { loadDetectionEngine } from './detection/detectionSetup';
import type { LabelDetector } from './detection/labelDetector';
import { detectionTaxonomyOf } from './detection/detectionTaxonomy';
import { loadTaxonomy } from './taxonomy/taxonomy';
import { LabelSuggester } from './taxonomy/labelSuggester';
import { LabelTextMatcher } from './taxonomy/labelTextMatcher';
import { reindexImages } from './search/reindex';
import { labelCounts } from './search/labelStats';
import type { ApplicationServices } from './application/applicationServices';
import { DetectionUseCases } from './application/detectionUseCases';
import { ImageUseCases } from './application/imageUseCases';
import { KeyUseCases } from './application/keyUseCases';
import { LabelUseCases } from './application/labelUseCases';
import { ProjectUseCases } from './application/projectUseCases';
import { SearchUseCases } from './application/searchUseCases';
import { TaskUseCases } from './application/taskUseCases';
import { TaskQueue } from './tasks/taskQueue';
import { PgTaskRepository } from './tasks/taskRepository';
import { TaskService } from './tasks/taskService';
import { TaskWorker } from './tasks/taskWorker';
import { ReindexWorker } from './tasks/reindexWorker';
import { ImageDeliveryService } from './delivery/imageDeliveryService';
import { ImageUrlSigner, imageUrlSecret } from './delivery/imageUrlSigner';
import { checkThumbnailDir, ThumbnailCache } from './delivery/thumbnailCache';
import { schemaProblem } from './persistence/schemaCheck';
import { localDir } from './config/projectRoot';
import { join } from 'node:path';
import { LiveEventBus } from './live/liveEventBus';
import { LiveSubscriptionService } from './live/liveSubscriptionService';
import { PgLiveTransport } from './live/pgLiveTransport';
import { attachSubscriptionServer } from './http/subscriptionServer';
import type { Principal } from './auth/principal';
import type { GraphQLContext } from './graphql/context';
import { GRAPHQL_PATH } from './http/httpApp';
import { ApiError } from './api/errors';
import { logStartFacts } from './startLog';

export interface RunningLabelgate {
  /** Where GraphQL is served; empty for a worker (ROLE=worker), which serves nothing. */
  url: string;
  server: Server | null;
  relay: OutboxRelay;
  /** The models this process labels with; null without a model pack. */
  detector: LabelDetector | null;
  close(): Promise<void>;
}

/**
 * Wires configuration, storage, search and GraphQL together. By ROLE: api listens for GraphQL (and
 * queues tasks), worker runs tasks and the outbox relay, all does both.
 */
export async function startLabelgate(config: AppConfig, logger: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningLabelgate> {
  const servesApi = config.ROLE !== 'worker';
  const runsWork = config.ROLE !== 'api';
  const adminKey = config.ADMIN_API_KEY;
  if (servesApi && !adminKey)
    throw new ConfigError(
      'Invalid configuration: ADMIN_API_KEY (or ADMIN_API_KEY_FILE) is required: every request needs an API key, and the admin key issues them.',
    );
  // Before anything connects: a storage setting's mistake is a configuration error, named at once.
  const storage = loadStorageConfig({
    STORAGE_CONFIG: config.STORAGE_CONFIG,
    STORAGE_CONFIG_FILE: config.STORAGE_CONFIG_FILE,
    LOCAL_S3_URL: config.LOCAL_S3_URL,
  });
  const pool = createPgPool(config.DATABASE_URL, {
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  });
  // An idle connection that drops (Postgres restarted) must not take the process down with it.
  pool.on('error', (error) => logger.warn({ err: error }, 'an idle Postgres connection failed; the pool replaces it'));
  // A database that is missing, refuses the login or lacks migrations is a mistake to name now,
  // not a "healthy" gateway whose every request fails.
  const databaseProblem = await schemaProblem(pool, config.DATABASE_URL);
  if (databaseProblem) {
    await pool.end();
    throw new Error(databaseProblem);
  }
  const thumbnailDir = config.THUMBNAIL_CACHE_DIR ?? join(localDir, 'thumbnails');
  if (servesApi) checkThumbnailDir(thumbnailDir);
  const prisma = createPrismaClient(pool);
  const search = createSearchClient(config.ELASTICSEARCH_URL, config.ES_REQUEST_TIMEOUT_MS, 1);
  // Elasticsearch being down must not keep the gateway from starting: the relay creates the index
  // when it can, and detections wait in the outbox meanwhile.
  await ensureImageIndex(search, config.ES_INDEX_PREFIX).catch((error: unknown) => {
    logger.warn({ err: error }, 'Elasticsearch unavailable at start; search indexing will catch up');
  });

  const taxonomy = loadTaxonomy();
  const labelNames = detectionTaxonomyOf(taxonomy);
  const fileRoots = fileRootsOf(config.FILE_ROOTS);
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
  // Events written by other processes wake the relay too (the outbox trigger's NOTIFY).
  const outboxListener = new OutboxListener(config.DATABASE_URL, () => relay.kick(), logger);
  if (runsWork) {
    relay.start();
    await outboxListener.start();
  }
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
  const imageRepository = new ImageRepository(prisma, pool);
  // Live events reach the subscribers of every gateway process through Postgres NOTIFY.
  const liveTransport = new PgLiveTransport(pool, config.DATABASE_URL, logger);
  const liveBus = new LiveEventBus(liveTransport);
  await liveTransport.start((message) => liveBus.receive(message));
  const live = new LiveSubscriptionService(liveBus);
  // An api process leaves indexing to the workers' relays, which the outbox trigger wakes.
  const images = new ImageService(
    projectDirectory,
    imageRepository,
    sources,
    engine?.detector ?? null,
    runsWork ? relay : { kick: () => undefined },
    live,
  );

  const queue = new TaskQueue(
    config.DATABASE_URL,
    {
      heartbeatSeconds: config.TASK_HEARTBEAT_SECONDS,
      superviseSeconds: config.TASK_SUPERVISE_SECONDS,
      retryLimit: config.TASK_RETRY_LIMIT,
      retryDelaySeconds: config.TASK_RETRY_DELAY_SECONDS,
      expireSeconds: 3600,
    },
    logger,
  );
  // Waits for the first try only: without Postgres the process still starts (ServiceUnavailable).
  await queue.start();
  const taskRepository = new PgTaskRepository(pool);
  const tasks = new TaskService(
    projectDirectory,
    taskRepository,
    queue,
    sources,
    engine?.detector ?? null,
    {
      maxActivePerProject: config.TASK_MAX_ACTIVE_PER_PROJECT,
      defaultItemLimit: config.TASK_MAX_ITEMS,
      maxItemLimit: config.TASK_MAX_ITEMS,
      maxSources: 100,
      indexPrefix: config.ES_INDEX_PREFIX,
    },
    live,
  );
  const reindexStores = { prisma, search, databaseUrl: config.DATABASE_URL };
  // Reindexing needs no models: every worker takes those jobs.
  const reindexWorker = new ReindexWorker(taskRepository, reindexStores, taxonomy, logger, () => relay.kick(), config.REINDEX_PAGE_SIZE);
  if (runsWork && engine) {
    const worker = new TaskWorker(
      taskRepository,
      queue,
      projectDirectory,
      sources,
      engine.detector,
      labelNames.version,
      logger,
      {
        chunkSize: config.TASK_CHUNK_SIZE,
        storeBatch: config.TASK_STORE_BATCH,
        concurrency: config.TASK_CONCURRENCY,
        listPage: config.TASK_LIST_PAGE,
        itemTimeoutMs: 120_000,
      },
      live,
    );
    queue.work(
      {
        list: (job, attempt) => worker.list(job, attempt),
        chunk: (job, attempt) => worker.chunk(job, attempt),
        reindex: (job, attempt) => reindexWorker.reindex(job, attempt),
        deadList: (job, dead) => worker.deadList(job, dead),
        deadChunk: (job, dead) => worker.deadChunk(job, dead),
        deadReindex: (job, dead) => reindexWorker.deadReindex(job, dead),
      },
      config.TASK_JOBS_PER_WORKER,
    );
  } else if (runsWork) {
    logger.error('no detection model loaded: this process runs no labeling tasks (other workers may)');
    queue.work(
      {
        reindex: (job, attempt) => reindexWorker.reindex(job, attempt),
        deadReindex: (job, dead) => reindexWorker.deadReindex(job, dead),
      },
      config.TASK_JOBS_PER_WORKER,
    );
  }
  const suggester = new LabelSuggester(taxonomy);
  const reindex = () => reindexImages(reindexStores, config.ES_INDEX_PREFIX, taxonomy).finally(() => relay.kick());
  const imageSearch = new ImageSearchService(search, searchAlias, projectDirectory, labelNames, new LabelTextMatcher(taxonomy), {
    facetSampleSize: config.SEARCH_FACET_SAMPLE_SIZE,
    embedder: engine?.detector.embedder ?? null,
    mapping: new MappingCheck(search, config.ES_INDEX_PREFIX),
  });

  /** GraphQL over HTTP and WebSocket, with keys, rate limits and access rules, and the image route. */
  async function serveApi() {
    const delivery = new ImageDeliveryService(
      imageRepository,
      projectDirectory,
      sources,
      new ImageUrlSigner(imageUrlSecret(config.IMAGE_URL_SECRET, adminKey!)),
      new ThumbnailCache(thumbnailDir, config.THUMBNAIL_CACHE_MB * 1024 * 1024),
    );
    const apiKeys = new ApiKeyService(new ApiKeyRepository(prisma), adminKey!, logger);
    const limiter = new SharedRateLimiter(pool, config.RATE_LIMIT_BURST_SECONDS);
    const accessDeps = {
      limiter,
      keyQps: config.RATE_LIMIT_KEY_QPS,
      projectQps: async (name: string) => (await projectDirectory.find(name))?.queriesPerSecond ?? config.RATE_LIMIT_PROJECT_QPS,
      projectOfImage: (id: string) => imageRepository.projectNameOf(id),
    };

    const schema = await buildLabelgateSchema();
    const apollo = createApolloServer(schema, config);
    await apollo.start();

    // The composition root of the API: one application service per use-case area, shared by every request.
    const services: ApplicationServices = {
      projects: new ProjectUseCases(projects),
      detection: new DetectionUseCases(images, config.MAX_BATCH_ITEMS),
      images: new ImageUseCases(images, delivery, labelNames),
      search: new SearchUseCases(
        imageSearch,
        projects,
        taxonomy,
        (projectId) => labelCounts(search, searchAlias, projectId, taxonomy.size),
        reindex,
      ),
      labels: new LabelUseCases(taxonomy, suggester),
      keys: new KeyUseCases(apiKeys),
      tasks: new TaskUseCases(tasks),
      live,
    };
    const contextFor = (requestId: string, principal: Principal | null, client: string, baseUrl: string): GraphQLContext => ({
      requestId,
      baseUrl,
      logger: logger.child({ requestId }),
      access: new AccessControl(principal, accessDeps, client),
      loaders: { imageCounts: projects.imageCounter() },
      services,
    });

    const authentication = {
      keys: apiKeys,
      limiter,
      keyQps: config.RATE_LIMIT_KEY_QPS,
      anonymousQps: config.RATE_LIMIT_ANONYMOUS_QPS,
      logger,
    };
    const app = createHttpApp({
      apollo,
      prisma,
      search,
      logger,
      maxBodyBytes: config.MAX_BODY_BYTES,
      maxUploadBytes: sources.maxBytes,
      readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
      authentication,
      trustProxy: config.TRUST_PROXY,
      corsOrigins: config.CORS_ORIGINS,
      images: {
        delivery,
        signedUrlQps: config.RATE_LIMIT_IMAGE_QPS,
        accessFor: (principal, client) => new AccessControl(principal, accessDeps, client),
      },
      publicUrl: config.PUBLIC_URL,
      contextFor,
    });
    const server = createServer(app);
    applyConnectionSettings(server);
    // Listening first: a port in use is then one clear error, not also the WebSocket server's
    // "internal error" that graphql-ws logs for any error the HTTP server emits.
    server.listen(config.PORT, config.HOST);
    await once(server, 'listening').catch((error: NodeJS.ErrnoException) => {
      // getaddrinfo's "ENOTFOUND not-a-host" named neither the setting nor what to do.
      if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.code === 'EADDRNOTAVAIL')
        throw new ConfigError(
          `Invalid configuration: HOST: ${config.HOST} is not an address of this machine (${error.code}); set HOST to one, such as 0.0.0.0 or 127.0.0.1.`,
        );
      if (error.code !== 'EADDRINUSE') throw error;
      throw new Error(`port ${config.PORT} on ${config.HOST} is already in use: stop what listens there, or set PORT to another port.`);
    });
    const subscriptions = attachSubscriptionServer(server, {
      schema,
      path: GRAPHQL_PATH,
      authentication,
      validationRules: queryShapeLimits(config).validationRules,
      maxTokens: config.GRAPHQL_MAX_TOKENS,
      allowedOrigins: config.CORS_ORIGINS,
      contextFor,
      publicUrl: config.PUBLIC_URL,
      logger,
      recheckKeyMs: config.SUBSCRIPTION_KEY_RECHECK_SECONDS * 1000,
    });
    const { port } = server.address() as AddressInfo;
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    return {
      url: `http://${host}:${port}`,
      server,
      async close() {
        await subscriptions.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await apollo.stop();
        limiter.close();
      },
    };
  }
  const http = servesApi ? await serveApi() : null;

  return {
    url: http?.url ?? '',
    server: http?.server ?? null,
    relay,
    detector: engine?.detector ?? null,
    async close() {
      await http?.close();
      await queue.stop();
      await liveTransport.stop();
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
