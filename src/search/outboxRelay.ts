import type { Client } from '@elastic/elasticsearch';
import type { Prisma, PrismaClient } from '@prisma/client';
import type { Logger } from '../logger';
import { documentOfStored, DocumentTaxonomy, INDEXED_IMAGE_INCLUDE } from './imageDocument';

export interface RelayOptions {
  /** Events handled per bulk request. */
  batchSize: number;
  /** How often the relay looks for work when nobody kicks it (ms). */
  pollMs: number;
  /** Backoff bounds after a failure (ms). */
  minBackoffMs: number;
  maxBackoffMs: number;
  /**
   * While backing off, how often the relay asks Postgres and Elasticsearch whether they answer (ms):
   * once they answer again after not answering, it retries at once instead of sleeping out a long backoff.
   */
  probeMs: number;
  /**
   * How long a kick waits before draining (ms): the request that stored the image answers first,
   * without the relay's reads and bulk request interleaved with its last steps on the event loop,
   * and detections stored meanwhile go in the same bulk request.
   */
  kickDelayMs: number;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  batchSize: 200,
  pollMs: 1000,
  minBackoffMs: 500,
  maxBackoffMs: 30_000,
  probeMs: 1000,
  kickDelayMs: 20,
};

interface DueEvent {
  id: bigint;
  image_id: string;
  attempts: number;
}

/**
 * Drains the outbox into Elasticsearch. Each event only says "image X changed": the relay makes the
 * index match Postgres (index the image as stored, or delete its document when it is gone), so
 * events are idempotent and their order does not matter. Documents carry the image's index version
 * as their external version, so of two relays (of any processes) writing one image, the older state
 * loses whichever lands last. Events leave the outbox only when Elasticsearch has acknowledged them;
 * while it is down they wait, retried with backoff.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  /** When the timer fires (epoch ms). */
  private due = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private backoffMs = 0;
  private indexReady = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly search: Client,
    private readonly alias: string,
    private readonly taxonomy: DocumentTaxonomy,
    private readonly logger: Logger,
    private readonly options: RelayOptions = DEFAULT_RELAY_OPTIONS,
    /** Creates the index when missing; run before the first batch (Elasticsearch may have been down at start). */
    private readonly ensureIndex: () => Promise<unknown> = async () => undefined,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.timer = null;
    this.probeTimer = null;
    await this.running;
  }

  /** New events were written: drain soon rather than at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else if (this.backoffMs === 0 && !(this.timer && this.due <= Date.now() + this.options.kickDelayMs))
      this.schedule(this.options.kickDelayMs);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.due = Date.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain().finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule(0);
        }
      });
    }, ms);
    this.timer.unref();
  }

  /** Processes batches until none is due, then sleeps until the next poll (or a backoff). */
  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.processBatch()) === this.options.batchSize);
      this.backoffMs = 0;
      this.schedule(this.options.pollMs);
    } catch (error) {
      this.backoffMs = Math.min(this.options.maxBackoffMs, Math.max(this.options.minBackoffMs, this.backoffMs * 2));
      this.logger.warn({ err: error, retryInMs: this.backoffMs }, 'search indexing paused: Elasticsearch or Postgres unavailable');
      this.schedule(this.backoffMs);
      this.probeUntilBack();
    }
  }

  /**
   * While backing off, asks the services every probeMs; when they answer after having not answered,
   * retries now. A failure they answer through (a rejected request) keeps its backoff.
   */
  private probeUntilBack(sawDown = false): void {
    if (this.stopped || this.probeTimer) return;
    this.probeTimer = setTimeout(async () => {
      const answers = await this.servicesAnswer();
      this.probeTimer = null;
      if (this.stopped || this.backoffMs === 0 || this.running) return;
      if (answers && sawDown) this.schedule(0);
      else this.probeUntilBack(sawDown || !answers);
    }, this.options.probeMs);
    this.probeTimer.unref();
  }

  private async servicesAnswer(): Promise<boolean> {
    try {
      // cluster.health, not ping: the integ-test distribution has no handler for HEAD /.
      await this.search.cluster.health({}, { maxRetries: 0 });
      await this.prisma.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }

  /** One batch; returns how many events it took. Throws when Elasticsearch cannot be reached. */
  async processBatch(): Promise<number> {
    if (!this.indexReady) {
      await this.ensureIndex();
      this.indexReady = true;
    }
    return this.prisma.$transaction(
      async (tx) => {
        // SKIP LOCKED: several gateway instances can relay side by side without doing work twice.
        const events = await tx.$queryRaw<DueEvent[]>`
          SELECT id, image_id, attempts FROM outbox_events
          WHERE next_attempt_at <= now() ORDER BY id LIMIT ${this.options.batchSize} FOR UPDATE SKIP LOCKED`;
        if (events.length === 0) return 0;

        const imageIds = [...new Set(events.map((e) => e.image_id))];
        // Versions first, then the rows: what is read is at least as new as its version says.
        const versions = await indexVersionsOf(tx, imageIds);
        const images = await tx.image.findMany({ where: { id: { in: imageIds } }, include: INDEXED_IMAGE_INCLUDE });
        const stored = new Map(images.map((image) => [image.id, image]));
        const operations = imageIds.flatMap((id): object[] => {
          const image = stored.get(id);
          const document = image && documentOfStored(image, this.taxonomy);
          const version = { version: image ? versions.of(id) : versions.afterAll, version_type: 'external_gte' };
          return document
            ? [{ index: { _index: this.alias, _id: id, ...version } }, document]
            : [{ delete: { _index: this.alias, _id: id, ...version } }];
        });
        const response = await this.search.bulk({ operations, refresh: false });

        const failed = new Map<string, string>();
        response.items.forEach((item, i) => {
          const result = item.index ?? item.delete;
          const notFoundDelete = item.delete && result?.status === 404;
          // 409: a newer state of the image is indexed already (another relay got there first).
          const superseded = result?.status === 409;
          if (result?.error && !notFoundDelete && !superseded)
            failed.set(imageIds[i], `${result.error.type}: ${result.error.reason ?? ''}`.slice(0, 1000));
        });
        const done = events.filter((e) => !failed.has(e.image_id)).map((e) => e.id);
        if (done.length) await tx.outboxEvent.deleteMany({ where: { id: { in: done } } });
        // A document Elasticsearch rejects (not an outage) is retried later with growing delays.
        for (const event of events.filter((e) => failed.has(e.image_id))) {
          const delaySeconds = Math.min(3600, 2 ** Math.min(event.attempts + 1, 12));
          await tx.$executeRaw`UPDATE outbox_events SET attempts = attempts + 1, last_error = ${failed.get(event.image_id)},
            next_attempt_at = now() + make_interval(secs => ${delaySeconds}) WHERE id = ${event.id}`;
          this.logger.error({ imageId: event.image_id, error: failed.get(event.image_id) }, 'Elasticsearch rejected an image document');
        }
        return events.length;
      },
      { timeout: 60_000 },
    );
  }

  /** Events not yet acknowledged by Elasticsearch. */
  async pending(): Promise<number> {
    return this.prisma.outboxEvent.count();
  }
}

/**
 * The index versions of these images as stored, and one newer than any of them for documents to
 * delete: an image deleted (its delete event visible, so committed) took its last version before
 * this one is taken, and ids of deleted images never come back.
 */
async function indexVersionsOf(tx: Prisma.TransactionClient, imageIds: string[]) {
  const rows = await tx.$queryRaw<{ id: string; index_version: bigint }[]>`
    SELECT id::text, index_version FROM images WHERE id = ANY(${imageIds}::uuid[])`;
  const [{ next }] = await tx.$queryRaw<{ next: bigint }[]>`SELECT nextval('image_index_versions') AS next`;
  const byId = new Map(rows.map((row) => [row.id, Number(row.index_version)]));
  // An image is stored before its event is visible, so its version was read; `next` is only a floor.
  return { of: (id: string) => byId.get(id) ?? Number(next), afterAll: Number(next) };
}
