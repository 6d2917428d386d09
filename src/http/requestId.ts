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
