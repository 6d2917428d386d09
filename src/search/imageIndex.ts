import { Client } from '@elastic/elasticsearch';

// The image index lives behind an alias so that a mapping change can build a new index and swap
// the alias without downtime. Bump MAPPING_VERSION with every mapping change.
export const MAPPING_VERSION = 1;

export const imageIndexMapping = {
  dynamic: 'strict',
  properties: {
    projectId: { type: 'keyword' },
    projectName: { type: 'keyword' },
    sourceUri: { type: 'keyword' },
    createdAt: { type: 'date' },
  },
} as const;

export const imageAlias = (prefix: string) => `${prefix}-images`;
export const imageIndexName = (prefix: string, version = MAPPING_VERSION) => `${prefix}-images-v${version}`;

/** Creates the versioned index and points the alias at it, unless the alias already exists. */
export async function ensureImageIndex(client: Client, prefix: string): Promise<string> {
  const alias = imageAlias(prefix);
  if (await client.indices.existsAlias({ name: alias })) return alias;
  const index = imageIndexName(prefix);
  try {
    await client.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0 },
      mappings: imageIndexMapping,
      aliases: { [alias]: { is_write_index: true } },
    });
  } catch (error) {
    // Another instance created it between our check and create: that is the state we wanted.
    if ((error as { body?: { error?: { type?: string } } }).body?.error?.type !== 'resource_already_exists_exception') throw error;
  }
  return alias;
}
