import type { Client } from '@elastic/elasticsearch';

/** Images per label id (ancestors included) in one project, counted from the flat labelIds field. */
export async function labelCounts(client: Client, alias: string, projectId: string, maxLabels: number): Promise<Map<string, number>> {
  const response = await client.search({
    index: alias,
    size: 0,
    query: { term: { projectId } },
    aggs: { labels: { terms: { field: 'labelIds', size: maxLabels } } },
  });
  const buckets = (response.aggregations?.labels as { buckets: { key: string; doc_count: number }[] }).buckets;
  return new Map(buckets.map((b) => [b.key, b.doc_count]));
}
