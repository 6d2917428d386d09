import { LabelLanguage, SearchMode, SearchSort } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { ReindexResultType, SearchImagesFilter, SearchImagesResult } from '../types/Search';
import { selectsField } from '../selectedFields';
import { nodeOfIndexed } from './ImageResolver';

@Resolver()
export class SearchResolver {
  @Access({ action: ApiAction.SearchImages, project: (a) => a.projectName })
  @Query(() => SearchImagesResult, { description: "Finds a project's images by their labels, with facets and stable cursor paging." })
  async searchImages(
    @Arg('projectName') projectName: string,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => SearchImagesFilter, { nullable: true }) filter?: SearchImagesFilter | null,
    @Arg('text', () => String, { nullable: true, description: 'Free text matched against label names and aliases, Chinese or English (sort RELEVANCE ranks by it).' })
    text?: string | null,
    @Arg('sort', () => SearchSort, { nullable: true, description: 'Default CREATED_AT; with mode SEMANTIC, RELEVANCE (the only one).' }) sort?: SearchSort | null,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('language', () => LabelLanguage, { nullable: true, defaultValue: LabelLanguage.ZH_HANS, description: 'Language of facet names.' }) language?: LabelLanguage | null,
    @Arg('facetSize', () => Int, { nullable: true, description: 'Buckets per facet, 1..2000, default 20.' }) facetSize?: number | null,
    @Arg('mode', () => SearchMode, { nullable: true, defaultValue: SearchMode.KEYWORD, description: 'SEMANTIC ranks images by similarity to text.' }) mode?: SearchMode | null,
    @Arg('exactFacets', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Count facets over every match even when very many images match (slower); by default such searches count a sample (facets.exact tells).',
    })
    exactFacets?: boolean | null,
  ): Promise<SearchImagesResult> {
    // Facets and the total are counted only when the query reads them (a next page often does not).
    const withFacets = selectsField(info, 'facets');
    const withTotal = selectsField(info, 'totalCount');
    const result = await ctx.imageSearch.searchImages({ ...filter, projectName, text, sort, first, after, language, facetSize, mode, exactFacets, withFacets, withTotal });
    const edges = result.images.map(({ image, cursor }) => ({ cursor, node: nodeOfIndexed(image) }));
    return {
      totalCount: result.totalCount,
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: { hasNextPage: result.hasNextPage, endCursor: result.endCursor },
      facets: result.facets,
    };
  }

  @Access({ admin: true })
  @Mutation(() => ReindexResultType, {
    description:
      'Admin: rebuilds the search index from Postgres into a new index and swaps the alias (no downtime; safe to run twice), answering when done. Same as `npm run reindex`.',
    deprecationReason: 'Use createReindexImagesTask: it runs on the workers, reports progress, can be cancelled and resumes after a restart.',
  })
  reindexImages(@Ctx() ctx: GraphQLContext): Promise<ReindexResultType> {
    return ctx.reindex();
  }
}
