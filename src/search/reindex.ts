import type { Client } from '@elastic/elasticsearch';
import type { PrismaClient } from '@prisma/client';
import { Client as PgClient } from 'pg';
import { ApiError } from '../api/errors';
import { OUTBOX_DELETE, OUTBOX_UPSERT } from '../persistence/imageRecords';
import { documentOfStored, DocumentTaxonomy, INDEXED_IMAGE_INCLUDE } from './imageDocument';
import { aliasTargets, imageAlias, imageIndexMapping, imageIndexName, imageIndexSettings, moveAlias } from './imageIndex';

const BATCH = 500;
/** The advisory lock's first key (the second is the index prefix's hash): "LGRI". */
const REINDEX_LOCK_CLASS = 0x4c475249;

export interface ReindexProgress {
  done: number;
  total: number;
}

export interface ReindexResult {
  index: string;
  previous: string[];
  documents: number;
  /** Images changed or deleted while copying, queued for the relay to bring up to date. */
  requeued: number;
  tookMs: number;
}

/** Where a reindex reads and writes: Postgres (through Prisma, and its URL for the lock) and Elasticsearch. */
export interface ReindexStores {
  prisma: PrismaClient;
  search: Client;
  databaseUrl: string;
}

/**
 * Rebuilds the image index from Postgres (the source of truth) into a new index with the current
 * mapping, then swaps the alias in one step: searches never see an empty or half-built index.
 * What changed while copying is queued in the outbox afterwards, so the relay brings the new index
 * up to date. Running it twice just builds another generation; running it while another reindex
 * of the same index is copying (from any process) is refused with OperationConflict: both would
 * make themselves the alias's write index. A run that fails leaves the alias where it was and
 * deletes what it built; one that succeeds also deletes what an interrupted run left behind.
 */
export async function reindexImages(
  stores: ReindexStores,
  prefix: string,
  taxonomy: DocumentTaxonomy,
  onProgress: (progress: ReindexProgress) => void = () => undefined,
): Promise<ReindexResult> {
  return withReindexLock(stores.databaseUrl, prefix, () => rebuild(stores.prisma, stores.search, prefix, taxonomy, onProgress));
}

/**
 * Runs `work` holding the prefix's reindex lock: a Postgres session advisory lock on a connection
 * of its own, which goes with the connection should the process die (no transaction is held open
 * for the copy's minutes or hours, so no transaction timeout can end it early).
 */
export async function withReindexLock<T>(databaseUrl: string, prefix: string, work: () => Promise<T>): Promise<T> {
  const session = new PgClient({ connectionString: databaseUrl, keepAlive: true });
  // A dropped connection also drops the lock; the error is the copy's to notice, not the process's.
  session.on('error', () => undefined);
  await session.connect();
  try {
    const { rows } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [
      REINDEX_LOCK_CLASS,
      prefix,
    ]);
    if (!rows[0].locked)
      throw new ApiError(
        'OperationConflict',
        `A reindex of ${imageAlias(prefix)} is already running; run it again once that one has finished.`,
      );
    return await work();
  } finally {
    // Closing the session releases the lock.
    await session.end().catch(() => undefined);
  }
}

/** Deletes the prefix's image indices that no alias points to: what an interrupted reindex left. */
async function deleteStrayGenerations(client: Client, prefix: string, keep: string): Promise<void> {
  const indices = Object.keys(await client.indices.get({ index: `${prefix}-images-v*`, expand_wildcards: ['open', 'closed'] }));
  const serving = new Set(await aliasTargets(client, imageAlias(prefix)));
  for (const index of indices) {
    if (index !== keep && !serving.has(index) && /-g\d+$/.test(index)) await client.indices.delete({ index }, { ignore: [404] });
  }
}

async function rebuild(
  prisma: PrismaClient,
  client: Client,
  prefix: string,
  taxonomy: DocumentTaxonomy,
  onProgress: (progress: ReindexProgress) => void,
): Promise<ReindexResult> {
  const started = Date.now();
  const index = await createGeneration(client, prefix, started);
  let copied = 0;
  try {
    const total = await prisma.image.count();
    onProgress({ done: 0, total });
    let after: string | null = null;
    for (
      let page = await copyPage(prisma, client, index, taxonomy, after);
      page;
      page = await copyPage(prisma, client, index, taxonomy, after)
    ) {
      copied += page.copied;
      after = page.lastId;
      onProgress({ done: copied, total });
    }
  } catch (error) {
    // Nothing points to the new index yet: the alias still serves the old one.
    await dropGeneration(client, index);
    throw error;
  }
  const { previous, requeued } = await serveGeneration(prisma, client, prefix, index, new Date(started));
  return { index, previous, documents: copied, requeued, tookMs: Date.now() - started };
}

/** Creates the next generation of the prefix's image index, empty, with the current mapping; returns its name. */
export async function createGeneration(client: Client, prefix: string, started = Date.now()): Promise<string> {
  const index = imageIndexName(prefix, undefined, started);
  // No refreshes while bulk loading; serving it refreshes once.
  await client.indices.create({ index, settings: { ...imageIndexSettings, refresh_interval: '-1' }, mappings: imageIndexMapping });
  return index;
}

/** Whether a generation a reindex began is still there to resume. */
export async function generationExists(client: Client, index: string): Promise<boolean> {
  return client.indices.exists({ index });
}

/** Deletes a generation that never served (a failed or cancelled reindex); never throws. */
export async function dropGeneration(client: Client, index: string): Promise<void> {
  await client.indices.delete({ index }, { ignore: [404] }).catch(() => undefined);
}

/**
 * Copies the documents of the images after `after` (by id), BATCH of them, into the generation;
 * null when none is left. Copying a page twice (a run resumed after a crash) writes the same
 * documents again.
 */
export async function copyPage(
  prisma: PrismaClient,
  client: Client,
  index: string,
  taxonomy: DocumentTaxonomy,
  after: string | null,
  size = BATCH,
): Promise<{ copied: number; lastId: string } | null> {
  const images = await prisma.image.findMany({
    where: after ? { id: { gt: after } } : {},
    orderBy: { id: 'asc' },
    take: size,
    include: INDEXED_IMAGE_INCLUDE,
  });
  if (images.length === 0) return null;
  // An image going with its project has no document; the delete events queued with it clear the rest.
  const operations = images.flatMap((image) => {
    const document = documentOfStored(image, taxonomy);
    return document ? [{ index: { _index: index, _id: image.id } }, document] : [];
  });
  // A page of images that are all going leaves nothing to send (an empty bulk request is refused).
  const response = operations.length ? await client.bulk({ operations }) : null;
  if (response?.errors) {
    const failure = response.items.find((item) => item.index?.error)?.index?.error;
    throw new Error(`Reindex stopped, the alias still points to the old index: ${failure?.type}: ${failure?.reason}`);
  }
  return { copied: images.length, lastId: images[images.length - 1].id };
}

/**
 * Makes a fully copied generation serve: refreshes it, moves the alias to it in one step, queues
 * what changed since the copy began (`since`) for the relay, and deletes what earlier or
 * interrupted runs left. Returns the indices the alias left and how many changes it queued.
 */
export async function serveGeneration(
  prisma: PrismaClient,
  client: Client,
  prefix: string,
  index: string,
  since: Date,
): Promise<{ previous: string[]; requeued: number }> {
  const alias = imageAlias(prefix);
  let previous: string[];
  try {
    await client.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
    await client.indices.refresh({ index });
    // A run resumed after it had moved the alias finds it there already.
    previous = (await aliasTargets(client, alias)).filter((target) => target !== index);
  } catch (error) {
    await dropGeneration(client, index);
    throw error;
  }
  await moveAlias(client, alias, previous, index);

  // Changes made while copying: images updated since the start are re-synced; documents of images
  // deleted meanwhile are removed.
  const updated = await prisma.$executeRaw`INSERT INTO outbox_events (operation, image_id, project_id)
    SELECT ${OUTBOX_UPSERT}, id, project_id FROM images WHERE updated_at >= ${since}`;
  let gone = 0;
  let pit = (await client.openPointInTime({ index, keep_alive: '1m' })).id;
  let after: (string | number)[] | undefined;
  try {
    for (;;) {
      const page = await client.search({
        size: 5000,
        _source: ['imageId', 'projectId'],
        pit: { id: pit, keep_alive: '1m' },
        sort: [{ imageId: 'asc' }],
        ...(after ? { search_after: after } : {}),
      });
      pit = page.pit_id ?? pit;
      if (page.hits.hits.length === 0) break;
      const docs = page.hits.hits.map((hit) => hit._source as { imageId: string; projectId: string });
      const present = new Set(
        (await prisma.image.findMany({ where: { id: { in: docs.map((d) => d.imageId) } }, select: { id: true } })).map((row) => row.id),
      );
      const missing = docs.filter((doc) => !present.has(doc.imageId));
      if (missing.length)
        await prisma.outboxEvent.createMany({
          data: missing.map((doc) => ({ operation: OUTBOX_DELETE, imageId: doc.imageId, projectId: doc.projectId })),
        });
      gone += missing.length;
      after = page.hits.hits[page.hits.hits.length - 1].sort as (string | number)[];
    }
  } finally {
    await client.closePointInTime({ id: pit });
  }

  // Last, and never at the cost of the run: the new index serves and its changes are queued.
  await deleteStrayGenerations(client, prefix, index).catch(() => undefined);
  return { previous, requeued: updated + gone };
}
