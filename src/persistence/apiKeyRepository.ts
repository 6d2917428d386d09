import { ApiKey, PrismaClient } from '@prisma/client';
import { found, notFound } from '../api/errors';
import { encodeCursor, Page, pageOfRows, timeIdCursor } from '../api/paging';

export type { ApiKey };

export type NewApiKey = Pick<
  ApiKey,
  'id' | 'name' | 'secretHash' | 'actions' | 'projectNames' | 'allProjects' | 'queriesPerSecond' | 'expiresAt'
>;

/** Key ids as apiKeySecret issues them (the column holds up to 32 characters). */
const API_KEY_ID = /^[a-z0-9]{1,32}$/;

export const apiKeyNotFound = (id: string) => notFound(`API key "${id}" does not exist.`);

/** API keys in Postgres (hashes only), listed oldest first. */
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(data: NewApiKey): Promise<ApiKey> {
    return this.prisma.apiKey.create({ data });
  }

  find(id: string): Promise<ApiKey | null> {
    return this.prisma.apiKey.findUnique({ where: { id } });
  }

  async get(id: string): Promise<ApiKey> {
    return found(await this.find(id), () => apiKeyNotFound(id));
  }

  async list(
    first: number,
    after: string | null | undefined,
    includeRevoked: boolean,
  ): Promise<Page<ApiKey> & { endCursor: string | null }> {
    const cursor = timeIdCursor(after, API_KEY_ID);
    const scope = includeRevoked ? {} : { revokedAt: null };
    const where = cursor
      ? {
          ...scope,
          OR: [{ createdAt: { gt: new Date(cursor.createdAt) } }, { createdAt: new Date(cursor.createdAt), id: { gt: cursor.id } }],
        }
      : scope;
    const [rows, totalCount] = await Promise.all([
      this.prisma.apiKey.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: first + 1 }),
      this.prisma.apiKey.count({ where: scope }),
    ]);
    return pageOfRows(rows, first, totalCount, (row) => this.cursorOf(row));
  }

  cursorOf(key: ApiKey): string {
    return encodeCursor({ createdAt: key.createdAt.toISOString(), id: key.id });
  }

  async update(id: string, changes: Partial<Pick<ApiKey, 'revokedAt' | 'expiresAt'>>): Promise<ApiKey> {
    const updated = await this.prisma.apiKey.updateManyAndReturn({ where: { id }, data: changes });
    if (updated.length === 0) throw apiKeyNotFound(id);
    return updated[0];
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
  }
}
