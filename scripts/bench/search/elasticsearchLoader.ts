// Puts the synthetic images' documents in the bench's own index (its own prefix, behind its own
// alias, created by the project's ensureImageIndex): bulk requests several at a time, with
// refreshes off, replicas 0 and an async translog while loading; then the index settings are
// restored, it is refreshed and force-merged to one segment.
import type { Client } from '@elastic/elasticsearch';
import {
  aliasTargets,
  ensureImageIndex,
  hasCurrentMapping,
  imageAlias,
  imageIndexName,
  imageIndexSettings,
} from '../../../src/search/imageIndex';
import type { SyntheticDataset } from './syntheticImages';

export interface IndexLoadResult {
  /** false: the index already held this dataset and was reused. */
  loaded: boolean;
  index: string;
  docs: number;
  /** From the first bulk request to the last one acknowledged (documents generated meanwhile). */
  bulkSeconds: number;
  bulkDocsPerSecond: number;
  /** Settings restored, refresh and force-merge. */
  finishSeconds: number;
}

export interface IndexLoadOptions {
  reload?: boolean;
  /** Documents per bulk request. */
  batch?: number;
  /** Bulk requests in flight. */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

const META_KEY = 'benchDataset';

/** The one index behind the bench alias when it has the current mapping and holds this dataset, complete. */
export async function indexWithDataset(client: Client, prefix: string, dataset: SyntheticDataset): Promise<string | null> {
  const targets = await aliasTargets(client, imageAlias(prefix));
  if (targets.length !== 1 || !hasCurrentMapping(prefix, targets[0])) return null;
  const mapping = await client.indices.getMapping({ index: targets[0] });
  if (mapping[targets[0]]?.mappings?._meta?.[META_KEY] !== dataset.key) return null;
  const { count } = await client.count({ index: targets[0] });
  return count === dataset.spec.docs ? targets[0] : null;
}

/** Deletes the bench alias's indices (and a stray current-mapping index of the prefix). */
export async function deleteBenchIndex(client: Client, prefix: string): Promise<void> {
  const stale = new Set([...(await aliasTargets(client, imageAlias(prefix))), imageIndexName(prefix)]);
  for (const index of stale) await client.indices.delete({ index }, { ignore: [404] });
}

async function bulkIndex(client: Client, index: string, operations: object[]): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await client.bulk({ operations, refresh: false });
    if (!response.errors) return;
    const failed = response.items.map((item) => item.index).find((item) => item?.error);
    // Too many requests: the write queue is full; the operations are idempotent (ids), send them again.
    if (failed?.status === 429 && attempt < 10) {
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      continue;
    }
    throw new Error(`bulk indexing into ${index} failed: ${failed?.error?.type}: ${failed?.error?.reason}`);
  }
}

/**
 * Makes the bench index hold exactly this dataset: reused when it already does (unless reload), else
 * rebuilt. The client needs a timeout of minutes (see createSearchClient): at a million documents on
 * 2 cores the refresh and the merge each take that long.
 */
export async function loadElasticsearch(
  client: Client,
  prefix: string,
  dataset: SyntheticDataset,
  options: IndexLoadOptions = {},
): Promise<IndexLoadResult> {
  const { batch = 1000, concurrency = 3 } = options;
  const { docs } = dataset.spec;
  const existing = options.reload ? null : await indexWithDataset(client, prefix, dataset);
  if (existing) return { loaded: false, index: existing, docs, bulkSeconds: 0, bulkDocsPerSecond: 0, finishSeconds: 0 };

  await deleteBenchIndex(client, prefix);
  await ensureImageIndex(client, prefix);
  const [index] = await aliasTargets(client, imageAlias(prefix));
  await client.indices.putSettings({ index, settings: { refresh_interval: '-1', number_of_replicas: 0, 'translog.durability': 'async' } });

  const started = performance.now();
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < docs) {
        const start = next;
        next += batch;
        const operations = dataset
          .images(start, start + batch)
          .flatMap((image) => [{ index: { _index: index, _id: image.id } }, dataset.document(image)]);
        await bulkIndex(client, index, operations);
        done += operations.length / 2;
        options.onProgress?.(done);
      }
    }),
  );
  const bulkSeconds = (performance.now() - started) / 1000;

  const finishing = performance.now();
  await client.indices.putSettings({
    index,
    // Elasticsearch's defaults, which the index was created with.
    settings: { refresh_interval: '1s', number_of_replicas: imageIndexSettings.number_of_replicas, 'translog.durability': 'request' },
  });
  await client.indices.refresh({ index });
  await client.indices.forcemerge({ index, max_num_segments: 1 });
  await client.indices.refresh({ index });
  await client.indices.putMapping({ index, _meta: { [META_KEY]: dataset.key } });
  const { count } = await client.count({ index });
  if (count !== docs) throw new Error(`bench index ${index} holds ${count} documents, expected ${docs}`);
  return {
    loaded: true,
    index,
    docs,
    bulkSeconds,
    bulkDocsPerSecond: docs / bulkSeconds,
    finishSeconds: (performance.now() - finishing) / 1000,
  };
}

/** The index's size on disk (primaries). */
export async function indexBytes(client: Client, index: string): Promise<number> {
  const stats = await client.indices.stats({ index, metric: 'store' });
  return stats._all.primaries?.store?.size_in_bytes ?? 0;
}
