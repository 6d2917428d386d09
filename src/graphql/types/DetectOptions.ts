import { Field, Float, InputType, Int } from 'type-graphql';
import { LabelLanguage } from '../../vocabulary';
import './enums';

/** What an operation says of the shared detection options, where it says more than their names. */
export interface DetectOptionsDescriptions {
  credentialConfig: string;
  maxLabels: string;
  includeLabels?: string;
  excludeLabels?: string;
  includeCategories?: string;
  excludeCategories?: string;
}

/**
 * detectImageLabels' options, which a labeling task applies to every image too: declared once, each
 * input (DetectImageLabelsInput, CreateDetectImageLabelsTaskInput) subclasses it under its own name.
 */
export function DetectOptionsInput(descriptions: DetectOptionsDescriptions) {
  // Not emitted itself: only its named subclasses are reachable from the schema.
  @InputType()
  abstract class DetectOptions {
    @Field()
    projectName!: string;

    @Field(() => Float, { nullable: true, description: '0..1; default: the project’s defaultThreshold.' })
    threshold?: number | null;

    @Field(() => String, { nullable: true, description: descriptions.credentialConfig })
    credentialConfig?: string | null;

    @Field(() => LabelLanguage, { nullable: true, defaultValue: LabelLanguage.ZH_HANS })
    language?: LabelLanguage | null;

    @Field(() => Int, { nullable: true, description: descriptions.maxLabels })
    maxLabels?: number | null;

    @Field(() => [String], { nullable: true, description: descriptions.includeLabels })
    includeLabels?: string[] | null;

    @Field(() => [String], { nullable: true, description: descriptions.excludeLabels })
    excludeLabels?: string[] | null;

    @Field(() => [String], { nullable: true, description: descriptions.includeCategories })
    includeCategories?: string[] | null;

    @Field(() => [String], { nullable: true, description: descriptions.excludeCategories })
    excludeCategories?: string[] | null;
  }
  return DetectOptions;
}
