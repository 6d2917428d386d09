import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { TaxonomyLabel } from '../../taxonomy/labelTypes';
import { LabelLanguage } from '../../vocabulary';
import { PageInfo } from './PageInfo';

registerEnumType(LabelLanguage, {
  name: 'LabelLanguage',
  description: "Language of label names, as IMM's Language parameter: ZH_HANS is IMM's `zh-Hans` (the default), EN is `en`.",
  valuesConfig: {
    ZH_HANS: { description: 'Simplified Chinese (IMM: zh-Hans).' },
    EN: { description: 'English (IMM: en).' },
  },
});

@ObjectType({ description: 'A label of the taxonomy (scene, object, event, ...), named in the requested language.' })
export class Label {
  @Field(() => ID, { description: 'Stable id: a lowercase slug of the English name, e.g. "dining-table".' })
  id!: string;

  @Field({ description: 'Name in the requested language.' })
  name!: string;

  @Field()
  nameEn!: string;

  @Field()
  nameZhHans!: string;

  @Field(() => Int, { description: '1 for a category, 2 for a group or common concept, 3 for a specific one.' })
  level!: number;

  @Field(() => ID, { nullable: true, description: 'null for level-1 categories.' })
  parentId!: string | null;

  @Field(() => [String], { description: 'Synonyms in the requested language.' })
  aliases!: string[];

  @Field(() => Float, { description: 'Default confidence threshold (0..1] for this label.' })
  threshold!: number;

  /** The requested language, for the field resolvers (parent, path). */
  language!: LabelLanguage;
}

/** The GraphQL view of a taxonomy label in one language. */
export function labelView(label: TaxonomyLabel, language: LabelLanguage): Label {
  return Object.assign(new Label(), {
    id: label.id,
    name: language === 'en' ? label.en : label.zhHans,
    nameEn: label.en,
    nameZhHans: label.zhHans,
    level: label.level,
    parentId: label.parentId,
    aliases: language === 'en' ? label.aliasesEn : label.aliasesZhHans,
    threshold: label.threshold,
    language,
  });
}

@ObjectType()
export class LabelEdge {
  @Field()
  cursor!: string;

  @Field(() => Label)
  node!: Label;
}

@ObjectType()
export class LabelConnection {
  @Field(() => [LabelEdge])
  edges!: LabelEdge[];

  @Field(() => [Label], { description: 'The labels of this page, without cursors.' })
  nodes!: Label[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of labels in all pages.' })
  totalCount!: number;
}
