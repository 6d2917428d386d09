import { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { createHash } from 'node:crypto';

// The image index lives behind an alias so that a mapping change can build a new index and swap
// the alias without downtime. Bump MAPPING_VERSION with every mapping change.
export const MAPPING_VERSION = 6;

// Facet fields: their global ordinals are built at refresh, not by the first search after it.
const facetKeyword = { type: 'keyword', eager_global_ordinals: true } as const;

// Image embeddings for semantic search: one dense_vector field per embedding model, under
// `embeddings.<model key>`, mapped by the dynamic template below when the first vector of a model
// arrives, with that vector's length as dims. So the index never depends on which pack is loaded:
// a pack with another model or dimension gets a field of its own, no reindex needed, and vectors of
// different models are never compared. Cosine on L2-normalised vectors; plain HNSW (float), not the
// int8-quantised default, so kNN ranks as the model's own cosine similarities do.
export const EMBEDDINGS = 'embeddings';

/** Per-category scores (see the mapping): `categoryConfidence.<category id>`, `categoryCentricScore.<category id>`. */
export const CATEGORY_CONFIDENCE = 'categoryConfidence';
export const CATEGORY_CENTRIC_SCORE = 'categoryCentricScore';

/** An embedding model's ("name@version") key under `embeddings`: readable, and unique by a hash. */
export function vectorKeyOf(model: string): string {
  const readable = model
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .slice(0, 64);
  return `${readable}-${createHash('sha256').update(model).digest('hex').slice(0, 8)}`;
}

/** The path of an embedding model's vector field, for queries. */
export const vectorFieldOf = (model: string) => `${EMBEDDINGS}.${vectorKeyOf(model)}`;

export const imageIndexMapping = {
  dynamic: 'strict',
  dynamic_templates: [
    {
      image_embeddings: {
        path_match: `${EMBEDDINGS}.*`,
        mapping: { type: 'dense_vector', index: true, similarity: 'cosine', index_options: { type: 'hnsw' } },
      },
    },
    // One field per category (level 1), as labels of a category first arrive: about 30 of each.
    { category_confidence: { path_match: `${CATEGORY_CONFIDENCE}.*`, mapping: { type: 'float' } } },
    { category_centric_score: { path_match: `${CATEGORY_CENTRIC_SCORE}.*`, mapping: { type: 'float' } } },
  ] as estypes.MappingTypeMapping['dynamic_templates'],
  properties: {
    imageId: { type: 'keyword' },
    projectId: { type: 'keyword' },
    projectName: { type: 'keyword' },
    sourceUri: { type: 'keyword' },
    sha256: { type: 'keyword' },
    width: { type: 'integer' },
    height: { type: 'integer' },
    format: { type: 'keyword' },
    bytes: { type: 'long' },
    modelVersion: { type: 'keyword' },
    taxonomyVersion: { type: 'keyword' },
    detectedAt: { type: 'date' },
    createdAt: { type: 'date' },
    // Per label, what filters and sorts need together (a label's own confidence and centric score).
    // Names and aliases are not matched here: free text is resolved to label ids in memory.
    labels: {
      type: 'nested',
      properties: {
        id: { type: 'keyword' },
        level: { type: 'byte' },
        path: { type: 'keyword' },
        confidence: { type: 'float' },
        centricScore: { type: 'float' },
        instanceCount: { type: 'short' },
        // Shown with a hit, never searched: kept in _source only.
        instances: { type: 'object', enabled: false },
      },
    },
    // Per image, flat: facets count images without nested aggregations.
    labelIds: facetKeyword,
    categoryIds: facetKeyword,
    parentIds: facetKeyword,
    labelLevels: { type: 'byte' },
    // Per image and category, the best confidence and centric score of its labels in that category:
    // sorting within a category reads one flat numeric field (which Elasticsearch can skip through)
    // instead of a nested sort over every match's labels (28 ms of 34 for 89,000 matches here).
    [CATEGORY_CONFIDENCE]: { type: 'object', dynamic: true },
    [CATEGORY_CENTRIC_SCORE]: { type: 'object', dynamic: true },
    // The labels' names and aliases in both languages, for readers of the index itself (Kibana, exports).
    labelNames: { type: 'keyword', doc_values: false },
    labelAliases: { type: 'keyword', doc_values: false },
    // What arrives here is mapped by the template above, as a vector; everything else stays strict.
    [EMBEDDINGS]: { type: 'object', dynamic: true },
  },
} as const;

export const imageAlias = (prefix: string) => `${prefix}-images`;
/** Index names: <prefix>-images-v<mapping>, and -g<generation> for those a reindex builds. */
export const imageIndexName = (prefix: string, version = MAPPING_VERSION, generation?: number) =>
  `${prefix}-images-v${version}${generation === undefined ? '' : `-g${generation}`}`;

/** Whether an index (of this prefix) has the current mapping version, whatever its generation. */
export const hasCurrentMapping = (prefix: string, index: string) =>
  index === imageIndexName(prefix) || index.startsWith(`${imageIndexName(prefix)}-g`);

export const imageIndexSettings = { number_of_shards: 1, number_of_replicas: 0 } as const;

export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  return (await client.indices.existsAlias({ name: alias })) ? Object.keys(await client.indices.getAlias({ name: alias })) : [];
}

/** Whether the prefix's alias points at an index of the current mapping version. */
export async function aliasHasCurrentMapping(client: Client, prefix: string): Promise<boolean> {
  return (await aliasTargets(client, imageAlias(prefix))).some((index) => hasCurrentMapping(prefix, index));
}

/**
 * Whether the image alias is at the current mapping, asked at most every `ttlMs`. After an upgrade
 * the older index serves searches until a reindex moves it, and what newer mappings added (the
 * per-category scores) is not there to sort by.
 */
export class MappingCheck {
  private known: { current: boolean; at: number } | null = null;

  constructor(
    private readonly client: Client,
    private readonly prefix: string,
    private readonly ttlMs = 10_000,
  ) {}

  async isCurrent(): Promise<boolean> {
    if (this.known && Date.now() - this.known.at < this.ttlMs) return this.known.current;
    // Elasticsearch unreachable: the search fails on its own; until then, assume the older mapping.
    const current = await aliasHasCurrentMapping(this.client, this.prefix).catch(() => false);
    this.known = { current, at: Date.now() };
    return current;
  }
}

/**
 * Creates the versioned index and points the alias at it. An alias left at an older mapping is
 * moved over when its index is empty; with documents in it, a reindex must move them first.
 */
export async function ensureImageIndex(client: Client, prefix: string): Promise<string> {
  const alias = imageAlias(prefix);
  const index = imageIndexName(prefix);
  const current = await aliasTargets(client, alias);
  if (current.some((name) => hasCurrentMapping(prefix, name))) return alias;
  if (current.length > 0) {
    const { count } = await client.count({ index: alias });
    if (count > 0) {
      throw new Error(
        `Search index ${alias} is at an older mapping (${current.join(', ')}) and holds ${count} documents: run \`npm run reindex\` to move them to ${index}.`,
      );
    }
  }
  try {
    await client.indices.create({ index, settings: imageIndexSettings, mappings: imageIndexMapping });
  } catch (error) {
    // Another instance created it between our check and create: that is the state we wanted.
    if ((error as { body?: { error?: { type?: string } } }).body?.error?.type !== 'resource_already_exists_exception') throw error;
  }
  await moveAlias(client, alias, current, index);
  return alias;
}

/** Points the alias from its old indices to this one in one atomic step, then deletes the old ones. */
export async function moveAlias(client: Client, alias: string, previous: string[], index: string): Promise<void> {
  await client.indices.updateAliases({
    actions: [...previous.map((old) => ({ remove: { index: old, alias } })), { add: { index, alias, is_write_index: true } }],
  });
  for (const old of previous) await client.indices.delete({ index: old }, { ignore: [404] });
}
