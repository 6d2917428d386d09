import { SearchSort } from '../vocabulary';
import type { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { invalidArgument } from '../api/errors';
import { checkPageSize } from '../api/paging';
import type { LabelMatch } from '../taxonomy/labelTextMatcher';
import { countFacets, Facets, NO_FACETS } from './facetCounts';
import { INDEXED_IMAGE_FIELDS, IndexedImage } from './imageDocument';
import { CATEGORY_CENTRIC_SCORE, CATEGORY_CONFIDENCE } from './imageIndex';

export interface LabelFilterIds {
  /** One label of each group (a name several labels share is a group of them; an id, a group of one). */
  allOf: string[][];
  anyOf: string[];
  noneOf: string[];
  minConfidence?: number;
  minCentricScore?: number;
  /** At least this many boxed instances (object labels). */
  minInstances?: number;
  levels?: number[];
  /** Searching a parent finds images labeled with its children (default). */
  includeDescendants: boolean;
}

export interface SearchRequest {
  projectId: string;
  filter: LabelFilterIds;
  /**
   * The labels free text matched (LabelTextMatcher.matchAll), in groups an image must each match
   * (one label of every group), best first; absent without text. An empty group matches nothing.
   */
  textMatches?: LabelMatch[][];
  sort: SearchSort;
  first: number;
  after?: string | null;
  facetSize: number;
  /** Whether to count the facets and every match (default true): a page that shows neither skips both. */
  withFacets?: boolean;
  withTotal?: boolean;
  /** Facets of more matches than about twice this are counted on a sample this size (0: never). */
  facetSampleSize: number;
  /** Those of the filter's labels that are categories (level 1): see labelScoreSort and namedCategoriesOf. */
  namedCategories?: ReadonlySet<string>;
}

/** The labels allOf and anyOf name that are categories (level 1), for SearchRequest.namedCategories. */
export const namedCategoriesOf = (
  filter: Pick<LabelFilterIds, 'allOf' | 'anyOf'>,
  taxonomy: { get(id: string): { level: number } | undefined },
): ReadonlySet<string> => new Set([...filter.allOf.flat(), ...filter.anyOf].filter((id) => taxonomy.get(id)?.level === 1));

export interface SearchResponse {
  /** The page's images as indexed, in order. */
  images: IndexedImage[];
  cursors: string[];
  totalCount: number;
  hasNextPage: boolean;
  facets: Facets;
}

/** A page whose facets are still being counted: the caller can read its images meanwhile. */
export interface SearchPage extends Omit<SearchResponse, 'facets'> {
  facets: Promise<Facets>;
  /** Aborts the facets' requests: for a page its caller will not answer with after all. */
  abandon(): void;
}

/** Facets counted in the background; a failure surfaces where they are awaited, never as unhandled. */
export function pendingFacets<T>(facets: Promise<T>): Promise<T> {
  facets.catch(() => undefined);
  return facets;
}

/** A search's count of matches and its facets, both still under way while its page is read. */
export interface MatchesAndFacets {
  /** Every image the query matches; 0 when neither the total nor the facets are wanted. */
  matches: Promise<number>;
  /** None when the caller does not read them; never an unhandled rejection. */
  facets: Promise<Facets>;
  /** Aborts the count's and the facets' requests (the search failed): Elasticsearch stops counting. */
  abandon(): void;
}

/**
 * The count of a query's matches and, as soon as it arrives (it decides whether they are counted
 * on a sample), its facets: all beside the page, so a search takes about the longer of the page
 * and the facets, not their sum. The keyword and the semantic search share it.
 */
export function countMatchesAndFacets(
  client: Client,
  alias: string,
  query: estypes.QueryDslQueryContainer,
  request: Pick<SearchRequest, 'withFacets' | 'withTotal' | 'facetSize' | 'facetSampleSize'>,
): MatchesAndFacets {
  const abandoned = new AbortController();
  const { signal } = abandoned;
  const matches =
    request.withFacets === false && request.withTotal === false
      ? Promise.resolve(0)
      : client.count({ index: alias, query }, { signal }).then((response) => response.count);
  const facets =
    request.withFacets === false
      ? Promise.resolve(NO_FACETS)
      : matches.then((count) =>
          countFacets(client, alias, query, { facetSize: request.facetSize, matches: count, sampleSize: request.facetSampleSize }, signal),
        );
  // A failed count or facet request stops the other facet request, if it is still counting.
  const stopped = facets.catch((error: unknown) => {
    abandoned.abort();
    throw error;
  });
  return { matches, facets: pendingFacets(stopped), abandon: () => abandoned.abort() };
}

/** The page's own requests; should they fail, the count and facets started beside them are abandoned. */
export async function orAbandon<T>(page: Promise<T>, beside: Pick<MatchesAndFacets, 'abandon'>): Promise<T> {
  try {
    return await page;
  } catch (error) {
    beside.abandon();
    throw error;
  }
}

/** The page with its facets counted. */
export async function settled(page: Promise<SearchPage>): Promise<SearchResponse> {
  // abandon is the page's, not part of the response.
  const { facets, abandon, ...rest } = await page;
  return { ...rest, facets: await facets };
}

/** The nested fields a label is matched on: its own id, and with descendants the ids above it. */
const labelFieldsOf = (filter: LabelFilterIds) => (filter.includeDescendants ? ['labels.id', 'labels.path'] : ['labels.id']);

const hasBounds = (filter: LabelFilterIds) => boundFilters(filter).length > 0;

/**
 * The image has a label matching one of ids (or below it), within the score bounds: one label, or
 * the labels a shared name stands for. Most searches (below a label, no bounds, not ranked by
 * relevance) need no nested join: the flat labelIds field holds every label of an image with all
 * its ancestors, so one term on it finds exactly the images with the label or one below it
 * (searches not yet in Elasticsearch's query cache took 1.14-1.31× less time). Bounds must hold
 * for one and the same label, and RELEVANCE ranks by the labels' confidence (the best matching
 * label's, once): those stay nested.
 */
function labelClause(ids: string[], filter: LabelFilterIds, withBounds: boolean, scored: boolean): estypes.QueryDslQueryContainer {
  const onField = (field: string): estypes.QueryDslQueryContainer =>
    ids.length === 1 ? { term: { [field]: ids[0] } } : { terms: { [field]: ids } };
  if (filter.includeDescendants && !scored && !(withBounds && hasBounds(filter))) return onField('labelIds');
  const fields = labelFieldsOf(filter);
  const matchesLabel: estypes.QueryDslQueryContainer =
    fields.length === 1 ? onField(fields[0]) : { bool: { should: fields.map(onField), minimum_should_match: 1 } };
  // Filters score nothing: a label's score is its confidence alone, never a term statistic of the index.
  const query = withBounds
    ? { bool: { filter: [matchesLabel, ...boundFilters(filter)], must: [CONFIDENCE_SCORE] } }
    : { bool: { filter: [matchesLabel] } };
  return { nested: { path: 'labels', score_mode: 'max', query } };
}

/** The bounds a label itself must be within, on its nested row. */
function boundFilters(filter: LabelFilterIds): estypes.QueryDslQueryContainer[] {
  const clauses: estypes.QueryDslQueryContainer[] = [];
  if (filter.minConfidence !== undefined) clauses.push({ range: { 'labels.confidence': { gte: filter.minConfidence } } });
  if (filter.minCentricScore !== undefined) clauses.push({ range: { 'labels.centricScore': { gte: filter.minCentricScore } } });
  if (filter.minInstances !== undefined) clauses.push({ range: { 'labels.instanceCount': { gte: filter.minInstances } } });
  if (filter.levels?.length) clauses.push({ terms: { 'labels.level': filter.levels } });
  return clauses;
}

/**
 * A label's relevance: its confidence (what RELEVANCE sorts by). Everything else in a query is a
 * filter: a scoring term would add its BM25 weight, which moves with every document indexed, so
 * a RELEVANCE cursor taken before a write elsewhere would start the next page in the wrong place.
 */
const CONFIDENCE_SCORE: estypes.QueryDslQueryContainer = {
  function_score: {
    query: { match_all: {} },
    functions: [{ field_value_factor: { field: 'labels.confidence', missing: 0 } }],
    boost_mode: 'replace',
  },
};

/**
 * Free text, resolved to the labels whose names or aliases it matches: images with any of them
 * (or, as with the label filters, one below them) within the filter's bounds, as anyOf's labels
 * are, each image scored by its best such label, the match's score times the label's confidence.
 * Unranked (any sort but RELEVANCE, the count, the facets) and unbounded, below-the-label matching
 * is one flat terms query on labelIds, as in labelClause.
 */
function textClause(matches: LabelMatch[], filter: LabelFilterIds, scored: boolean): estypes.QueryDslQueryContainer {
  if (matches.length === 0) return { match_none: {} };
  const bounds = boundFilters(filter);
  if (filter.includeDescendants && !scored && bounds.length === 0) return { terms: { labelIds: matches.map((match) => match.id) } };
  const idsByScore = new Map<number, string[]>();
  for (const { id, score } of matches) idsByScore.set(score, [...(idsByScore.get(score) ?? []), id]);
  const should = [...idsByScore].flatMap(([score, ids]) =>
    labelFieldsOf(filter).map((field) => ({ constant_score: { filter: { terms: { [field]: ids } }, boost: score } })),
  );
  const ranked: estypes.QueryDslQueryContainer = {
    function_score: {
      query: { dis_max: { queries: should } },
      functions: [{ field_value_factor: { field: 'labels.confidence', missing: 0 } }],
      boost_mode: 'multiply',
    },
  };
  return { nested: { path: 'labels', score_mode: 'max', query: bounds.length ? { bool: { must: [ranked], filter: bounds } } : ranked } };
}

/** The query; `scored` when the hits are ranked by it (sort RELEVANCE), which needs the nested form. */
export function buildQuery(
  request: Pick<SearchRequest, 'projectId' | 'filter' | 'textMatches'>,
  scored = true,
): estypes.QueryDslQueryContainer {
  const { filter } = request;
  const must: estypes.QueryDslQueryContainer[] = filter.allOf.map((ids) => labelClause(ids, filter, true, scored));
  for (const group of request.textMatches ?? []) must.push(textClause(group, filter, scored));
  const should = filter.anyOf.map((id) => labelClause([id], filter, true, scored));
  const mustNot = filter.noneOf.map((id) => labelClause([id], filter, false, false));
  // Bounds without any label named or matched apply to any label of the image.
  if (!filter.allOf.length && !filter.anyOf.length && !request.textMatches?.length && hasBounds(filter)) {
    must.push({
      nested: { path: 'labels', score_mode: 'max', query: { bool: { filter: boundFilters(filter), must: [CONFIDENCE_SCORE] } } },
    });
  }
  return {
    bool: {
      filter: [{ term: { projectId: request.projectId } }],
      must,
      must_not: mustNot,
      ...(should.length ? { should, minimum_should_match: 1 } : {}),
    },
  };
}

/**
 * A sort by the best confidence (or centric score) of the labels the filter names or the text
 * matched, and those below them, else of all labels; of those within the filter's bounds (levels,
 * minimum scores). Within one category, unbounded, that is its flat per-category score (mapped
 * for this: a numeric sort Elasticsearch can skip through); otherwise a nested sort over each
 * match's labels, about 0.3 µs a match here.
 */
function labelScoreSort(score: 'confidence' | 'centricScore', request: SearchRequest): estypes.SortCombinations {
  const { filter } = request;
  const named = [...filter.allOf.flat(), ...filter.anyOf, ...(request.textMatches ?? []).flat().map((match) => match.id)];
  const bounds = boundFilters(filter);
  if (named.length === 1 && filter.includeDescendants && bounds.length === 0 && request.namedCategories?.has(named[0])) {
    return {
      [`${score === 'confidence' ? CATEGORY_CONFIDENCE : CATEGORY_CENTRIC_SCORE}.${named[0]}`]: { order: 'desc', unmapped_type: 'float' },
    };
  }
  const labels: estypes.QueryDslQueryContainer[] = labelFieldsOf(filter).map((field) => ({ terms: { [field]: named } }));
  const labelFilter: estypes.QueryDslQueryContainer | undefined =
    named.length || bounds.length
      ? { bool: { ...(named.length ? { should: labels, minimum_should_match: 1 } : {}), filter: bounds } }
      : undefined;
  return {
    [`labels.${score}`]: { order: 'desc', mode: 'max', nested: { path: 'labels', ...(labelFilter ? { filter: labelFilter } : {}) } },
  };
}

export function buildSort(request: SearchRequest): estypes.SortCombinations[] {
  // imageId breaks ties, so search_after pages never skip or repeat an image.
  const tiebreak: estypes.SortCombinations = { imageId: 'asc' };
  switch (request.sort) {
    case 'CONFIDENCE':
      return [labelScoreSort('confidence', request), { createdAt: 'desc' }, tiebreak];
    case 'CENTRIC_SCORE':
      return [labelScoreSort('centricScore', request), { createdAt: 'desc' }, tiebreak];
    case 'RELEVANCE':
      return [{ _score: { order: 'desc' } }, { createdAt: 'desc' }, tiebreak];
    default:
      return [{ createdAt: 'desc' }, tiebreak];
  }
}

/**
 * What each sort's search_after values are, in order: a time (epoch ms), a label score (a number,
 * or "-Infinity", which Elasticsearch gives an image with no label to sort by), a relevance score
 * or the imageId tiebreak. A cursor names its sort, so a cursor of another sort, whose values
 * would be read as something else, is refused rather than followed; values of the wrong kind
 * would be refused by Elasticsearch, as an internal error.
 */
type CursorValue = 'time' | 'labelScore' | 'relevance' | 'id';
const CURSOR_SHAPES: Record<SearchSort, readonly CursorValue[]> = {
  CREATED_AT: ['time', 'id'],
  CONFIDENCE: ['labelScore', 'time', 'id'],
  CENTRIC_SCORE: ['labelScore', 'time', 'id'],
  RELEVANCE: ['relevance', 'time', 'id'],
};

function fitsCursor(value: unknown, kind: CursorValue): boolean {
  switch (kind) {
    case 'time':
      return Number.isSafeInteger(value);
    case 'labelScore':
      return Number.isFinite(value) || value === '-Infinity' || value === 'Infinity';
    case 'relevance':
      return Number.isFinite(value);
    case 'id':
      return typeof value === 'string';
  }
}

const encodeAfter = (sort: SearchSort, values: estypes.SortResults) =>
  Buffer.from(JSON.stringify({ sort, after: values })).toString('base64url');

function decodeAfter(after: string, sort: SearchSort): estypes.SortResults {
  const shape = CURSOR_SHAPES[sort];
  try {
    const cursor = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as { sort?: unknown; after?: unknown };
    const values = cursor?.after;
    if (
      cursor?.sort === sort &&
      Array.isArray(values) &&
      values.length === shape.length &&
      values.every((value, i) => fitsCursor(value, shape[i]))
    ) {
      return values as estypes.SortResults;
    }
  } catch {
    // fall through
  }
  throw invalidArgument(`after is not a cursor this search returned with sort ${sort}.`, 'after');
}

/**
 * A hit of a request that asked for INDEXED_IMAGE_FIELDS. Source filtering by sub-field drops an
 * empty list altogether, so an image without labels comes back without `labels`.
 */
export function indexedImageOf(hit: estypes.SearchHit): IndexedImage {
  const source = hit._source as Omit<IndexedImage, 'labels'> & Partial<Pick<IndexedImage, 'labels'>>;
  return { ...source, labels: source.labels ?? [] };
}

/**
 * The page's request: query, sort and page. It never counts every match (countMatchesAndFacets
 * does, beside it), so Elasticsearch can stop early once the page is certain (sorted by time or id).
 */
export function buildSearchRequest(alias: string, request: SearchRequest): estypes.SearchRequest {
  const first = checkPageSize(request.first);
  const sort = buildSort(request);
  return {
    index: alias,
    query: buildQuery(request, request.sort === 'RELEVANCE'),
    sort,
    size: first + 1,
    track_total_hits: false,
    _source: [...INDEXED_IMAGE_FIELDS],
    ...(request.after ? { search_after: decodeAfter(request.after, request.sort) } : {}),
  };
}

/**
 * A label search on the image alias: the page (its images as indexed) with the total, then the
 * facets (which count images, not label rows, and honour the filter), which it leaves counting.
 * Four requests: the page, and beside it the count of matches followed by the facets in two halves.
 * Counting and faceting need no ranking, so they take the unscored (mostly flat) form of the query.
 * `npm run bench:search` runs this (through searchImages) as its raw path.
 */
export async function searchImagePage(client: Client, alias: string, request: SearchRequest): Promise<SearchPage> {
  const first = checkPageSize(request.first);
  const page = buildSearchRequest(alias, request);
  const unscored = buildQuery(request, false);
  const beside = countMatchesAndFacets(client, alias, unscored, request);
  // The page does not wait for a count only the facets need.
  const [response, counted] = await orAbandon(Promise.all([client.search(page), request.withTotal === false ? 0 : beside.matches]), beside);
  const hits = response.hits.hits.slice(0, first);
  const hasNextPage = response.hits.hits.length > first;
  return {
    images: hits.map(indexedImageOf),
    cursors: hits.map((hit) => encodeAfter(request.sort, hit.sort!)),
    totalCount: reconciledTotal(counted, hits.length, !request.after && !hasNextPage),
    hasNextPage,
    facets: beside.facets,
    abandon: beside.abandon,
  };
}

/**
 * The count and the page are two requests, and the index may refresh between them: a total never
 * below what the page shows, and exactly the page when the first page holds every match.
 */
export const reconciledTotal = (counted: number, shown: number, pageHoldsAll: boolean): number =>
  pageHoldsAll ? shown : Math.max(counted, shown);

/** searchImagePage with its facets counted. */
export const searchImages = (client: Client, alias: string, request: SearchRequest): Promise<SearchResponse> =>
  settled(searchImagePage(client, alias, request));
