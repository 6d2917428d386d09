import type { NextFunction, Request, Response } from 'express';
import ipaddr from 'ipaddr.js';
import type { ApiKeyService } from '../auth/apiKeyService';
import type { Principal } from '../auth/principal';
import { failureCounterOf } from '../auth/failedKeyLimits';
import type { SharedRateLimiter } from '../auth/sharedRateLimiter';
import { ApiError } from '../api/errors';
import type { Logger } from '../logger';
import { sendRequestError } from './errorResponse';

declare module 'express-serve-static-core' {
  interface Request {
    /** The caller, or null when no key was sent (only schema introspection is open to them). */
    principal: Principal | null;
  }
}

export interface AuthenticationOptions {
  keys: ApiKeyService;
  limiter: SharedRateLimiter;
  keyQps: number;
  anonymousQps: number;
  logger: Logger;
}

/** The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function presentedKey(req: Request): string | null {
  const authorization = req.header('authorization');
  if (authorization) return /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() ?? authorization.trim();
  return req.header('x-api-key')?.trim() || null;
}

/**
 * The rate-limit bucket of a client address: IPv6 clients usually hold a whole /64, so they are
 * counted per /64 (else rotating addresses would escape the limit).
 */
export function clientBucketOf(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/** A refusal for too many requests, with how long to wait. */
class Throttled extends ApiError {
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super('Throttling', message, { retryAfterMs: waitMs });
  }
}

/**
 * The principal a presented key stands for, refusing (before any lookup) keys that failed too often
 * (per key id, or per address for strings that are not keys at all: see failureCounterOf) unless
 * seen valid moments ago, and counting each failure. Shared by HTTP requests and WebSocket
 * connections, so neither is a way around the other's limits.
 */
export async function principalOfPresentedKey(
  options: AuthenticationOptions,
  presented: string,
  client: string,
  audit: Record<string, unknown>,
): Promise<Principal> {
  const failures = failureCounterOf(presented, client, options.anonymousQps);
  if (!options.keys.isKnownGood(presented)) {
    const blocked = options.limiter.knownSpent(failures.name, failures.ratePerSecond);
    if (blocked) throw new Throttled(failures.refusal, blocked);
  }
  try {
    return await options.keys.authenticate(presented);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // Counting must not turn the refusal into another error (Postgres may be what failed).
    await options.limiter.take(failures.name, failures.ratePerSecond).catch(() => 0);
    options.logger.info({ audit: true, ...audit, outcome: error.code }, 'audit: request refused');
    throw error;
  }
}

/**
 * Finds who is calling. Before the body is even parsed, it refuses requests without a key beyond
 * their per-address rate, keys this process already saw spend their budget (the access rules spend
 * it, per operation, and decide), and keys that failed too often (principalOfPresentedKey); the
 * admin key and keys seen valid moments ago still pass.
 */
export function authenticationMiddleware(options: AuthenticationOptions) {
  const throttled = (req: Request, res: Response, waitMs: number, message: string) => {
    res.setHeader('retry-after', String(Math.ceil(waitMs / 1000)));
    sendRequestError(res, req.requestId, 'Throttling', message, { retryAfterMs: waitMs });
  };
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const client = clientBucketOf(req.ip);
    const presented = presentedKey(req);
    if (presented === null) {
      const wait = await options.limiter.take(`anonymous:${client}`, options.anonymousQps);
      if (wait) return throttled(req, res, wait, 'Too many requests without an API key from this address.');
      req.principal = null;
      return next();
    }
    try {
      req.principal = await principalOfPresentedKey(options, presented, client, { requestId: req.requestId, client: req.ip });
    } catch (error) {
      if (error instanceof Throttled) return throttled(req, res, error.waitMs, error.message);
      if (error instanceof ApiError) return sendRequestError(res, req.requestId, error.code, error.message);
      return next(error);
    }
    const principal = req.principal;
    if (principal.kind === 'key') {
      const rate = principal.queriesPerSecond ?? options.keyQps;
      const wait = options.limiter.knownSpent(`key:${principal.id}`, rate);
      if (wait) {
        options.logger.info(
          { audit: true, requestId: req.requestId, client: req.ip, apiKeyId: principal.id, outcome: 'Throttling' },
          'audit: request refused',
        );
        return throttled(req, res, wait, `API key ${principal.id} is limited to ${rate} requests per second.`);
      }
    }
    next();
  };
}
