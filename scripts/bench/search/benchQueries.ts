// The representative searches, each defined once and turned into both what a GraphQL client sends
// and the SearchRequest the gateway builds from it (labels named by taxonomy id, which the gateway
// resolves to themselves; every argument explicit, so no default differs between the two).
import { SearchSort } from '../../../src/vocabulary';
import { MAX_TEXT_LABELS } from '../../../src/search/imageSearchService';
import { namedCategoriesOf, SearchRequest } from '../../../src/search/imageSearch';
import type { LabelTextMatcher } from '../../../src/taxonomy/labelTextMatcher';
import type { Taxonomy } from '../../../src/taxonomy/taxonomy';

export interface BenchQuery {
  name: string;
  text?: string;
  allOf?: string[];
  anyOf?: string[];
  noneOf?: string[];
  minConfidence?: number;
  includeDescendants: boolean;
  sort: SearchSort;
}

export const PAGE_SIZE = 20;
export const FACET_SIZE = 20;

export const BENCH_QUERIES: readonly BenchQuery[] = [
  { name: 'one popular label', allOf: ['woman'], includeDescendants: true, sort: 'CREATED_AT' },
  { name: 'allOf two labels', allOf: ['man', 'car'], includeDescendants: true, sort: 'CONFIDENCE' },
  { name: 'anyOf + noneOf', anyOf: ['beach', 'sea', 'sunset'], noneOf: ['person'], includeDescendants: true, sort: 'CREATED_AT' },
  { name: 'category + descendants', allOf: ['animal'], includeDescendants: true, sort: 'CONFIDENCE' },
  { name: 'text, English', text: 'blue sky', includeDescendants: true, sort: 'CREATED_AT' },
  { name: 'text, Chinese', text: '海滩', includeDescendants: true, sort: 'CREATED_AT' },
  { name: 'label + minConfidence', allOf: ['child'], minConfidence: 0.8, includeDescendants: true, sort: 'CONFIDENCE' },
  { name: 'whole project, newest', includeDescendants: true, sort: 'CREATED_AT' },
];

/** What a client asks for: the page's images with their labels (as indexed) and every facet. */
export const SEARCH_DOCUMENT = `query BenchSearch($p: String!, $filter: SearchImagesFilter, $text: String, $sort: SearchSort, $first: Int, $facetSize: Int) {
  searchImages(projectName: $p, filter: $filter, text: $text, sort: $sort, first: $first, facetSize: $facetSize, language: EN) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id sourceURI width height labels(language: EN) { labelId labelName labelConfidence centricScore } }
    facets { exact labels { labelId name count } categories { labelId name count } parents { labelId name count } levels { level count } }
  }
}`;

export function graphqlVariables(query: BenchQuery, projectName: string): Record<string, unknown> {
  return {
    p: projectName,
    filter: {
      allOf: query.allOf ?? [],
      anyOf: query.anyOf ?? [],
      noneOf: query.noneOf ?? [],
      ...(query.minConfidence !== undefined ? { minConfidence: query.minConfidence } : {}),
      includeDescendants: query.includeDescendants,
    },
    text: query.text ?? null,
    sort: query.sort,
    first: PAGE_SIZE,
    facetSize: FACET_SIZE,
  };
}

/** What the gateway reads of the taxonomy to build a search: its text matcher and the labels' levels. */
export interface SearchVocabulary {
  textMatcher: LabelTextMatcher;
  taxonomy: Pick<Taxonomy, 'get'>;
}

/** The request the gateway builds, its text resolved to labels by the same matcher, its facets sampled alike. */
export function searchRequest(query: BenchQuery, projectId: string, vocabulary: SearchVocabulary, facetSampleSize: number): SearchRequest {
  const { textMatcher, taxonomy } = vocabulary;
  const filter = {
    // The gateway's groups: each id alone (no bench label shares its name).
    allOf: (query.allOf ?? []).map((id) => [id]),
    anyOf: query.anyOf ?? [],
    noneOf: query.noneOf ?? [],
    minConfidence: query.minConfidence,
    includeDescendants: query.includeDescendants,
  };
  return {
    projectId,
    filter,
    textMatches: query.text === undefined ? undefined : textMatcher.matchAll(query.text, MAX_TEXT_LABELS),
    sort: query.sort,
    first: PAGE_SIZE,
    facetSize: FACET_SIZE,
    facetSampleSize,
    namedCategories: namedCategoriesOf(filter, taxonomy),
  };
}
