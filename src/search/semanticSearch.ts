import type { Client, estypes } from '@elastic/elasticsearch';
import { invalidArgument } from '../api/errors';
import { checkPageSize } from '../api/paging';
import { INDEXED_IMAGE_FIELDS } from './imageDocument';
import {
  buildQuery,
  countMatchesAndFacets,
  indexedImageOf,
  orAbandon,
  reconciledTotal,
  SearchPage,
  SearchRequest,
  SearchResponse,
  settled,
} from './imageSearch';

/** How deep semantic results page: the nearest this many images at most. */
export const SEMANTIC_MAX_RESULTS = 1000;
// HNSW candidates per shard: twice the neighbours wanted (better recall), within Elasticsearch's limit.
const MIN_CANDIDATES = 100;
const MAX_CANDIDATES = 10_000;

export interface SemanticSearchRequest extends Omit<SearchRequest, 'textMatches' | 'sort'> {
  /** The vector field of the query's embedding model (vectorFieldOf). */
  field: string;
  /** The query text's embedding, L2-normalised. */
  vector: number[];
}

// kNN has no search_after: a page is the k = offset + first + 1 nearest, from the offset on, and
// the cursor is that offset. An image indexed between two pages can shift the ranking by one.
const encodeOffset = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');

function decodeOffset(after: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as { offset?: unknown };
    if (Number.isInteger(offset) && (offset as number) >= 0 && (offset as number) <= SEMANTIC_MAX_RESULTS) return offset as number;
  } catch {
    // fall through
  }
  throw invalidArgument('after is not a cursor this search returned (or the mode changed).', 'after');
}

/**
 * Ranks images by the cosine similarity of their embedding to the query's (top-level kNN). The label
 * filters and the project are the kNN filter, plus "has a vector of this model": images detected
 * by other packs, or by another dual encoder, are not compared. totalCount and the facets count
 * every image that filter admits (all of them are ranked; paging reaches the nearest
 * SEMANTIC_MAX_RESULTS), the same counts on every page.
 */
export async function semanticSearchPage(client: Client, alias: string, request: SemanticSearchRequest): Promise<SearchPage> {
  const first = checkPageSize(request.first);
  const offset = request.after ? decodeOffset(request.after) : 0;
  const k = Math.min(offset + first + 1, SEMANTIC_MAX_RESULTS);
  const filter: estypes.QueryDslQueryContainer = { bool: { filter: [buildQuery(request, false), { exists: { field: request.field } }] } };
  const beside = countMatchesAndFacets(client, alias, filter, request);
  const [nearest, counted] = await orAbandon(
    Promise.all([
      client.search({
        index: alias,
        knn: {
          field: request.field,
          query_vector: request.vector,
          k,
          num_candidates: Math.min(MAX_CANDIDATES, Math.max(MIN_CANDIDATES, 2 * k)),
          filter,
        },
        from: offset,
        size: Math.max(0, k - offset),
        // Equal similarity (the same picture twice) is broken by image id, so pages stay stable.
        sort: [{ _score: { order: 'desc' } }, { imageId: 'asc' }],
        _source: [...INDEXED_IMAGE_FIELDS],
      }),
      request.withTotal === false ? 0 : beside.matches,
    ]),
    beside,
  );
  const hits = nearest.hits.hits.slice(0, first);
  return {
    images: hits.map(indexedImageOf),
    cursors: hits.map((_, i) => encodeOffset(offset + i + 1)),
    // Paging stops at SEMANTIC_MAX_RESULTS, so a last page does not tell the total: never below what was shown.
    totalCount: reconciledTotal(counted, offset + hits.length, false),
    hasNextPage: nearest.hits.hits.length > first,
    facets: beside.facets,
    abandon: beside.abandon,
  };
}

/** semanticSearchPage with its facets counted. */
export const semanticSearch = (client: Client, alias: string, request: SemanticSearchRequest): Promise<SearchResponse> =>
  settled(semanticSearchPage(client, alias, request));
