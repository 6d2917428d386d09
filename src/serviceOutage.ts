// Failures that mean a backing service (PostgreSQL, Elasticsearch) is down, frozen or overloaded,
// as the pg driver, Prisma's pg adapter and the Elasticsearch client report them. Callers get
// ServiceUnavailable ("try again"), not InternalError ("we have a bug").

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
// PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, query cancelled (statement_timeout),
// connection exceptions (class 08), too many connections. Also a database, role or table gone after
// start (3D000, 28000, 28P01, 42P01): the start checks all three (src/persistence/schemaCheck.ts), so
// later they mean someone dropped or changed them, an outage to fix, not a bug in this code.
const POSTGRES_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '57014',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '3D000',
  '28000',
  '28P01',
  '42P01',
]);
// Prisma: cannot reach the server, timed out, server closed the connection, pool timeout, transaction
// API; and authentication failed, database or table does not exist (see above).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P1000', 'P1003', 'P2021']);
// Prisma driver-adapter error kinds.
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);
// @elastic/transport error names.
const CLIENT_ERROR_NAMES = new Set(['ConnectionError', 'TimeoutError', 'NoLivingConnectionsError']);
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
  /Can't reach database server/i,
  /Timed out fetching a new connection/i,
  /Transaction already closed/i,
];

export const SERVICE_UNAVAILABLE_MESSAGE =
  'A service this server depends on (database or search) is unavailable or too slow right now; try again shortly.';

type Inspectable = {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  kind?: unknown;
  cause?: unknown;
  originalError?: unknown;
  meta?: { statusCode?: unknown; driverAdapterError?: unknown };
};

/** Whether an error (or one it wraps) says a backing service is unavailable rather than that we have a bug. */
export function isServiceOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 6) return false;
  const e = error as Inspectable;
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || POSTGRES_CODES.has(e.code) || PRISMA_CODES.has(e.code))) return true;
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (
    e.kind === 'postgres' &&
    typeof (e as { originalCode?: unknown }).originalCode === 'string' &&
    POSTGRES_CODES.has((e as { originalCode: string }).originalCode)
  )
    return true;
  if (typeof e.name === 'string' && CLIENT_ERROR_NAMES.has(e.name)) return true;
  // Elasticsearch answering "unavailable" or "too many requests" (no shard, circuit breaker, queue full).
  if (e.name === 'ResponseError' && (e.meta?.statusCode === 503 || e.meta?.statusCode === 429)) return true;
  if (typeof e.message === 'string' && MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  return [e.cause, e.originalError, e.meta?.driverAdapterError].some((inner) => inner !== error && isServiceOutage(inner, depth + 1));
}
