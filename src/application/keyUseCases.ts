import { API_ACTIONS, ApiAction } from '../auth/actions';
import type { CreateApiKeyRequest, ApiKeyService } from '../auth/apiKeyService';
import { statusOf } from '../auth/apiKeyService';
import type { Principal } from '../auth/principal';
import type { Logger } from '../logger';
import { ApiKeyStatus } from '../vocabulary';
import { ConnectionView, connectionOf } from './connection';

/** An API key without its secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  actions: ApiAction[];
  projectNames: string[];
  allProjects: boolean;
  queriesPerSecond: number | null;
  status: ApiKeyStatus;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date | null;
}

type KeyRow = Awaited<ReturnType<ApiKeyService['get']>>;

function apiKeyViewOf(row: KeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    actions: row.actions as ApiAction[],
    projectNames: row.projectNames,
    allProjects: row.allProjects,
    queriesPerSecond: row.queriesPerSecond,
    status: statusOf(row),
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
  };
}

/** API keys: the caller's own, and (admin) issuing, listing, revoking and expiring them, each change audited. */
export class KeyUseCases {
  constructor(private readonly keys: ApiKeyService) {}

  /** The key this request uses: the admin key covers everything. */
  async current(principal: Principal): Promise<ApiKeyView> {
    if (principal.kind === 'admin') {
      const never = { expiresAt: null, revokedAt: null, lastUsedAt: null, createdAt: null, queriesPerSecond: null };
      return {
        id: principal.id,
        name: principal.name,
        actions: [...API_ACTIONS],
        projectNames: [],
        allProjects: true,
        status: ApiKeyStatus.ACTIVE,
        ...never,
      };
    }
    return this.get(principal.id);
  }

  async create(request: CreateApiKeyRequest, logger: Logger): Promise<{ apiKey: ApiKeyView; key: string }> {
    const { apiKey, key } = await this.keys.create(request);
    logger.info(
      {
        audit: true,
        event: 'apiKeyCreated',
        apiKeyId: apiKey.id,
        actions: apiKey.actions,
        projects: apiKey.projectNames,
        allProjects: apiKey.allProjects,
      },
      'audit: API key created',
    );
    return { apiKey: apiKeyViewOf(apiKey), key };
  }

  async list(
    first: number | null | undefined,
    after: string | null | undefined,
    includeRevoked: boolean,
  ): Promise<ConnectionView<ApiKeyView>> {
    const page = await this.keys.list(first, after, includeRevoked);
    return connectionOf(page, apiKeyViewOf, (row) => this.keys.cursorOf(row));
  }

  async get(id: string): Promise<ApiKeyView> {
    return apiKeyViewOf(await this.keys.get(id));
  }

  async revoke(id: string, logger: Logger): Promise<ApiKeyView> {
    const key = apiKeyViewOf(await this.keys.revoke(id));
    logger.info({ audit: true, event: 'apiKeyRevoked', apiKeyId: id }, 'audit: API key revoked');
    return key;
  }

  async expire(id: string, at: Date | null | undefined, logger: Logger): Promise<ApiKeyView> {
    const key = apiKeyViewOf(await this.keys.expire(id, at));
    logger.info({ audit: true, event: 'apiKeyExpiry', apiKeyId: id, expiresAt: key.expiresAt }, 'audit: API key expiry set');
    return key;
  }
}
