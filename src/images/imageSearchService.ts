import type { Client } from '@elastic/elasticsearch';
import { invalidArgument } from '../errors';
import type { DetectionTaxonomy } from '../detection/labelDetector';
import type { LabelLanguage } from '../detection/labelAssembler';
import type { ImageRepository, ImageWithLabels } from '../persistence/imageRepository';
import type { ProjectRepository } from '../persistence/projectRepository';
import { checkProjectName, checkThreshold } from '../projects/projectRules';
import { FacetBucket, searchImages, SearchSort } from '../search/imageSearch';

export interface SearchImagesRequest {
  projectName?: string | null;
  text?: string | null;
  allOf?: string[] | null;
  anyOf?: string[] | null;
  noneOf?: string[] | null;
  minConfidence?: number | null;
  minCentricScore?: number | null;
  levels?: number[] | null;
  includeDescendants?: boolean | null;
  sort?: SearchSort | null;
  first?: number | null;
  after?: string | null;
  language?: LabelLanguage | null;
  facetSize?: number | null;
}

export interface NamedFacet {
  labelId: string;
  name: string;
  count: number;
}

export interface SearchImagesResult {
  images: { image: ImageWithLabels; cursor: string }[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  facets: { labels: NamedFacet[]; parents: NamedFacet[]; categories: NamedFacet[]; levels: { level: number; count: number }[] };
}

const MAX_FILTER_LABELS = 50;
const MAX_FACET_SIZE = 2000;

/**
 * Label search: names (either language, aliases too) become taxonomy ids, Elasticsearch finds and
 * counts, Postgres (the source of truth) supplies the images, in Elasticsearch's order.
 */
export class ImageSearchService {
  constructor(
    private readonly search: Client,
    private readonly alias: string,
    private readonly projects: ProjectRepository,
    private readonly images: ImageRepository,
    private readonly taxonomy: DetectionTaxonomy,
  ) {}

  private resolveAll(field: string, names: string[] | null | undefined): string[] {
    const list = names ?? [];
    if (list.length > MAX_FILTER_LABELS) throw invalidArgument(`${field} may name at most ${MAX_FILTER_LABELS} labels.`, field);
    return list.map((name) => {
      const id = this.taxonomy.resolve(name);
      if (!id) throw invalidArgument(`${field}: "${name}" is not a label in taxonomy ${this.taxonomy.version}.`, field);
      return id;
    });
  }

  private named(buckets: FacetBucket[], language: LabelLanguage): NamedFacet[] {
    return buckets.filter((b) => this.taxonomy.get(b.key)).map((b) => ({ labelId: b.key, name: this.taxonomy.name(b.key, language), count: b.count }));
  }

  async searchImages(request: SearchImagesRequest): Promise<SearchImagesResult> {
    const filter = {
      allOf: this.resolveAll('allOf', request.allOf),
      anyOf: this.resolveAll('anyOf', request.anyOf),
      noneOf: this.resolveAll('noneOf', request.noneOf),
      minConfidence: checkThreshold(request.minConfidence, 'minConfidence'),
      minCentricScore: checkThreshold(request.minCentricScore, 'minCentricScore'),
      levels: request.levels ?? undefined,
      includeDescendants: request.includeDescendants ?? true,
    };
    if (filter.levels?.some((level) => ![1, 2, 3].includes(level))) throw invalidArgument('levels may contain only 1, 2 and 3.', 'levels');
    const facetSize = request.facetSize ?? 20;
    if (!Number.isInteger(facetSize) || facetSize < 1 || facetSize > MAX_FACET_SIZE) throw invalidArgument(`facetSize must be between 1 and ${MAX_FACET_SIZE}.`, 'facetSize');
    const text = request.text?.trim() || undefined;
    if (text && text.length > 200) throw invalidArgument('text must be at most 200 characters.', 'text');
    const project = await this.projects.getByName(checkProjectName(request.projectName, 'projectName'));

    const found = await searchImages(this.search, this.alias, {
      projectId: project.id,
      filter,
      text,
      sort: request.sort ?? 'CREATED_AT',
      first: request.first ?? 20,
      after: request.after,
      facetSize,
    });
    const images = await this.images.getMany(found.imageIds);
    const cursorOf = new Map(found.imageIds.map((id, i) => [id, found.cursors[i]]));
    const language = request.language ?? 'zh-Hans';
    return {
      images: images.map((image) => ({ image, cursor: cursorOf.get(image.id)! })),
      totalCount: found.totalCount,
      hasNextPage: found.hasNextPage,
      endCursor: found.cursors.at(-1) ?? null,
      facets: {
        labels: this.named(found.facets.labels, language),
        parents: this.named(found.facets.parents, language),
        categories: this.named(found.facets.categories, language),
        levels: found.facets.levels.map((b) => ({ level: Number(b.key), count: b.count })),
      },
    };
  }
}
