import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { parseCorsOrigins } from '../http/cors';

// Where a local install's servers answer when DATABASE_URL and ELASTICSEARCH_URL are not set
// (`npm start` sets both to the servers `npm run services` found or started).
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/labelgate';
export const DEFAULT_ELASTICSEARCH_URL = 'http://127.0.0.1:9200';

const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
      message: `must use ${protocols.join(' or ')}`,
    });

// Decimal digits only: Number() (z.coerce.number) also read "0x10b5" as 4277 and "1e3" as 1000.
const wholeNumber = () => z.string().regex(/^\d+$/, 'must be a whole number in decimal digits').transform(Number);
const decimalNumber = () =>
  z
    .string()
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, 'must be a number in decimal digits')
    .transform(Number);
/** A whole number within [min, max], `fallback` when unset. */
const integer = (min: number, max: number, fallback: number) => wholeNumber().pipe(z.number().int().min(min).max(max)).default(fallback);
/** A number within [min, max], `fallback` when unset. */
const decimal = (min: number, max: number, fallback: number) => decimalNumber().pipe(z.number().min(min).max(max)).default(fallback);

/** The folders of FILE_ROOTS, without trailing slashes (a project's file roots are compared with them as written). */
export const fileRootsOf = (value: string): string[] =>
  value
    .split(',')
    .map((root) => root.trim().replace(/(.)\/+$/, '$1'))
    .filter(Boolean);

// What Express's "trust proxy" (proxy-addr) accepts besides true/false/a hop count: names of ranges,
// addresses, and address/prefix or address/netmask. Checked here, so that a typo is named with the
// other settings instead of failing as "invalid IP address" once everything else has started.
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry) || isIP(entry)) return true;
  const [address, mask, ...rest] = entry.split('/');
  if (rest.length > 0 || !isIP(address) || mask === undefined) return false;
  if (/^\d+$/.test(mask)) return Number(mask) <= (isIP(address) === 4 ? 32 : 128);
  return isIP(mask) !== 0;
}

const configSchema = z.object({
  PORT: integer(0, 65535, 4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgresql:', 'postgres:']),
  ELASTICSEARCH_URL: url(['http:', 'https:']),
  /** Every index and alias the service creates starts with this, so tests and tenants can share a cluster. */
  ES_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,40}$/, 'must be lowercase letters, digits, "-" or "_", at most 41 characters')
    .default('labelgate'),
  /**
   * Bounds on waiting for the database and the search cluster (ms), so a stopped or frozen service
   * answers ServiceUnavailable instead of holding requests: connecting to Postgres, one SQL statement
   * (statement_timeout, and a client-side bound a frozen server cannot ignore), one Elasticsearch request.
   */
  DB_CONNECT_TIMEOUT_MS: integer(100, 120_000, 5_000),
  DB_STATEMENT_TIMEOUT_MS: integer(100, 3_600_000, 15_000),
  ES_REQUEST_TIMEOUT_MS: integer(100, 600_000, 10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Threshold a project gets when createProject does not name one. */
  DEFAULT_PROJECT_THRESHOLD: decimal(0, 1, 0.5),
  /** JSON request bodies larger than this are refused before parsing. */
  MAX_BODY_BYTES: integer(1024, Number.MAX_SAFE_INTEGER, 1_048_576),
  /** Model pack folder(s), comma-separated; unset: the pulled CLIP pack, else ../shared/models. */
  MODEL_DIR: z.string().optional(),
  /** ONNX Runtime intra-op threads; default: the machine's cores (at most 4). */
  INFERENCE_THREADS: wholeNumber().pipe(z.number().int().min(1).max(64)).optional(),
  /** Micro-batching: most images per model run, and longest wait for a batch to fill (ms). */
  DETECT_MAX_BATCH: integer(1, 64, 8),
  DETECT_MAX_WAIT_MS: decimal(0, 1000, 0),
  /**
   * MiB of ArrayBuffers (mostly image buffers no longer used) past which the detector asks V8 for a
   * full collection, so that they do not pile up between V8's own (docs/benchmarks.md); 0 leaves it to V8.
   */
  DETECT_BUFFER_BUDGET_MB: integer(0, 65_536, 256),
  /** Storage profiles for oss:// and s3:// (JSON inline, or a JSON file); see .env.example. */
  STORAGE_CONFIG: z.string().optional(),
  STORAGE_CONFIG_FILE: z.string().optional(),
  /** A local S3-compatible server (http://key:secret@host:port), served as the "local" profile; `npm start` sets it to the S3Proxy `npm run services` started. */
  LOCAL_S3_URL: z.string().url().optional(),
  /** Folders file:// sources may read from, comma-separated; empty disables file://. */
  FILE_ROOTS: z
    .string()
    .default('')
    .superRefine((value, context) => {
      // Checked at start: a root that is relative, missing or a file used to start silently and
      // then refuse every file:// source under it.
      for (const root of fileRootsOf(value)) {
        const stat = isAbsolute(root) ? statSync(root, { throwIfNoEntry: false }) : undefined;
        const problem = !isAbsolute(root)
          ? 'is not an absolute path'
          : !stat
            ? 'does not exist'
            : stat.isDirectory()
              ? null
              : 'is not a folder';
        if (problem) context.addIssue({ code: 'custom', message: `${root} ${problem}` });
      }
    }),
  /** https:// sources (never to loopback, private or link-local addresses). */
  HTTPS_SOURCES_ENABLED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Total deadlines (ms) of one https:// read (redirects included) and of one oss:// / s3:// read. */
  HTTPS_TIMEOUT_MS: integer(100, 120_000, 10_000),
  STORAGE_TIMEOUT_MS: integer(100, 120_000, 15_000),
  /** Most images one detectImageLabelsBatch call may name. */
  MAX_BATCH_ITEMS: integer(1, 1000, 50),
  /**
   * The admin key (at least 32 characters): it may do everything, including creating API keys.
   * ADMIN_API_KEY_FILE names a file holding it instead; `npm start` generates one when neither is set.
   */
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  ADMIN_API_KEY_FILE: z.string().optional(),
  /** Requests per second per API key (a key may set its own), per project (a project may set its own), and per client address without a key. */
  RATE_LIMIT_KEY_QPS: decimal(0.01, 1e6, 50),
  RATE_LIMIT_PROJECT_QPS: decimal(0.01, 1e6, 100),
  RATE_LIMIT_ANONYMOUS_QPS: decimal(0.01, 1e6, 5),
  /** Image requests per second per client address on signed URLs (no key to count them against); a grid loads many at once. */
  RATE_LIMIT_IMAGE_QPS: decimal(0.01, 1e6, 50),
  /**
   * Which reverse proxies to believe for the client address (Express's "trust proxy"): false (the
   * default: the socket's address), true, a hop count, or addresses/subnets ("loopback, 10.0.0.0/8").
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => v === 'true' || v === 'false' || /^\d+$/.test(v) || v.split(',').every((entry) => isProxyAddress(entry.trim())), {
      message: 'must be true, false, a hop count, or addresses/subnets such as "loopback, 10.0.0.0/8"',
    })
    .transform((v): string | number | boolean => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  /** Bursts: a bucket holds this many seconds' worth of requests. */
  RATE_LIMIT_BURST_SECONDS: decimal(1, 3600, 2),
  /** Query shape limits (graphql-armor): depth, cost, aliases and tokens per document. */
  GRAPHQL_MAX_DEPTH: integer(2, 100, 10),
  // graphql-armor multiplies a list's cost by its `first`: a search page of 100 images with every
  // field of them, their labels and the facets costs about 17,400 (test/unit/queryCost.test.ts).
  GRAPHQL_MAX_COST: integer(10, 1e6, 20000),
  GRAPHQL_MAX_ALIASES: integer(0, 1000, 15),
  GRAPHQL_MAX_TOKENS: integer(100, 1e6, 3000),
  /**
   * Searches matching more than about twice this many images count their facets on a random sample
   * of this many (marked exact: false; exactFacets asks for every match); 0 always counts every match.
   */
  SEARCH_FACET_SAMPLE_SIZE: integer(0, 10_000_000, 20_000),
  /**
   * What this process does: api serves GraphQL (and queues tasks), worker runs tasks and the outbox
   * relay, all does both. Any number of each share one Postgres (docs/scaling.md).
   */
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  /** Tasks a project may have queued or running at once. */
  TASK_MAX_ACTIVE_PER_PROJECT: integer(1, 1000, 4),
  /** Most images one task lists (its default itemLimit and the largest one accepted). */
  TASK_MAX_ITEMS: integer(1, 10_000_000, 100_000),
  /** Images per queue job (what workers share), results stored per transaction, images labelled at once per job, jobs at once per worker. */
  TASK_CHUNK_SIZE: integer(1, 10_000, 64),
  TASK_STORE_BATCH: integer(1, 1000, 16),
  TASK_CONCURRENCY: integer(1, 256, 8),
  TASK_JOBS_PER_WORKER: integer(1, 64, 2),
  /** Listed images written (and their jobs queued) per transaction; also the most keys one listing request asks for. */
  TASK_LIST_PAGE: integer(1, 1000, 1000),
  /**
   * A worker that stops heart-beating (killed, frozen) loses its job to another after this many
   * seconds (at least 10); every process checks that every TASK_SUPERVISE_SECONDS. Jobs failing for
   * transient reasons (storage 5xx, time-outs) are retried TASK_RETRY_LIMIT times with exponential
   * backoff from TASK_RETRY_DELAY_SECONDS.
   */
  TASK_HEARTBEAT_SECONDS: integer(10, 3600, 30),
  TASK_SUPERVISE_SECONDS: integer(1, 3600, 10),
  TASK_RETRY_LIMIT: integer(0, 100, 5),
  TASK_RETRY_DELAY_SECONDS: integer(1, 3600, 2),
  /** Images a ReindexImages task copies per bulk request, recording after each where to resume. */
  REINDEX_PAGE_SIZE: integer(1, 10_000, 500),
  /**
   * Browser origins (scheme://host[:port], comma-separated) whose pages may call the API from another
   * origin (CORS); none by default.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .refine((value) => parseCorsOrigins(value).every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
      message: 'must list origins such as https://app.example or http://localhost:5173 (scheme, host and port only), comma-separated',
    })
    .transform(parseCorsOrigins),
  /**
   * The secret that signs short-lived image URLs (at least 32 characters; every gateway process of a
   * deployment must share it). Unset: derived from the admin key, so rotating that key ends them too.
   */
  IMAGE_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The gateway's address as browsers reach it (https://labels.example); unset: the request's own host. */
  PUBLIC_URL: url(['http:', 'https:'])
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  /** How often an open subscription connection's key is checked again (a revoked or expired key ends it). */
  SUBSCRIPTION_KEY_RECHECK_SECONDS: decimal(0.1, 3600, 30),
  /** Where thumbnails are kept on disk, and how many megabytes they may take (least recently used go first). */
  THUMBNAIL_CACHE_DIR: z.string().optional(),
  THUMBNAIL_CACHE_MB: decimal(1, 1_000_000, 512),
  /** How long /readyz waits for each dependency. */
  READINESS_TIMEOUT_MS: integer(50, 60_000, 2000),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses and validates the environment; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const withDefaults = {
    ...env,
    DATABASE_URL: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    ELASTICSEARCH_URL: env.ELASTICSEARCH_URL || DEFAULT_ELASTICSEARCH_URL,
  };
  // Values are trimmed, and empty (or whitespace-only) ones count as unset, as in most .env tooling:
  // PORT=' ' used to become port 0 (a random port).
  const input = Object.fromEntries(
    Object.entries(withDefaults)
      .map(([name, value]) => [name, typeof value === 'string' ? value.trim() : value] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  ) as Record<string, string>;
  if (input.ADMIN_API_KEY === undefined && input.ADMIN_API_KEY_FILE) {
    try {
      input.ADMIN_API_KEY = readFileSync(input.ADMIN_API_KEY_FILE, 'utf8').trim();
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration: ADMIN_API_KEY_FILE: cannot read ${input.ADMIN_API_KEY_FILE} (${(error as NodeJS.ErrnoException).code ?? error}).`,
      );
    }
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
