import { LabelLanguage } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { invalidArgument, missingParameter } from '../../api/errors';
import { checkProjectName } from '../../projects/projectRules';
import { labelCounts } from '../../search/labelStats';
import type { GraphQLContext } from '../context';
import { labelView } from '../types/Label';
import { LabelStat, LabelSuggestion } from '../types/Suggestion';

const MAX_SUGGESTIONS = 50;

@Resolver()
export class SuggestResolver {
  @Access({ anyKey: true })
  @Query(() => [LabelSuggestion], { description: 'Autocomplete for label names and aliases, in Chinese and English.' })
  suggestLabels(
    @Arg('prefix') prefix: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS, description: 'Language the labels are named in.' }) language: LabelLanguage,
    @Arg('limit', () => Int, { defaultValue: 10, description: `1..${MAX_SUGGESTIONS}.` }) limit: number,
  ): LabelSuggestion[] {
    if (!prefix.trim()) throw missingParameter('prefix');
    if (prefix.length > 100) throw invalidArgument('prefix must be at most 100 characters.', 'prefix');
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SUGGESTIONS) throw invalidArgument(`limit must be between 1 and ${MAX_SUGGESTIONS}.`, 'limit');
    return ctx.suggester.suggest(prefix, limit).map((s) => ({
      label: labelView(s.label, language),
      matched: s.matched,
      matchedLanguage: s.matchedLanguage as LabelLanguage,
    }));
  }

  @Access({ action: ApiAction.SearchImages, project: (a) => a.projectName })
  @Query(() => [LabelStat], { description: "A project's label counts as a tree: categories, then their children." })
  async labelStats(
    @Arg('projectName') projectName: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS }) language: LabelLanguage,
  ): Promise<LabelStat[]> {
    const project = await ctx.projects.get(checkProjectName(projectName, 'projectName'));
    const counts = await labelCounts(ctx.search, ctx.searchAlias, project.id, ctx.taxonomy.size);
    const build = (id: string): LabelStat => ({
      label: labelView(ctx.taxonomy.get(id)!, language),
      count: counts.get(id)!,
      children: ctx.taxonomy
        .children(id)
        .filter((child) => counts.has(child.id))
        .map((child) => build(child.id))
        .sort((a, b) => b.count - a.count || a.label.id.localeCompare(b.label.id)),
    });
    return ctx.taxonomy
      .categories()
      .filter((category) => counts.has(category.id))
      .map((category) => build(category.id))
      .sort((a, b) => b.count - a.count || a.label.id.localeCompare(b.label.id));
  }
}
