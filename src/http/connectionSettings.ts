import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

// Clients and proxies drop a kept-alive connection after their own idle time (fetch: 4 s; load
// balancers: 60 s). A server that drops it first, as Node's 5 s default does, races a client reusing
// it: the client's request meets a closed socket (ECONNRESET, or a proxy's 502). So the server waits
// longer than they do.
export const KEEP_ALIVE_MS = 65_000;

/** The JSON error body and status line for a request Node refused before the application saw it. */
function rawErrorResponse(status: number, reason: string, code: string, message: string): string {
  const requestId = randomUUID().toUpperCase();
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }], extensions: { requestId } });
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Keep-alive timing, and an IMM-style JSON answer (code, request id) for requests Node's parser
 * refuses itself, which it would otherwise answer with an empty 400 or 431.
 */
export function applyConnectionSettings(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) => {
    // As Node does: answer only on a connection nothing has been written to yet.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) return void socket.destroy();
    const answer =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? rawErrorResponse(
            431,
            'Request Header Fields Too Large',
            'LimitExceeded',
            'The request headers (or the URL) are larger than this server accepts (16 KB in all).',
          )
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? rawErrorResponse(408, 'Request Timeout', 'InvalidArgument', 'The request was not sent in time.')
          : rawErrorResponse(400, 'Bad Request', 'InvalidArgument', 'The request is not well-formed HTTP.');
    socket.end(answer);
  });
}
