import { randomUUID } from 'node:crypto';
import { Prisma, PrismaClient } from '@prisma/client';
import { compareCodeUnits } from '../codeUnitOrder';
import { notFound } from '../errors';
import { decodeCursor, encodeCursor, Page } from './paging';
import { isForeignKeyViolation, projectNotFound } from './persistenceErrors';

// Every read returns the labels (strongest first, ties by id, byte by byte: the column's collation
// is "C") and the project's name; the embedding only the search index needs (the outbox relay and
// reindex read it).
const withLabels = { labels: { orderBy: [{ confidence: 'desc' }, { labelId: 'asc' }] }, project: { select: { name: true } } } satisfies Prisma.ImageInclude;
const withoutEmbedding = { embedding: true } satisfies Prisma.ImageOmit;
export type ImageWithLabels = Prisma.ImageGetPayload<{ include: typeof withLabels; omit: typeof withoutEmbedding }>;

export const OUTBOX_UPSERT = 'upsert';
export const OUTBOX_DELETE = 'delete';

export interface StoredLabel {
  labelId: string;
  confidence: number;
  centricScore: number;
}

export interface DetectionRecord {
  /** The project's name is what reads return with the image. */
  project: { id: string; name: string };
  sourceUri: string;
  requestId: string;
  image: { sha256: string; width: number; height: number; format: string; bytes: number };
  labels: StoredLabel[];
  /** The image embedding, when the detecting pack is a dual encoder; none clears a previous one. */
  embedding?: { model: string; vector: number[] } | null;
  modelVersion: string;
  taxonomyVersion: string;
  timings: { decodeMs: number; inferenceMs: number; totalMs: number };
}

/** An image row as saveDetection's statement returns it (columns as Postgres names them). */
interface StoredImageRow {
  id: string;
  project_id: string;
  source_uri: string;
  sha256: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  model_version: string;
  taxonomy_version: string;
  detected_at: Date;
  embedding_model: string | null;
  created_at: Date;
  updated_at: Date;
}

export const imageNotFound = (id: string) => notFound(`Image "${id}" does not exist.`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Images, their labels and detection records in Postgres, the source of truth. */
export class ImageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores one detection atomically: the image (created or updated by project and source URI), its
   * labels (replacing the previous set), the detection record, and the outbox event that will index
   * it. Either all of it is written or none.
   */
  async saveDetection(record: DetectionRecord): Promise<ImageWithLabels> {
    // A project deleted since it was looked up (by another request or gateway): nothing is written.
    return this.writeDetection(record).catch((error) => {
      if (isForeignKeyViolation(error)) throw projectNotFound(record.project.name);
      throw error;
    });
  }

  /**
   * One statement, so one round trip: Prisma's interactive transaction took seven (begin, upsert,
   * delete, insert, insert, insert, commit), about 25 ms of a detection's 130 here. Labels no
   * longer detected are deleted and the others inserted or updated: one statement cannot delete
   * and insert the same key.
   */
  private async writeDetection(record: DetectionRecord): Promise<ImageWithLabels> {
    const now = new Date();
    const { image, timings } = record;
    const labelIds = record.labels.map((l) => l.labelId);
    const [row] = await this.prisma.$queryRaw<StoredImageRow[]>`
      WITH image AS (
        INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version,
                            detected_at, embedding, embedding_model, created_at, updated_at)
        VALUES (${randomUUID()}::uuid, ${record.project.id}::uuid, ${record.sourceUri}, ${image.sha256}, ${image.width}, ${image.height},
                ${image.format}, ${image.bytes}, ${record.modelVersion}, ${record.taxonomyVersion}, ${now}, ${record.embedding?.vector ?? []}::real[],
                ${record.embedding?.model ?? null}, ${now}, ${now})
        ON CONFLICT (project_id, source_uri) DO UPDATE SET
          sha256 = EXCLUDED.sha256, width = EXCLUDED.width, height = EXCLUDED.height, format = EXCLUDED.format, bytes = EXCLUDED.bytes,
          model_version = EXCLUDED.model_version, taxonomy_version = EXCLUDED.taxonomy_version, detected_at = EXCLUDED.detected_at,
          embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model, updated_at = EXCLUDED.updated_at
        RETURNING id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, detected_at,
                  embedding_model, created_at, updated_at
      ), stale AS (
        DELETE FROM image_labels WHERE image_id = (SELECT id FROM image) AND NOT (label_id = ANY(${labelIds}::varchar[]))
      ), labels AS (
        INSERT INTO image_labels (image_id, label_id, confidence, centric_score)
        SELECT image.id, l.label_id, l.confidence, l.centric_score
        FROM image, unnest(${labelIds}::varchar[], ${record.labels.map((l) => l.confidence)}::float8[], ${record.labels.map((l) => l.centricScore)}::float8[])
          AS l(label_id, confidence, centric_score)
        ON CONFLICT (image_id, label_id) DO UPDATE SET confidence = EXCLUDED.confidence, centric_score = EXCLUDED.centric_score
      ), detection AS (
        INSERT INTO detections (id, image_id, request_id, model_version, taxonomy_version, label_count, decode_ms, inference_ms, total_ms, created_at)
        SELECT ${randomUUID()}::uuid, image.id, ${record.requestId}, ${record.modelVersion}, ${record.taxonomyVersion}, ${record.labels.length},
               ${timings.decodeMs}, ${timings.inferenceMs}, ${timings.totalMs}, ${now}
        FROM image
      ), outbox AS (
        INSERT INTO outbox_events (operation, image_id, project_id) SELECT ${OUTBOX_UPSERT}, image.id, image.project_id FROM image
      )
      SELECT * FROM image`;
    const labels = record.labels.map((label) => ({ imageId: row.id, ...label }));
    // What was just written, as a read returns it (strongest label first), without reading it back.
    return {
      id: row.id,
      projectId: row.project_id,
      sourceUri: row.source_uri,
      sha256: row.sha256,
      width: row.width,
      height: row.height,
      format: row.format,
      bytes: row.bytes,
      modelVersion: row.model_version,
      taxonomyVersion: row.taxonomy_version,
      detectedAt: row.detected_at,
      embeddingModel: row.embedding_model,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      project: { name: record.project.name },
      labels: labels.sort((a, b) => b.confidence - a.confidence || compareCodeUnits(a.labelId, b.labelId)),
    };
  }

  async get(id: string): Promise<ImageWithLabels> {
    if (!UUID.test(id)) throw imageNotFound(id);
    const image = await this.prisma.image.findUnique({ where: { id }, include: withLabels, omit: withoutEmbedding });
    if (!image) throw imageNotFound(id);
    return image;
  }

  /** The name of the project an image belongs to; null when there is no such image. */
  async projectNameOf(id: string): Promise<string | null> {
    if (!UUID.test(id)) return null;
    const image = await this.prisma.image.findUnique({ where: { id }, select: { project: { select: { name: true } } } });
    return image?.project.name ?? null;
  }

  /** A project's images, newest first; the cursor is (createdAt, id) of the last one seen. */
  async list(projectId: string, first: number, after: string | null | undefined): Promise<Page<ImageWithLabels> & { endCursor: string | null }> {
    const cursor = decodeCursor(after, ['createdAt', 'id'] as const);
    const where: Prisma.ImageWhereInput = { projectId };
    if (cursor) {
      const createdAt = new Date(cursor.createdAt);
      where.OR = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: cursor.id } }];
    }
    const [rows, totalCount] = await Promise.all([
      this.prisma.image.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first + 1, include: withLabels, omit: withoutEmbedding }),
      this.prisma.image.count({ where: { projectId } }),
    ]);
    const items = rows.slice(0, first);
    const last = items.at(-1);
    return { items, hasNextPage: rows.length > first, totalCount, endCursor: last ? this.cursorOf(last) : null };
  }

  cursorOf(image: { createdAt: Date; id: string }): string {
    return encodeCursor({ createdAt: image.createdAt.toISOString(), id: image.id });
  }

  /** Deletes the image (labels and detections cascade) and queues the removal of its document. */
  async delete(id: string): Promise<ImageWithLabels> {
    const image = await this.get(id);
    await this.prisma.$transaction([
      this.prisma.image.delete({ where: { id } }),
      this.prisma.outboxEvent.create({ data: { operation: OUTBOX_DELETE, imageId: id, projectId: image.projectId } }),
    ]);
    return image;
  }

  /** Queues the removal of every document of a project, in the transaction that deletes it. */
  static outboxDeletesForProject(tx: Prisma.TransactionClient, projectId: string) {
    return tx.$executeRaw`INSERT INTO outbox_events (operation, image_id, project_id) SELECT ${OUTBOX_DELETE}, id, project_id FROM images WHERE project_id = ${projectId}::uuid`;
  }
}
