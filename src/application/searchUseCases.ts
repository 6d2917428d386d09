import { LabelLanguage } from '../vocabulary';
import type { ProjectService } from '../projects/projectService';
import { checkProjectName } from '../projects/projectRules';
import type { ReindexResult } from '../search/reindex';
import type { ImageSearchService, NamedFacets, SearchImagesRequest } from '../search/imageSearchService';
import type { Taxonomy } from '../taxonomy/taxonomy';
import { ConnectionView, connectionOfEdges } from './connection';
import { ImageView, imageViewOfIndexed } from './imageViews';
import { TaxonomyLabelView, taxonomyLabelView } from './labelUseCases';

/** searchImages' arguments: the filter's fields beside the rest. */
export type SearchInput = Omit<SearchImagesRequest, 'withFacets' | 'withTotal' | keyof SearchFilterInput> & {
  projectName: string;
  filter?: SearchFilterInput | null;
};
export type SearchFilterInput = Pick<
  SearchImagesRequest,
  'allOf' | 'anyOf' | 'noneOf' | 'minConfidence' | 'minCentricScore' | 'minInstances' | 'levels' | 'includeDescendants'
>;

/** A page of matching images, with facets (a promise while Elasticsearch still counts). */
export type SearchView = ConnectionView<ImageView> & { facets: Promise<NamedFacets> };

/** A label's count in a project, with its children's. */
export interface LabelStatView {
  label: TaxonomyLabelView;
  count: number;
  children: LabelStatView[];
}

const mostFirst = (a: LabelStatView, b: LabelStatView) => b.count - a.count || a.label.id.localeCompare(b.label.id);

/** Finding images by their labels, counting labels, and rebuilding the index. */
export class SearchUseCases {
  constructor(
    private readonly imageSearch: ImageSearchService,
    private readonly projects: ProjectService,
    private readonly taxonomy: Taxonomy,
    /** A project's images per label (its documents' label and ancestor ids), from the index. */
    private readonly countLabels: (projectId: string) => Promise<Map<string, number>>,
    /** Rebuilds the search index from Postgres. */
    private readonly rebuild: () => Promise<ReindexResult>,
  ) {}

  /** `reads`: what the caller reads of facets and totals; what it does not read is not computed. */
  async searchImages({ filter, ...input }: SearchInput, reads: { facets: boolean; total: boolean }): Promise<SearchView> {
    const result = await this.imageSearch.searchImages({ ...filter, ...input, withFacets: reads.facets, withTotal: reads.total });
    const edges = result.images.map(({ image, cursor }) => ({ cursor, node: imageViewOfIndexed(image) }));
    return { ...connectionOfEdges(edges, result.hasNextPage, result.endCursor, result.totalCount), facets: result.facets };
  }

  /** A project's label counts as a tree: categories, then their children, most images first. */
  async labelStats(projectName: string, language: LabelLanguage): Promise<LabelStatView[]> {
    const project = await this.projects.get(checkProjectName(projectName, 'projectName'));
    const counts = await this.countLabels(project.id);
    const build = (id: string): LabelStatView => ({
      label: taxonomyLabelView(this.taxonomy.get(id)!, language),
      count: counts.get(id)!,
      children: this.taxonomy
        .children(id)
        .filter((child) => counts.has(child.id))
        .map((child) => build(child.id))
        .sort(mostFirst),
    });
    return this.taxonomy
      .categories()
      .filter((category) => counts.has(category.id))
      .map((category) => build(category.id))
      .sort(mostFirst);
  }

  reindex(): Promise<ReindexResult> {
    return this.rebuild();
  }
}
