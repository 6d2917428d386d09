import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

// A caller's own id is kept when it is a sane token, so logs across services line up.
const ACCEPTED = /^[A-Za-z0-9._-]{8,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
  }
}

export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.header('x-request-id');
  req.requestId = incoming && ACCEPTED.test(incoming) ? incoming : randomUUID().toUpperCase();
  res.setHeader('x-request-id', req.requestId);
  next();
}

/**
 * Apollo refuses some requests before its plugins run (variables that are no object, a GET without
 * a query): those bodies get the request id too. Only error bodies are read again, and they are small.
 */
export function requestIdInErrorBodies(req: Request, res: Response, next: NextFunction): void {
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (res.statusCode >= 400 && typeof body === 'string' && body.startsWith('{') && !body.includes('"requestId"')) {
      try {
        const parsed = JSON.parse(body) as { extensions?: Record<string, unknown> };
        body = JSON.stringify({ ...parsed, extensions: { ...parsed.extensions, requestId: req.requestId } });
      } catch {
        // Not JSON after all: sent as it is.
      }
    }
    return send(body);
  };
  next();
}
