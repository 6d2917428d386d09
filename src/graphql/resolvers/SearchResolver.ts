import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import type { GraphQLResolveInfo } from 'graphql';
import { Args, Ctx, Info, Mutation, Query, Resolver } from 'type-graphql';
import type { SearchView } from '../../application/searchUseCases';
import type { GraphQLContext } from '../context';
import { ReindexResultType, SearchImagesArgs, SearchImagesResult } from '../types/Search';
import { selectsField } from '../selectedFields';

@Resolver()
export class SearchResolver {
  @Access({ action: ApiAction.SearchImages, project: (a) => a.projectName })
  @Query(() => SearchImagesResult, { description: "Finds a project's images by their labels, with facets and stable cursor paging." })
  searchImages(
    @Args(() => SearchImagesArgs) args: SearchImagesArgs,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SearchView> {
    // Facets and the total are counted only when the query reads them (a next page often does not).
    return ctx.services.search.searchImages(args, { facets: selectsField(info, 'facets'), total: selectsField(info, 'totalCount') });
  }

  @Access({ admin: true })
  @Mutation(() => ReindexResultType, {
    description:
      'Admin: rebuilds the search index from Postgres into a new index and swaps the alias (no downtime; safe to run twice), answering when done. Same as `npm run reindex`.',
    deprecationReason:
      'Use createReindexImagesTask: it runs on the workers, reports progress, can be cancelled and resumes after a restart.',
  })
  reindexImages(@Ctx() ctx: GraphQLContext): Promise<ReindexResultType> {
    return ctx.services.search.reindex();
  }
}
