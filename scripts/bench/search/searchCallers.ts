// The ways the bench sends a search: through the gateway (GraphQL over HTTP, as a client would,
// with the admin API key) and straight to Elasticsearch with the request the gateway builds. Both
// go through undici's connection pool (the Elasticsearch client's own HTTP client), so neither
// side's time includes a heavier client: Node's fetch added about 1.5 ms per request here.
import type { Client } from '@elastic/elasticsearch';
import { Pool } from 'undici';
import { searchImages } from '../../../src/search/imageSearch';
import { BenchQuery, graphqlVariables, SEARCH_DOCUMENT, searchRequest, SearchVocabulary } from './benchQueries';

/** What a search found: the total, the page's image ids in order, and the label facet. */
export interface Found {
  totalCount: number;
  imageIds: string[];
  facetsExact: boolean;
  /** "label id:count", as counted. */
  labelFacet: string[];
}

export type SearchCall = () => Promise<Found>;

/** A keep-alive connection pool to the gateway; close it when done. */
export const gatewayPool = (url: string) => new Pool(url, { connections: 4 });

export function viaGateway(gateway: Pool, apiKey: string, query: BenchQuery, projectName: string): SearchCall {
  const body = JSON.stringify({ query: SEARCH_DOCUMENT, variables: graphqlVariables(query, projectName) });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  return async () => {
    const response = await gateway.request({ path: '/graphql', method: 'POST', headers, body });
    const result = (await response.body.json()) as {
      data?: {
        searchImages?: {
          totalCount: number;
          nodes: { id: string }[];
          facets: { exact: boolean; labels: { labelId: string; count: number }[] };
        };
      };
      errors?: { message: string }[];
    };
    const found = result.data?.searchImages;
    if (response.statusCode !== 200 || result.errors || !found) {
      throw new Error(`gateway search "${query.name}" failed (HTTP ${response.statusCode}): ${result.errors?.[0]?.message ?? 'no data'}`);
    }
    return {
      totalCount: found.totalCount,
      imageIds: found.nodes.map((node) => node.id),
      facetsExact: found.facets.exact,
      labelFacet: found.facets.labels.map((b) => `${b.labelId}:${b.count}`),
    };
  };
}

/** The gateway's Elasticsearch requests (the page, and beside it the count, then the facets), sent by the same code. */
export function rawElasticsearch(
  client: Client,
  alias: string,
  query: BenchQuery,
  projectId: string,
  vocabulary: SearchVocabulary,
  facetSampleSize: number,
): SearchCall {
  const request = searchRequest(query, projectId, vocabulary, facetSampleSize);
  return async () => {
    const found = await searchImages(client, alias, request);
    return {
      totalCount: found.totalCount,
      imageIds: found.images.map((image) => image.imageId),
      facetsExact: found.facets.exact,
      labelFacet: found.facets.labels.map((b) => `${b.key}:${b.count}`),
    };
  };
}
