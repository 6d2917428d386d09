import { LabelLanguage } from '../../vocabulary';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { MAX_SUGGESTIONS, SuggestionView } from '../../application/labelUseCases';
import type { LabelStatView } from '../../application/searchUseCases';
import type { GraphQLContext } from '../context';
import { LabelStat, LabelSuggestion } from '../types/Suggestion';

@Resolver()
export class SuggestResolver {
  @Access({ anyKey: true })
  @Query(() => [LabelSuggestion], { description: 'Autocomplete for label names and aliases, in Chinese and English.' })
  suggestLabels(
    @Arg('prefix') prefix: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS, description: 'Language the labels are named in.' })
    language: LabelLanguage,
    @Arg('limit', () => Int, { defaultValue: 10, description: `1..${MAX_SUGGESTIONS}.` }) limit: number,
  ): SuggestionView[] {
    return ctx.services.labels.suggest(prefix, language, limit);
  }

  @Access({ action: ApiAction.SearchImages, project: (a) => a.projectName })
  @Query(() => [LabelStat], { description: "A project's label counts as a tree: categories, then their children." })
  labelStats(
    @Arg('projectName') projectName: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('language', () => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS }) language: LabelLanguage,
  ): Promise<LabelStatView[]> {
    return ctx.services.search.labelStats(projectName, language);
  }
}
