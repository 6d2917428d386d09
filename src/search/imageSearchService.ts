import { LabelLanguage, SearchMode, SearchSort } from '../vocabulary';
import type { Client } from '@elastic/elasticsearch';
import { ApiError, invalidArgument, projectNotFound } from '../api/errors';
import type { DetectionTaxonomy } from '../detection/labelDetector';
import { labelsNamed } from '../taxonomy/labelNaming';
import type { TextEmbedder } from '../detection/recognizer';
import type { ProjectDirectory } from '../projects/projectDirectory';
import { checkInstanceCount, checkProjectName, checkThreshold } from '../projects/projectRules';
import type { FacetBucket } from './facetCounts';
import { namedCategoriesOf, orAbandon, pendingFacets, searchImagePage } from './imageSearch';
import type { IndexedImage } from './imageDocument';
import { MappingCheck, vectorFieldOf } from './imageIndex';
import { semanticSearchPage } from './semanticSearch';
import type { LabelTextMatcher } from '../taxonomy/labelTextMatcher';

export interface SearchImagesRequest {
  projectName?: string | null;
  text?: string | null;
  allOf?: string[] | null;
  anyOf?: string[] | null;
  noneOf?: string[] | null;
  minConfidence?: number | null;
  minCentricScore?: number | null;
  minInstances?: number | null;
  levels?: number[] | null;
  includeDescendants?: boolean | null;
  sort?: SearchSort | null;
  first?: number | null;
  after?: string | null;
  language?: LabelLanguage | null;
  facetSize?: number | null;
  /** KEYWORD (default): text against label names; SEMANTIC: images ranked by similarity to text. */
  mode?: SearchMode | null;
  /** Whether the caller reads facets and totalCount (default true); what it does not read is not computed. */
  withFacets?: boolean;
  withTotal?: boolean;
  /** Count facets over every match, however many (default: a sample of them when there are very many). */
  exactFacets?: boolean | null;
}

export interface NamedFacet {
  labelId: string;
  name: string;
  count: number;
}

export interface NamedFacets {
  labels: NamedFacet[];
  parents: NamedFacet[];
  categories: NamedFacet[];
  levels: { level: number; count: number }[];
  exact: boolean;
}

export interface SearchImagesResult {
  images: { image: IndexedImage; cursor: string }[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  /**
   * Still being counted when the page is returned: GraphQL completes the page's images (most of
   * its work) while Elasticsearch counts.
   */
  facets: Promise<NamedFacets>;
}

export interface ImageSearchOptions {
  /** Queries with more matches than about twice this count facets on a sample this size; 0: never sample. */
  facetSampleSize: number;
  /** The loaded dual encoder's text side; semantic search needs one. */
  embedder: TextEmbedder | null;
  /** Whether the index has the current mapping: sorts use its per-category scores only then. */
  mapping: Pick<MappingCheck, 'isCurrent'>;
}

const MAX_FILTER_LABELS = 50;
const MAX_FACET_SIZE = 2000;
/** The best-matching labels free text searches for; a short word can fuzzy-match many. */
export const MAX_TEXT_LABELS = 200;

/**
 * Label search: names (either language, aliases too) become taxonomy ids, Elasticsearch finds and
 * counts, and its hits are the images, as the outbox relay last indexed them from Postgres: one
 * round trip, where reading the page back from Postgres cost a second (`image(id)` still reads
 * Postgres). In SEMANTIC mode the loaded dual encoder embeds the text and Elasticsearch ranks by
 * kNN within the filter.
 */
export class ImageSearchService {
  constructor(
    private readonly search: Client,
    private readonly alias: string,
    private readonly projects: ProjectDirectory,
    private readonly taxonomy: DetectionTaxonomy,
    private readonly textMatcher: LabelTextMatcher,
    private readonly options: ImageSearchOptions,
  ) {}

  private get embedder(): TextEmbedder | null {
    return this.options.embedder;
  }

  /** Each name's labels: one for an id, every label of a name several share (飞行员: airman and pilot). */
  private resolveAll(field: string, names: string[] | null | undefined): string[][] {
    const list = names ?? [];
    if (list.length > MAX_FILTER_LABELS) throw invalidArgument(`${field} may name at most ${MAX_FILTER_LABELS} labels.`, field);
    return list.map((name) => labelsNamed(this.taxonomy, field, name));
  }

  private named(buckets: FacetBucket[], language: LabelLanguage): NamedFacet[] {
    return buckets
      .filter((b) => this.taxonomy.get(b.key))
      .map((b) => ({ labelId: b.key, name: this.taxonomy.name(b.key, language), count: b.count }));
  }

  /** Semantic search needs text, ranks by similarity only, and needs a dual-encoder pack. */
  private checkSemantic(text: string | undefined, sort: SearchSort | null | undefined): TextEmbedder {
    if (!text) throw new ApiError('MissingParameter', 'mode SEMANTIC needs text: the description images are ranked by.', { field: 'text' });
    if (sort && sort !== 'RELEVANCE')
      throw invalidArgument(`mode SEMANTIC ranks by similarity to text: sort must be RELEVANCE or left out (got ${sort}).`, 'sort');
    if (!this.embedder) {
      throw new ApiError(
        'ServiceUnavailable',
        'Semantic search needs a dual-encoder (CLIP-style) model pack, and none is loaded: set MODEL_DIR to one (`npm run model:pull` downloads CLIP), then restart.',
      );
    }
    return this.embedder;
  }

  async searchImages(request: SearchImagesRequest, retried = false): Promise<SearchImagesResult> {
    const filter = {
      allOf: this.resolveAll('allOf', request.allOf),
      anyOf: [...new Set(this.resolveAll('anyOf', request.anyOf).flat())],
      noneOf: [...new Set(this.resolveAll('noneOf', request.noneOf).flat())],
      minConfidence: checkThreshold(request.minConfidence, 'minConfidence'),
      minCentricScore: checkThreshold(request.minCentricScore, 'minCentricScore'),
      minInstances: checkInstanceCount(request.minInstances),
      levels: request.levels ?? undefined,
      includeDescendants: request.includeDescendants ?? true,
    };
    if (filter.levels?.some((level) => ![1, 2, 3].includes(level))) throw invalidArgument('levels may contain only 1, 2 and 3.', 'levels');
    const facetSize = request.facetSize ?? 20;
    if (!Number.isInteger(facetSize) || facetSize < 1 || facetSize > MAX_FACET_SIZE)
      throw invalidArgument(`facetSize must be between 1 and ${MAX_FACET_SIZE}.`, 'facetSize');
    const text = request.text?.trim() || undefined;
    if (text && text.length > 200) throw invalidArgument('text must be at most 200 characters.', 'text');
    const embedder = request.mode === 'SEMANTIC' ? this.checkSemantic(text, request.sort) : null;
    const projectName = checkProjectName(request.projectName, 'projectName');
    const { project, currentId } = await this.projects.lookup(projectName);

    const page = {
      projectId: project.id,
      filter,
      first: request.first ?? 20,
      after: request.after,
      facetSize,
      withFacets: request.withFacets,
      withTotal: request.withTotal,
      facetSampleSize: request.exactFacets ? 0 : this.options.facetSampleSize,
      namedCategories: (await this.options.mapping.isCurrent()) ? namedCategoriesOf(filter, this.taxonomy) : undefined,
    };
    const found = embedder
      ? await semanticSearchPage(this.search, this.alias, {
          ...page,
          field: vectorFieldOf(embedder.embeddingModel),
          vector: Array.from(await embedder.embedText(text!)),
        })
      : await searchImagePage(this.search, this.alias, {
          ...page,
          textMatches: text === undefined ? undefined : this.textMatcher.matchAll(text, MAX_TEXT_LABELS),
          sort: request.sort ?? 'CREATED_AT',
        });
    // The project was looked up in a cache; its current id was read meanwhile. Gone: so is the
    // search. Deleted and created again (by another gateway): search the new one, once.
    const nowId = await orAbandon(currentId, found);
    if (nowId !== project.id) {
      found.abandon();
      this.projects.forget(projectName);
      if (!nowId) throw projectNotFound(projectName);
      if (retried) throw new ApiError('ServiceUnavailable', `Project "${projectName}" was replaced while it was searched; try again.`);
      return this.searchImages(request, true);
    }
    // The query is filtered by project already; checking again here keeps a stray hit from leaking.
    const images = found.images
      .map((image, i) => ({ image, cursor: found.cursors[i] }))
      .filter(({ image }) => image.projectId === project.id);
    const language = request.language ?? 'zh-Hans';
    return {
      images,
      totalCount: found.totalCount,
      hasNextPage: found.hasNextPage,
      endCursor: found.cursors.at(-1) ?? null,
      facets: pendingFacets(
        found.facets.then((facets) => ({
          labels: this.named(facets.labels, language),
          parents: this.named(facets.parents, language),
          categories: this.named(facets.categories, language),
          levels: facets.levels.map((b) => ({ level: Number(b.key), count: b.count })),
          exact: facets.exact,
        })),
      ),
    };
  }
}
