import cors from 'cors';
import type { RequestHandler } from 'express';

/**
 * Cross-origin access for browser apps on other origins, by an allowlist of exact origins
 * (CORS_ORIGINS; none by default, so only same-origin pages call the API). A refused origin gets no
 * Access-Control-Allow-Origin, so its browser blocks the response. Requests still need their API key
 * (no cookies are used, so credentials stay off), and Apollo's CSRF prevention still applies: a
 * cross-origin POST must be JSON, which only a preflight the allowlist passed lets through.
 */
export function corsMiddleware(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id', 'apollo-require-preflight'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
}

/** CORS_ORIGINS as written ("https://a.example, http://localhost:5173"): each an origin, no path. */
export function parseCorsOrigins(value: string): string[] {
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}
