import { LabelLanguage } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionView } from '../../application/connection';
import type { TaxonomyLabelView } from '../../application/labelUseCases';
import type { GraphQLContext } from '../context';
import { Label, LabelConnection, LabelTaxonomyArgs } from '../types/Label';

@Resolver(() => Label)
export class TaxonomyResolver {
  @Access({ anyKey: true })
  @Query(() => String, { description: 'Version of the label taxonomy this server uses.' })
  taxonomyVersion(@Ctx() ctx: GraphQLContext): string {
    return ctx.services.labels.version;
  }

  @Access({ anyKey: true })
  @Query(() => LabelConnection, {
    description: 'Browse the label taxonomy: categories first, then labels by id; filter by level and/or parent.',
  })
  labelTaxonomy(@Args(() => LabelTaxonomyArgs) args: LabelTaxonomyArgs, @Ctx() ctx: GraphQLContext): ConnectionView<TaxonomyLabelView> {
    return ctx.services.labels.list(args);
  }

  @Access({ anyKey: true })
  @Query(() => Label, { description: 'One label by id or by name/alias (exactly one of them); ResourceNotFound when there is none.' })
  label(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('name', () => String, { nullable: true, description: 'A name or alias, in `language` if given, else in either.' })
    name?: string | null,
    @Arg('language', () => LabelLanguage, { nullable: true, description: 'Language of the answer and of `name`; default ZH_HANS.' })
    language?: LabelLanguage | null,
  ): TaxonomyLabelView {
    return ctx.services.labels.find(id, name, language);
  }

  @FieldResolver(() => Label, { nullable: true, description: 'The parent label; null for categories.' })
  parent(@Root() label: TaxonomyLabelView, @Ctx() ctx: GraphQLContext): TaxonomyLabelView | null {
    return ctx.services.labels.parent(label);
  }

  @FieldResolver(() => [Label], { description: 'Ancestors from the level-1 category down to the parent.' })
  path(@Root() label: TaxonomyLabelView, @Ctx() ctx: GraphQLContext): TaxonomyLabelView[] {
    return ctx.services.labels.path(label);
  }

  @FieldResolver(() => Int, { description: 'Number of direct children.' })
  childrenCount(@Root() label: TaxonomyLabelView, @Ctx() ctx: GraphQLContext): number {
    return ctx.services.labels.childrenCount(label);
  }
}
