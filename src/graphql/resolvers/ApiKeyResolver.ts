import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Access } from '../../auth/accessRules';
import type { ApiKeyView } from '../../application/keyUseCases';
import type { ConnectionView } from '../../application/connection';
import type { GraphQLContext } from '../context';
import { ApiKey, ApiKeyConnection, CreateApiKeyInput, CreatedApiKey } from '../types/ApiKey';
import { PageArgs } from '../types/PageArgs';

@ArgsType()
class ApiKeysArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeRevoked?: boolean | null;
}

@Resolver()
export class ApiKeyResolver {
  @Access({ anyKey: true })
  @Query(() => ApiKey, { description: 'The key this request uses: its actions and projects (the admin key covers everything).' })
  currentApiKey(@Ctx() ctx: GraphQLContext): Promise<ApiKeyView> {
    return ctx.services.keys.current(ctx.access.caller());
  }

  @Access({ admin: true })
  @Mutation(() => CreatedApiKey, {
    description: 'Admin: issues a key for some actions on some projects (or all). The key is in the answer, once.',
  })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<CreatedApiKey> {
    return ctx.services.keys.create(input, ctx.logger);
  }

  @Access({ admin: true })
  @Query(() => ApiKeyConnection, { description: 'Admin: the keys, oldest first, without secrets.' })
  apiKeys(
    @Args(() => ApiKeysArgs) { first, after, includeRevoked }: ApiKeysArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionView<ApiKeyView>> {
    return ctx.services.keys.list(first, after, includeRevoked ?? false);
  }

  @Access({ admin: true })
  @Query(() => ApiKey, { description: 'Admin: one key by id; ResourceNotFound when there is none.' })
  apiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeyView> {
    return ctx.services.keys.get(id);
  }

  @Access({ admin: true })
  @Mutation(() => ApiKey, { description: 'Admin: revokes a key for good (requests with it fail at once).' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKeyView> {
    return ctx.services.keys.revoke(id, ctx.logger);
  }

  @Access({ admin: true })
  @Mutation(() => ApiKey, { description: 'Admin: sets when a key stops working; now when `at` is left out.' })
  expireApiKey(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('at', () => Date, { nullable: true }) at?: Date | null,
  ): Promise<ApiKeyView> {
    return ctx.services.keys.expire(id, at, ctx.logger);
  }
}
