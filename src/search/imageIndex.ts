import { Client } from '@elastic/elasticsearch';

// The image index lives behind an alias so that a mapping change can build a new index and swap
// the alias without downtime. Bump MAPPING_VERSION with every mapping change.
export const MAPPING_VERSION = 2;

// Names are matched with the standard analyzer: this Elasticsearch ships no ICU/smartcn/cjk
// analysis, and standard splits Chinese into single characters, which phrase queries reassemble.
const text = { type: 'text', analyzer: 'standard', fields: { raw: { type: 'keyword', ignore_above: 256 } } } as const;

export const imageIndexMapping = {
  dynamic: 'strict',
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
    labels: {
      type: 'nested',
      properties: {
        id: { type: 'keyword' },
        nameEn: text,
        nameZhHans: text,
        level: { type: 'byte' },
        parentId: { type: 'keyword' },
        path: { type: 'keyword' },
        aliasesEn: text,
        aliasesZhHans: text,
        confidence: { type: 'float' },
        centricScore: { type: 'float' },
      },
    },
    labelIds: { type: 'keyword' },
    categoryIds: { type: 'keyword' },
  },
} as const;

export const imageAlias = (prefix: string) => `${prefix}-images`;
/** Index names: <prefix>-images-v<mapping>, and -g<generation> for those a reindex builds. */
export const imageIndexName = (prefix: string, version = MAPPING_VERSION, generation?: number) =>
  `${prefix}-images-v${version}${generation === undefined ? '' : `-g${generation}`}`;

/** Whether an index (of this prefix) has the current mapping version, whatever its generation. */
export const hasCurrentMapping = (prefix: string, index: string) => index === imageIndexName(prefix) || index.startsWith(`${imageIndexName(prefix)}-g`);

export const imageIndexSettings = { number_of_shards: 1, number_of_replicas: 0 } as const;

export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  return (await client.indices.existsAlias({ name: alias })) ? Object.keys(await client.indices.getAlias({ name: alias })) : [];
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
      throw new Error(`Search index ${alias} is at an older mapping (${current.join(', ')}) and holds ${count} documents: run \`npm run reindex\` to move them to ${index}.`);
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
