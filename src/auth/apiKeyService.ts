import { LRUCache } from 'lru-cache';
import type { ApiKeyStatus } from '../vocabulary';
import { ApiError, invalidArgument, missingParameter } from '../api/errors';
import type { Logger } from '../logger';
import { ApiKey, ApiKeyRepository } from '../persistence/apiKeyRepository';
import { checkPageSize } from '../api/paging';
import { checkProjectName, checkQueriesPerSecond } from '../projects/projectRules';
import { API_ACTIONS, ApiAction } from './actions';
import { hashSecret, issueKey, parseKey, sameSecret } from './apiKeySecret';
import { ADMIN, Principal } from './principal';

export interface CreateApiKeyRequest {
  name?: string | null;
  actions?: readonly string[] | null;
  projectNames?: readonly string[] | null;
  allProjects?: boolean | null;
  expiresAt?: Date | null;
  queriesPerSecond?: number | null;
}

const NAME_MAX = 128;
const MAX_PROJECTS_PER_KEY = 100;
// Rows are cached briefly so a request costs no query; revocation and expiry in this process apply
// at once, other gateway processes see them within this time.
const CACHE_MS = 5_000;
const CACHE_ENTRIES = 10_000;
const TOUCH_EVERY_MS = 60_000;

const invalidKey = (message: string) => new ApiError('InvalidAccessKeyId', message);

export function statusOf(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return 'REVOKED';
  if (key.expiresAt && key.expiresAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}

function checkCreateRequest(request: CreateApiKeyRequest, now: Date) {
  const name = request.name?.trim();
  if (!name) throw missingParameter('name');
  if (name.length > NAME_MAX) throw invalidArgument(`name must be at most ${NAME_MAX} characters (got ${name.length}).`, 'name');
  if (!request.actions?.length) throw missingParameter('actions');
  const unknown = request.actions.filter((action) => !API_ACTIONS.includes(action as ApiAction));
  if (unknown.length)
    throw invalidArgument(`actions: unknown action(s) ${unknown.join(', ')}; known: ${API_ACTIONS.join(', ')}.`, 'actions');
  const allProjects = request.allProjects ?? false;
  const projectNames = [...new Set((request.projectNames ?? []).map((project) => checkProjectName(project, 'projectNames')))];
  if (allProjects && projectNames.length) throw invalidArgument('Give either projectNames or allProjects: true, not both.', 'projectNames');
  if (!allProjects && !projectNames.length)
    throw new ApiError('MissingParameter', 'projectNames is required (or allProjects: true).', { field: 'projectNames' });
  if (projectNames.length > MAX_PROJECTS_PER_KEY)
    throw invalidArgument(`A key may name at most ${MAX_PROJECTS_PER_KEY} projects; use allProjects for more.`, 'projectNames');
  if (request.expiresAt) checkKeyTime(request.expiresAt, 'expiresAt');
  if (request.expiresAt && !(request.expiresAt > now)) throw invalidArgument('expiresAt must be in the future.', 'expiresAt');
  const queriesPerSecond = checkQueriesPerSecond(request.queriesPerSecond) ?? null;
  return {
    name,
    actions: [...new Set(request.actions)],
    projectNames,
    allProjects,
    expiresAt: request.expiresAt ?? null,
    queriesPerSecond,
  };
}

/** A time a key can store: a real date within years 1970-9999 (the DateTimeISO scalar takes year 0000). */
function checkKeyTime(at: Date, field: string): void {
  const year = at.getUTCFullYear();
  if (Number.isNaN(at.getTime()) || year < 1970 || year > 9999)
    throw invalidArgument(`${field} must be a time between the years 1970 and 9999.`, field);
}

function principalOf(row: ApiKey): Principal {
  return {
    kind: 'key',
    id: row.id,
    name: row.name,
    actions: new Set(row.actions as ApiAction[]),
    allProjects: row.allProjects,
    projectNames: new Set(row.projectNames),
    queriesPerSecond: row.queriesPerSecond,
  };
}

/** Issues, lists, expires and revokes API keys, and turns a presented key into a Principal. */
export class ApiKeyService {
  /**
   * Rows of keys that exist, least recently used out first. Ids with no row are not kept: a flood
   * of made-up ids would otherwise push out every real key (each of those costs one lookup; their
   * failures are counted and limited per id, see failureCounterOf).
   */
  private readonly cache: LRUCache<string, ApiKey>;
  private readonly adminHash: string;

  constructor(
    private readonly repository: ApiKeyRepository,
    adminKey: string,
    private readonly logger: Logger,
    cacheEntries = CACHE_ENTRIES,
  ) {
    this.adminHash = hashSecret(adminKey);
    this.cache = new LRUCache({ max: cacheEntries, ttl: CACHE_MS });
  }

  /** Stores a new key and returns it whole: the only time its secret is ever available. */
  async create(request: CreateApiKeyRequest): Promise<{ apiKey: ApiKey; key: string }> {
    const checked = checkCreateRequest(request, new Date());
    const issued = issueKey();
    const apiKey = await this.repository.create({ id: issued.id, secretHash: issued.secretHash, ...checked });
    return { apiKey, key: issued.key };
  }

  list(first: number | null | undefined, after: string | null | undefined, includeRevoked: boolean) {
    return this.repository.list(checkPageSize(first), after, includeRevoked);
  }

  get(id: string): Promise<ApiKey> {
    return this.repository.get(id);
  }

  cursorOf(key: ApiKey): string {
    return this.repository.cursorOf(key);
  }

  /** Revokes for good; revoking again changes nothing. */
  async revoke(id: string): Promise<ApiKey> {
    const key = await this.repository.get(id);
    const revoked = key.revokedAt ? key : await this.repository.update(id, { revokedAt: new Date() });
    this.cache.delete(id); // after the write, so no request can cache the row as it was
    return revoked;
  }

  /** Sets when the key stops working (now when no time is given); a later time extends an expired key. */
  async expire(id: string, at: Date | null | undefined): Promise<ApiKey> {
    if (at) checkKeyTime(at, 'at');
    const updated = await this.repository.update(id, { expiresAt: at ?? new Date() });
    this.cache.delete(id);
    return updated;
  }

  /**
   * Whether the key is the admin key or a key seen valid moments ago, answered without a query:
   * addresses sending many bad keys are refused before lookups, except for keys known good.
   */
  isKnownGood(presented: string): boolean {
    if (sameSecret(presented, this.adminHash)) return true;
    const parsed = parseKey(presented);
    const row = parsed ? this.cache.get(parsed.id) : undefined;
    if (!parsed || !row) return false;
    return statusOf(row) === 'ACTIVE' && sameSecret(parsed.secret, row.secretHash);
  }

  /** The caller behind a presented key, or InvalidAccessKeyId (without saying more than the holder knows). */
  async authenticate(presented: string): Promise<Principal> {
    if (sameSecret(presented, this.adminHash)) return ADMIN;
    const parsed = parseKey(presented);
    if (!parsed) throw invalidKey('The API key is not one this server issued.');
    const row = await this.cachedRow(parsed.id);
    if (!row || !sameSecret(parsed.secret, row.secretHash)) throw invalidKey('The API key is not one this server issued.');
    const status = statusOf(row);
    if (status === 'REVOKED') throw invalidKey(`The API key ${row.id} has been revoked.`);
    if (status === 'EXPIRED') throw invalidKey(`The API key ${row.id} expired at ${row.expiresAt!.toISOString()}.`);
    this.touch(row);
    return principalOf(row);
  }

  private async cachedRow(id: string): Promise<ApiKey | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = await this.repository.find(id);
    if (row) this.cache.set(id, row);
    return row;
  }

  private touch(row: ApiKey): void {
    const now = new Date();
    if (row.lastUsedAt && now.getTime() - row.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
    row.lastUsedAt = now;
    this.repository
      .touch(row.id, now)
      .catch((error: unknown) => this.logger.warn({ err: error, apiKeyId: row.id }, 'could not record when an API key was last used'));
  }
}
