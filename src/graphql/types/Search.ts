import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LabelLanguage, SearchMode, SearchSort } from '../../vocabulary';
import { StoredImage } from './Image';
import { Connection } from './Connection';
import './enums';
import { PageArgs } from './PageArgs';

@InputType({ description: 'Which images to find. Labels are named by id or by name or alias in either language.' })
export class SearchImagesFilter {
  @Field(() => [String], { nullable: true, description: 'The image has every one of these labels (AND).' })
  allOf?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The image has at least one of these labels (OR).' })
  anyOf?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The image has none of these labels (NOT).' })
  noneOf?: string[] | null;

  @Field(() => Float, { nullable: true, description: 'allOf/anyOf labels must have at least this confidence (0..1).' })
  minConfidence?: number | null;

  @Field(() => Float, { nullable: true, description: 'allOf/anyOf labels must have at least this CentricScore (0..1).' })
  minCentricScore?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'allOf/anyOf labels must have at least this many boxed instances (1..1000): object labels a detector boxed, e.g. three people.',
  })
  minInstances?: number | null;

  @Field(() => [Int], { nullable: true, description: 'allOf/anyOf labels must be at one of these levels (1, 2, 3).' })
  levels?: number[] | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: true,
    description: 'Searching a parent (named in the filter or matched by text) finds images labelled with its children (default true).',
  })
  includeDescendants?: boolean | null;
}

// Plain data, read directly (simpleResolvers; see DetectedLabel).
@ObjectType({ description: 'How many matching images carry a label.', simpleResolvers: true })
export class LabelFacet {
  @Field(() => ID)
  labelId!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Images, not label rows.' })
  count!: number;
}

@ObjectType({ simpleResolvers: true })
export class LevelFacet {
  @Field(() => Int)
  level!: number;

  @Field(() => Int, { description: 'Images with at least one label at this level.' })
  count!: number;
}

@ObjectType({ description: 'Counts over every matching image (not just this page), honouring the filter.', simpleResolvers: true })
export class SearchFacets {
  @Field(() => [LabelFacet])
  labels!: LabelFacet[];

  @Field(() => [LabelFacet], { description: 'By the parents of the images’ labels.' })
  parents!: LabelFacet[];

  @Field(() => [LabelFacet], { description: 'By level-1 category.' })
  categories!: LabelFacet[];

  @Field(() => [LevelFacet])
  levels!: LevelFacet[];

  @Field({
    description:
      'false when the search matched so many images that the counts were estimated from a seeded random sample of them (the same sample on every page; SEARCH_FACET_SAMPLE_SIZE), scaled up; exactFacets: true counts every match.',
  })
  exact!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class SearchImagesResult extends Connection(StoredImage, {
  edge: 'SearchImageEdge',
  totalCount: 'Matching images in all pages.',
  simpleEdges: true,
}) {
  /**
   * A promise while Elasticsearch still counts: GraphQL completes the rest meanwhile. Read through
   * a resolver (not simple): the compiled executor awaits what resolvers return, not plain properties.
   */
  @Field(() => SearchFacets, { simple: false })
  facets!: SearchFacets | Promise<SearchFacets>;
}

@ArgsType()
export class SearchImagesArgs extends PageArgs {
  @Field()
  projectName!: string;

  @Field(() => SearchImagesFilter, { nullable: true })
  filter?: SearchImagesFilter | null;

  @Field(() => String, {
    nullable: true,
    description: 'Free text matched against label names and aliases, Chinese or English (sort RELEVANCE ranks by it).',
  })
  text?: string | null;

  @Field(() => SearchSort, { nullable: true, description: 'Default CREATED_AT; with mode SEMANTIC, RELEVANCE (the only one).' })
  sort?: SearchSort | null;

  @Field(() => LabelLanguage, { nullable: true, defaultValue: LabelLanguage.ZH_HANS, description: 'Language of facet names.' })
  language?: LabelLanguage | null;

  @Field(() => Int, { nullable: true, description: 'Buckets per facet, 1..2000, default 20.' })
  facetSize?: number | null;

  @Field(() => SearchMode, {
    nullable: true,
    defaultValue: SearchMode.KEYWORD,
    description: 'SEMANTIC ranks images by similarity to text.',
  })
  mode?: SearchMode | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Count facets over every match even when very many images match (slower); by default such searches count a sample (facets.exact tells).',
  })
  exactFacets?: boolean | null;
}

@ObjectType('ReindexResult', { description: 'What a reindex did.' })
export class ReindexResultType {
  @Field({ description: 'The new index the alias now points to.' })
  index!: string;

  @Field(() => [String], { description: 'Indices the alias pointed to before (now deleted).' })
  previous!: string[];

  @Field(() => Int)
  documents!: number;

  @Field(() => Int, { description: 'Images changed while copying, queued for the relay.' })
  requeued!: number;

  @Field(() => Int)
  tookMs!: number;
}
