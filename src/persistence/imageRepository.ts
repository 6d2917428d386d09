import { Prisma, PrismaClient } from '@prisma/client';
import { compareCodeUnits } from '../codeUnitOrder';
import { instancesOf, LabelInstance } from '../detection/recognizer';
import { notFound, projectNotFound } from '../api/errors';
import { encodeCursor, Page, timeIdCursor, UUID_PATTERN } from '../api/paging';
import { isPrismaError } from './prismaErrors';

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
  /** Its boxes (object labels); none when absent. */
  instances?: LabelInstance[];
}

/** A label with its instances as the JSON column holds them (none: an empty list). */
// A LabelInstance[] is plain JSON; Prisma's JSON types cannot say so of an interface.
export const storedInstances = (label: StoredLabel) => ({ ...label, instances: (label.instances ?? []) as unknown as Prisma.JsonArray });

/** A label row as the API reads it, its instances parsed. */
export const storedLabelOf = (row: ImageWithLabels['labels'][number]): StoredLabel => ({
  labelId: row.labelId,
  confidence: row.confidence,
  centricScore: row.centricScore,
  instances: instancesOf(row.instances),
});

export interface DetectionRecord {
  /** The project's name is what reads return with the image. */
  project: { id: string; name: string };
  sourceUri: string;
  /** The storage profile the request named, if any. */
  credentialConfig?: string | null;
  requestId: string;
  image: { sha256: string; width: number; height: number; format: string; bytes: number };
  labels: StoredLabel[];
  /** The image embedding, when the detecting pack is a dual encoder; none clears a previous one. */
  embedding?: { model: string; vector: number[] } | null;
  modelVersion: string;
  taxonomyVersion: string;
  timings: { decodeMs: number; inferenceMs: number; totalMs: number };
}

export interface ImageSourceFacts {
  id: string;
  sourceUri: string;
  credentialConfig: string | null;
  sha256: string;
  format: string;
  projectName: string;
}

export const imageNotFound = (id: string) => notFound(`Image "${id}" does not exist.`);

/** Images, their labels and detection records in Postgres, the source of truth. */
export class ImageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Stores one detection in a single transaction: the image (created or updated by project and
   * source URI), its labels (replacing the previous set), the detection record, and the outbox
   * event that will index it. Either all of it is written or none.
   */
  async saveDetection(record: DetectionRecord): Promise<ImageWithLabels> {
    // A project deleted since it was looked up (by another request or gateway): nothing is written.
    return this.writeDetection(record).catch((error) => {
      if (isPrismaError(error, 'P2003')) throw projectNotFound(record.project.name);
      throw error;
    });
  }

  // One statement (data-modifying CTEs) would save six round trips (about 20 ms here), but all of
  // its parts read one snapshot: a detection of the same image committed meanwhile would keep
  // labels this one does not have. In a transaction the delete runs after the row's lock.
  private writeDetection(record: DetectionRecord): Promise<ImageWithLabels> {
    const now = new Date();
    return this.prisma.$transaction(async (tx) => {
      const fields = {
        ...record.image,
        credentialConfig: record.credentialConfig ?? null,
        modelVersion: record.modelVersion,
        taxonomyVersion: record.taxonomyVersion,
        detectedAt: now,
        embedding: record.embedding?.vector ?? [],
        embeddingModel: record.embedding?.model ?? null,
      };
      const image = await tx.image.upsert({
        where: { projectId_sourceUri: { projectId: record.project.id, sourceUri: record.sourceUri } },
        create: { projectId: record.project.id, sourceUri: record.sourceUri, ...fields },
        update: fields,
        omit: withoutEmbedding,
      });
      const labels = record.labels.map((label) => ({ imageId: image.id, ...storedInstances(label) }));
      await tx.imageLabel.deleteMany({ where: { imageId: image.id } });
      await tx.imageLabel.createMany({ data: labels });
      await tx.detection.create({
        data: {
          imageId: image.id,
          requestId: record.requestId,
          modelVersion: record.modelVersion,
          taxonomyVersion: record.taxonomyVersion,
          labelCount: record.labels.length,
          ...record.timings,
        },
      });
      await tx.outboxEvent.create({ data: { operation: OUTBOX_UPSERT, imageId: image.id, projectId: record.project.id } });
      // What was just written, as a read returns it (strongest label first), without reading it back.
      return { ...image, project: { name: record.project.name }, labels: labels.sort((a, b) => b.confidence - a.confidence || compareCodeUnits(a.labelId, b.labelId)) };
    });
  }

  async get(id: string): Promise<ImageWithLabels> {
    if (!UUID_PATTERN.test(id)) throw imageNotFound(id);
    const image = await this.prisma.image.findUnique({ where: { id }, include: withLabels, omit: withoutEmbedding });
    if (!image) throw imageNotFound(id);
    return image;
  }

  /** What serving an image needs: its source, what was last detected from it, and its project's name. */
  async sourceOf(id: string): Promise<ImageSourceFacts> {
    if (!UUID_PATTERN.test(id)) throw imageNotFound(id);
    const image = await this.prisma.image.findUnique({ where: { id }, select: { id: true, sourceUri: true, credentialConfig: true, sha256: true, format: true, project: { select: { name: true } } } });
    if (!image) throw imageNotFound(id);
    const { project, ...facts } = image;
    return { ...facts, projectName: project.name };
  }

  /** The name of the project an image belongs to; null when there is no such image. */
  async projectNameOf(id: string): Promise<string | null> {
    if (!UUID_PATTERN.test(id)) return null;
    const image = await this.prisma.image.findUnique({ where: { id }, select: { project: { select: { name: true } } } });
    return image?.project.name ?? null;
  }

  /** A project's images, newest first; the cursor is (createdAt, id) of the last one seen. */
  async list(projectId: string, first: number, after: string | null | undefined): Promise<Page<ImageWithLabels> & { endCursor: string | null }> {
    const cursor = timeIdCursor(after, UUID_PATTERN);
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
