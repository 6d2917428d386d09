// The ways the bench sends a search: through the gateway (GraphQL over HTTP, as a client would,
// with the admin API key), straight to Elasticsearch with the request the gateway builds, and the
// gateway's hydration step alone (the page's images and labels read from Postgres).
import type { Client } from '@elastic/elasticsearch';
import type { ImageRepository } from '../../../src/persistence/imageRepository';
import { buildSearchRequest } from '../../../src/search/imageSearch';
import type { LabelTextMatcher } from '../../../src/taxonomy/labelTextMatcher';
import { BenchQuery, graphqlVariables, PAGE_SIZE, SEARCH_DOCUMENT, searchRequest } from './benchQueries';

/** What a search found: the total and the page's image ids, in order. */
export interface Found {
  totalCount: number;
  imageIds: string[];
}

export type SearchCall = () => Promise<Found>;

export function viaGateway(url: string, apiKey: string, query: BenchQuery, projectName: string): SearchCall {
  const body = JSON.stringify({ query: SEARCH_DOCUMENT, variables: graphqlVariables(query, projectName) });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  return async () => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
    const result = (await response.json()) as { data?: { searchImages?: { totalCount: number; nodes: { id: string }[] } }; errors?: { message: string }[] };
    const found = result.data?.searchImages;
    if (!response.ok || result.errors || !found) {
      throw new Error(`gateway search "${query.name}" failed (HTTP ${response.status}): ${result.errors?.[0]?.message ?? 'no data'}`);
    }
    return { totalCount: found.totalCount, imageIds: found.nodes.map((node) => node.id) };
  };
}

export function rawElasticsearch(client: Client, alias: string, query: BenchQuery, projectId: string, textMatcher: LabelTextMatcher): SearchCall {
  const body = buildSearchRequest(alias, searchRequest(query, projectId, textMatcher));
  return async () => {
    const response = await client.search<{ imageId: string }>(body);
    const { total } = response.hits;
    return {
      totalCount: typeof total === 'number' ? total : (total?.value ?? 0),
      imageIds: response.hits.hits.slice(0, PAGE_SIZE).map((hit) => hit._source!.imageId),
    };
  };
}

/** The gateway's Postgres step for one page: what a search through GraphQL adds besides HTTP and GraphQL. */
export function hydration(images: ImageRepository, imageIds: string[]): () => Promise<unknown> {
  return () => images.getMany(imageIds);
}
