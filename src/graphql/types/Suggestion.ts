import { LabelLanguage } from '../../vocabulary';
import { Field, Int, ObjectType } from 'type-graphql';
import { Label } from './Label';

@ObjectType({ description: 'A label whose name or alias starts with (or, in Chinese, contains) the typed text.' })
export class LabelSuggestion {
  @Field(() => Label, { description: 'The label, named in the requested language; its `path` gives the taxonomy path.' })
  label!: Label;

  @Field({ description: 'The name or alias that matched.' })
  matched!: string;

  @Field(() => LabelLanguage)
  matchedLanguage!: LabelLanguage;
}

@ObjectType({ description: 'How many images of a project carry a label (directly or through a child), with its children.' })
export class LabelStat {
  @Field(() => Label)
  label!: Label;

  @Field(() => Int)
  count!: number;

  @Field(() => [LabelStat], { description: 'Children with at least one image, most frequent first.' })
  children!: LabelStat[];
}
