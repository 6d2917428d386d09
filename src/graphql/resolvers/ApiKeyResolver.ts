import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { API_ACTIONS } from '../../auth/actions';
import { Access } from '../../auth/accessRules';
import { statusOf } from '../../auth/apiKeyService';
import type { ApiKey as ApiKeyRow } from '../../persistence/apiKeyRepository';
import { connectionOf } from '../connection';
import type { GraphQLContext } from '../context';
import { ApiAction, ApiKey, ApiKeyConnection, ApiKeyStatus, CreateApiKeyInput, CreatedApiKey } from '../types/ApiKey';

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    actions: row.actions as ApiAction[],
    projectNames: row.projectNames,
    allProjects: row.allProjects,
    queriesPerSecond: row.queriesPerSecond,
    status: statusOf(row) as ApiKeyStatus,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
  };
}

@Resolver()
export class ApiKeyResolver {
  @Access({ anyKey: true })
  @Query(() => ApiKey, { description: 'The key this request uses: its actions and projects (the admin key covers everything).' })
  async currentApiKey(@Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    const principal = ctx.access.caller();
    if (principal.kind === 'admin') {
      const never = { expiresAt: null, revokedAt: null, lastUsedAt: null, createdAt: null, queriesPerSecond: null };
      return { id: principal.id, name: principal.name, actions: [...API_ACTIONS], projectNames: [], allProjects: true, status: ApiKeyStatus.ACTIVE, ...never };
    }
    return toApiKey(await ctx.apiKeys.get(principal.id));
  }

  @Access({ admin: true })
  @Mutation(() => CreatedApiKey, { description: 'Admin: issues a key for some actions on some projects (or all). The key is in the answer, once.' })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<CreatedApiKey> {
    const { apiKey, key } = await ctx.apiKeys.create(input);
    ctx.logger.info({ audit: true, event: 'apiKeyCreated', apiKeyId: apiKey.id, actions: apiKey.actions, projects: apiKey.projectNames, allProjects: apiKey.allProjects }, 'audit: API key created');
    return { apiKey: toApiKey(apiKey), key };
  }

  @Access({ admin: true })
  @Query(() => ApiKeyConnection, { description: 'Admin: the keys, oldest first, without secrets.' })
  async apiKeys(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('includeRevoked', () => Boolean, { nullable: true, defaultValue: false }) includeRevoked?: boolean | null,
  ): Promise<ApiKeyConnection> {
    const page = await ctx.apiKeys.list(first, after, includeRevoked ?? false);
    return connectionOf(page, toApiKey, (row) => ctx.apiKeys.cursorOf(row));
  }

  @Access({ admin: true })
  @Query(() => ApiKey, { description: 'Admin: one key by id; ResourceNotFound when there is none.' })
  async apiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    return toApiKey(await ctx.apiKeys.get(id));
  }

  @Access({ admin: true })
  @Mutation(() => ApiKey, { description: 'Admin: revokes a key for good (requests with it fail at once).' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    const key = toApiKey(await ctx.apiKeys.revoke(id));
    ctx.logger.info({ audit: true, event: 'apiKeyRevoked', apiKeyId: id }, 'audit: API key revoked');
    return key;
  }

  @Access({ admin: true })
  @Mutation(() => ApiKey, { description: 'Admin: sets when a key stops working; now when `at` is left out.' })
  async expireApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext, @Arg('at', () => Date, { nullable: true }) at?: Date | null): Promise<ApiKey> {
    const key = toApiKey(await ctx.apiKeys.expire(id, at));
    ctx.logger.info({ audit: true, event: 'apiKeyExpiry', apiKeyId: id, expiresAt: key.expiresAt }, 'audit: API key expiry set');
    return key;
  }
}
