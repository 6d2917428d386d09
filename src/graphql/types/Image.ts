import { LabelLanguage } from '../../vocabulary';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from './Connection';
import { DetectOptionsInput } from './DetectOptions';

@ObjectType({ description: "A video clip a label was seen in (IMM's Clips); images have none.", simpleResolvers: true })
export class LabelClip {
  @Field(() => [Int], { description: 'Start and end, in milliseconds.' })
  timeRange!: number[];
}

@ObjectType({
  description: "Where an instance is, as shares (0..1) of the image's width and height (Rekognition's BoundingBox).",
  simpleResolvers: true,
})
export class BoundingBox {
  @Field(() => Float, { description: 'Left edge, from the left of the image.' })
  left!: number;

  @Field(() => Float, { description: 'Top edge, from the top of the image.' })
  top!: number;

  @Field(() => Float)
  width!: number;

  @Field(() => Float)
  height!: number;
}

@ObjectType({ description: "One boxed instance of an object label (Rekognition's Instances).", simpleResolvers: true })
export class LabelInstance {
  @Field(() => Float, { description: "The detector's confidence in this box, 0..1." })
  confidence!: number;

  @Field(() => BoundingBox)
  boundingBox!: BoundingBox;
}

// Plain data types read their properties directly (simpleResolvers): type-graphql would otherwise
// wrap each field's read in its middleware machinery, and a search page has about 2,000 fields.
// Such types must not carry field middlewares (none do: access rules sit on operations).
@ObjectType({ description: "One label of an image, with IMM DetectImageLabels' fields (camel-cased).", simpleResolvers: true })
export class DetectedLabel {
  @Field(() => LabelLanguage)
  language!: LabelLanguage;

  @Field(() => ID, { description: 'The taxonomy id (see labelTaxonomy).' })
  labelId!: string;

  @Field()
  labelName!: string;

  @Field(() => Int, { description: '1 for a category, 2 or 3 below it.' })
  labelLevel!: number;

  @Field(() => Float, { description: 'Calibrated confidence, 0..1; a parent is never below its children.' })
  labelConfidence!: number;

  @Field(() => ID, { nullable: true })
  parentLabelId!: string | null;

  @Field(() => String, { nullable: true, description: 'The parent label’s name; null for level-1 categories.' })
  parentLabelName!: string | null;

  @Field(() => Float, { description: 'How much the label is the main subject, 0..1 (docs/centric-score.md).' })
  centricScore!: number;

  @Field(() => [String], { description: 'Synonyms in the requested language.' })
  labelAlias!: string[];

  @Field(() => [LabelClip])
  clips!: LabelClip[];

  @Field(() => [LabelInstance], {
    description:
      'Boxes of the label in the image, most confident first: object labels a detector boxed (people, cars, dogs...); empty for scenes, events, categories and labels only a classifier saw. Search by count with SearchImagesFilter.minInstances.',
  })
  instances!: LabelInstance[];
}

@ObjectType({ description: 'An image stored in a project, with its labels as last detected.', simpleResolvers: true })
export class StoredImage {
  @Field(() => ID)
  id!: string;

  @Field()
  projectName!: string;

  @Field({ description: 'Where the image was read from.' })
  sourceURI!: string;

  @Field({ description: 'SHA-256 of the bytes last detected.' })
  sha256!: string;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field()
  format!: string;

  @Field(() => Int)
  bytes!: number;

  @Field()
  modelVersion!: string;

  @Field()
  taxonomyVersion!: string;

  @Field()
  detectedAt!: Date;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class StoredImageConnection extends Connection(StoredImage, { edge: 'StoredImageEdge' }) {}

@InputType({ description: "IMM DetectImageLabels' parameters, camel-cased, plus AWS Rekognition-style filters." })
export class DetectImageLabelsInput extends DetectOptionsInput({
  credentialConfig: 'Name of a server-side storage profile to read the source (or write an upload) with.',
  maxLabels: 'At most this many of the most specific labels (1..1000, default 100); each comes with its parent labels, which do not count.',
  includeLabels: 'Only these labels (ids or names, either language) and their children.',
  excludeLabels: 'Not these labels nor their children.',
  includeCategories: 'Only labels in these level-1 categories.',
  excludeCategories: 'Not labels in these level-1 categories.',
}) {
  @Field(() => String, {
    nullable: true,
    description:
      "oss://bucket/key, s3://bucket/key, file:///path (under FILE_ROOTS) or https://… (when enabled). Left out when detectImageLabels carries the photo itself (file), which is stored in the project's uploadTo.",
  })
  sourceURI?: string | null;
}

@ObjectType()
export class DetectImageLabelsPayload {
  @Field()
  requestId!: string;

  @Field(() => StoredImage, { description: 'The stored image (created, or updated when the project already had this sourceURI).' })
  image!: StoredImage;

  @Field(() => [DetectedLabel], {
    description:
      'The most specific labels first (what the image shows), strongest first; then the parent labels and categories they imply, strongest first.',
  })
  labels!: DetectedLabel[];
}

@ObjectType({ description: 'Why one item of a batch failed; the other items are unaffected.' })
export class BatchItemError {
  @Field({ description: 'IMM error code, as in extensions.code.' })
  code!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'One item of detectImageLabelsBatch: a result or an error.' })
export class DetectImageLabelsBatchItem {
  @Field()
  sourceURI!: string;

  @Field(() => DetectImageLabelsPayload, { nullable: true })
  result!: DetectImageLabelsPayload | null;

  @Field(() => BatchItemError, { nullable: true })
  error!: BatchItemError | null;
}
