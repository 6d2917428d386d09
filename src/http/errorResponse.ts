import type { Response } from 'express';
import { ErrorCode, httpStatusOf } from '../api/errors';

/** A request refused before GraphQL runs, answered in GraphQL's error shape with an IMM code. */
export function sendRequestError(
  res: Response,
  requestId: string,
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): void {
  res.status(httpStatusOf[code]).json({ errors: [{ message, extensions: { code, ...details } }], extensions: { requestId } });
}
