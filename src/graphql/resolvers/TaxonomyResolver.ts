import { LabelLanguage } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { invalidArgument, missingParameter, notFound } from '../../api/errors';
import { checkPageSize, decodeCursor, encodeCursor } from '../../api/paging';
import type { GraphQLContext } from '../context';
import { Label, LabelConnection, labelView } from '../types/Label';

@Resolver(() => Label)
export class TaxonomyResolver {
  @Access({ anyKey: true })
  @Query(() => String, { description: 'Version of the label taxonomy this server uses.' })
  taxonomyVersion(@Ctx() ctx: GraphQLContext): string {
    return ctx.taxonomy.version;
  }

  @Access({ anyKey: true })
  @Query(() => LabelConnection, { description: 'Browse the label taxonomy: categories first, then labels by id; filter by level and/or parent.' })
  labelTaxonomy(
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS }) language: LabelLanguage,
    @Arg('level', () => Int, { nullable: true, description: '1, 2 or 3.' }) level?: number | null,
    @Arg('parentId', () => ID, { nullable: true, description: 'Only the children of this label.' }) parentId?: string | null,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): LabelConnection {
    const size = checkPageSize(first);
    if (level !== undefined && level !== null && ![1, 2, 3].includes(level)) throw invalidArgument(`level must be 1, 2 or 3 (got ${level}).`, 'level');
    if (parentId && !ctx.taxonomy.get(parentId)) throw notFound(`No label with id "${parentId}".`);
    const all = ctx.taxonomy.list({ level, parentId });
    const cursor = decodeCursor(after, ['id'] as const);
    let start = 0;
    if (cursor) {
      const index = all.findIndex((label) => label.id === cursor.id);
      if (index < 0) throw invalidArgument('after is not a cursor of this listing.', 'after');
      start = index + 1;
    }
    const page = all.slice(start, start + size).map((label) => labelView(label, language));
    const edges = page.map((node) => ({ node, cursor: encodeCursor({ id: node.id }) }));
    return {
      edges,
      nodes: page,
      pageInfo: { hasNextPage: start + size < all.length, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: all.length,
    };
  }

  @Access({ anyKey: true })
  @Query(() => Label, { description: 'One label by id or by name/alias (exactly one of them); ResourceNotFound when there is none.' })
  label(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('name', () => String, { nullable: true, description: 'A name or alias, in `language` if given, else in either.' }) name?: string | null,
    @Arg('language', () => LabelLanguage, { nullable: true, description: 'Language of the answer and of `name`; default ZH_HANS.' }) language?: LabelLanguage | null,
  ): Label {
    const hasId = id !== undefined && id !== null;
    const hasName = name !== undefined && name !== null;
    if (hasId && hasName) throw invalidArgument('Give either id or name, not both.', 'id');
    if (!hasId && !hasName) throw missingParameter('id');
    const found = id !== undefined && id !== null ? ctx.taxonomy.get(id) : ctx.taxonomy.findByName(name ?? '', language ?? undefined);
    if (!found) throw notFound(hasId ? `No label with id "${id}".` : `No label named "${name}".`);
    return labelView(found, language ?? LabelLanguage.ZH_HANS);
  }

  @FieldResolver(() => Label, { nullable: true, description: 'The parent label; null for categories.' })
  parent(@Root() label: Label, @Ctx() ctx: GraphQLContext): Label | null {
    const parent = label.parentId ? ctx.taxonomy.get(label.parentId) : undefined;
    return parent ? labelView(parent, label.language) : null;
  }

  @FieldResolver(() => [Label], { description: 'Ancestors from the level-1 category down to the parent.' })
  path(@Root() label: Label, @Ctx() ctx: GraphQLContext): Label[] {
    return [...ctx.taxonomy.ancestors(label.id)].reverse().map((a) => labelView(a, label.language));
  }

  @FieldResolver(() => Int, { description: 'Number of direct children.' })
  childrenCount(@Root() label: Label, @Ctx() ctx: GraphQLContext): number {
    return ctx.taxonomy.children(label.id).length;
  }
}
