import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { StoredImage } from './Image';
import { PageInfo } from './PageInfo';

export enum SearchSort {
  CREATED_AT = 'CREATED_AT',
  CONFIDENCE = 'CONFIDENCE',
  CENTRIC_SCORE = 'CENTRIC_SCORE',
  RELEVANCE = 'RELEVANCE',
}

registerEnumType(SearchSort, {
  name: 'SearchSort',
  description: 'Order of search results (ties: newest first, then image id, so paging is stable).',
  valuesConfig: {
    CREATED_AT: { description: 'Newest first (default).' },
    CONFIDENCE: { description: 'Highest confidence of the filtered labels (of any label without a label filter).' },
    CENTRIC_SCORE: { description: 'Highest CentricScore of the filtered labels.' },
    RELEVANCE: { description: 'Best match of the label filters, weighted by confidence.' },
  },
});

export enum SearchMode {
  KEYWORD = 'KEYWORD',
  SEMANTIC = 'SEMANTIC',
}

registerEnumType(SearchMode, {
  name: 'SearchMode',
  description: 'How text finds images.',
  valuesConfig: {
    KEYWORD: { description: 'Text matches label names and aliases (default).' },
    SEMANTIC: {
      description:
        'Images ranked by the similarity of their embedding to the embedding of text (kNN), within the filter; needs text and a dual-encoder (CLIP-style) pack; sort RELEVANCE only. Images detected without a dual encoder have no embedding and are not found.',
    },
  },
});

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
    description: 'allOf/anyOf labels must have at least this many boxed instances (1..1000): object labels a detector boxed, e.g. three people.',
  })
  minInstances?: number | null;

  @Field(() => [Int], { nullable: true, description: 'allOf/anyOf labels must be at one of these levels (1, 2, 3).' })
  levels?: number[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Searching a parent (named in the filter or matched by text) finds images labelled with its children (default true).' })
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
export class SearchImageEdge {
  @Field()
  cursor!: string;

  @Field(() => StoredImage)
  node!: StoredImage;
}

@ObjectType({ simpleResolvers: true })
export class SearchImagesResult {
  @Field(() => Int, { description: 'Matching images in all pages.' })
  totalCount!: number;

  @Field(() => [SearchImageEdge])
  edges!: SearchImageEdge[];

  @Field(() => [StoredImage])
  nodes!: StoredImage[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /**
   * A promise while Elasticsearch still counts: GraphQL completes the rest meanwhile. Read through
   * a resolver (not simple): the compiled executor awaits what resolvers return, not plain properties.
   */
  @Field(() => SearchFacets, { simple: false })
  facets!: SearchFacets | Promise<SearchFacets>;
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
