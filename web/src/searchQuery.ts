/** What the page searches for, and the GraphQL it sends for it (the GraphiQL link sends the same). */

export type Language = 'ZH_HANS' | 'EN';

export interface SearchState {
  project: string;
  text: string;
  /** Label ids every image must have (a facet clicked). */
  include: string[];
  /** Label ids no image may have (a facet alt-clicked). */
  exclude: string[];
  minConfidence: number;
  levels: number[];
  language: Language;
}

export const EMPTY_SEARCH: SearchState = {
  project: '',
  text: '',
  include: [],
  exclude: [],
  minConfidence: 0,
  levels: [],
  language: 'ZH_HANS',
};

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ImageLabel {
  labelId: string;
  labelName: string;
  labelConfidence: number;
  labelLevel: number;
  instances?: { boundingBox: Box | null }[];
}

export interface ImageHit {
  id: string;
  sourceURI: string;
  width: number;
  height: number;
  thumbnailUrl: string;
  labels: ImageLabel[];
}

export interface Facet {
  labelId: string;
  name: string;
  count: number;
}

export interface SearchPage {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ImageHit[];
  facets?: { categories: Facet[]; labels: Facet[]; levels: { level: number; count: number }[]; exact: boolean };
}

/** Labels carry object boxes only where the server has them (DetectedLabel.instances); the page asks for them then. */
const INSTANCES = 'instances { boundingBox { left top width height } }';

/** The first page (with the total and the facets), or a next one (without: they do not change). */
export function searchDocument(options: { firstPage: boolean; withBoxes: boolean }): string {
  const labelFields = `labelId labelName labelConfidence labelLevel${options.withBoxes ? ` ${INSTANCES}` : ''}`;
  const counts = options.firstPage
    ? ' totalCount facets { categories { labelId name count } labels { labelId name count } levels { level count } exact }'
    : '';
  return `query Search($projectName: String!, $text: String, $filter: SearchImagesFilter, $first: Int, $after: String, $language: LabelLanguage) {
  searchImages(projectName: $projectName, text: $text, filter: $filter, first: $first, after: $after, language: $language, facetSize: 15) {
    pageInfo { hasNextPage endCursor }
    nodes { id sourceURI width height thumbnailUrl(size: 256) labels(language: $language) { ${labelFields} } }${counts}
  }
}`;
}

export function searchVariables(state: SearchState, first: number, after: string | null = null): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (state.include.length) filter.allOf = state.include;
  if (state.exclude.length) filter.noneOf = state.exclude;
  if (state.minConfidence > 0) filter.minConfidence = state.minConfidence;
  if (state.levels.length) filter.levels = state.levels;
  return {
    projectName: state.project,
    text: state.text.trim() || null,
    filter: Object.keys(filter).length ? filter : null,
    first,
    after,
    language: state.language,
  };
}

/** GraphiQL (served by the gateway) opened on the same query; it reads the fragment, which never reaches a server. */
export function graphiqlLink(state: SearchState, first: number, withBoxes: boolean): string {
  const params = new URLSearchParams({
    query: searchDocument({ firstPage: true, withBoxes }),
    variables: JSON.stringify(searchVariables(state, first), null, 2),
  });
  return `/graphql#${params}`;
}

/** Clicking a facet includes its label; alt-click excludes it; clicking it again clears either. */
export function toggleFacet(state: SearchState, labelId: string, exclude: boolean): SearchState {
  const without = (list: string[]) => list.filter((id) => id !== labelId);
  const wasIncluded = state.include.includes(labelId);
  const wasExcluded = state.exclude.includes(labelId);
  if (exclude)
    return { ...state, include: without(state.include), exclude: wasExcluded ? without(state.exclude) : [...state.exclude, labelId] };
  return { ...state, exclude: without(state.exclude), include: wasIncluded ? without(state.include) : [...state.include, labelId] };
}

/**
 * A box as a percentage of the image, whichever way the server gives it: fractions of the image
 * (0..1), or pixels of the stored image.
 */
export function boxPercent(box: Box, imageWidth: number, imageHeight: number): Box {
  const fractions = box.left <= 1 && box.top <= 1 && box.width <= 1 && box.height <= 1;
  const [w, h] = fractions ? [1, 1] : [imageWidth, imageHeight];
  const clamp = (value: number) => Math.min(100, Math.max(0, value));
  return {
    left: clamp((box.left / w) * 100),
    top: clamp((box.top / h) * 100),
    width: clamp((box.width / w) * 100),
    height: clamp((box.height / h) * 100),
  };
}
