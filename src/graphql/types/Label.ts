import { ArgsType, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { LabelLanguage } from '../../vocabulary';
import { Connection } from './Connection';
import './enums';
import { PageArgs } from './PageArgs';

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

@ObjectType()
export class LabelConnection extends Connection(Label, {
  edge: 'LabelEdge',
  nodes: 'The labels of this page, without cursors.',
  totalCount: 'Number of labels in all pages.',
}) {}

@ArgsType()
export class LabelTaxonomyArgs extends PageArgs {
  @Field(() => LabelLanguage, { defaultValue: LabelLanguage.ZH_HANS })
  language!: LabelLanguage;

  @Field(() => Int, { nullable: true, description: '1, 2 or 3.' })
  level?: number | null;

  @Field(() => ID, { nullable: true, description: 'Only the children of this label.' })
  parentId?: string | null;
}
