import { Prisma, PrismaClient } from '@prisma/client';
import type { Pool } from 'pg';
import { found, notFound, projectNotFound } from '../api/errors';
import { encodeCursor, Page, pageOfRows, timeIdCursor, UUID_PATTERN } from '../api/paging';
import { writeDetections } from './detectionBatch';
import { OUTBOX_DELETE, withLabels, withoutEmbedding, type DetectionRecord, type ImageWithLabels } from './imageRecords';
import { isForeignKeyViolation, isPrismaError } from './prismaErrors';

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
  constructor(
    private readonly prisma: PrismaClient,
    /** The pool Prisma runs on: detections are stored in plain SQL (see saveDetection). */
    private readonly pool: Pool,
  ) {}

  /**
   * Stores one detection in a single transaction: the image (created or updated by project and
   * source URI), its labels (replacing the previous set), the detection record, and the outbox
   * event that will index it. Either all of it is written or none, and it is committed when this
   * resolves. It is the task path's batch write with one record: one statement on the pg pool, its
   * own transaction.
   */
  async saveDetection(record: DetectionRecord): Promise<ImageWithLabels> {
    try {
      const [image] = await writeDetections(this.pool, record.project, [record]);
      return image;
    } catch (error) {
      // A project deleted since it was looked up (by another request or gateway): nothing is written.
      if (isForeignKeyViolation(error)) throw projectNotFound(record.project.name);
      throw error;
    }
  }

  async get(id: string): Promise<ImageWithLabels> {
    if (!UUID_PATTERN.test(id)) throw imageNotFound(id);
    const image = await this.prisma.image.findUnique({ where: { id }, include: withLabels, omit: withoutEmbedding });
    return found(image, () => imageNotFound(id));
  }

  /** What serving an image needs: its source, what was last detected from it, and its project's name. */
  async sourceOf(id: string): Promise<ImageSourceFacts> {
    if (!UUID_PATTERN.test(id)) throw imageNotFound(id);
    const image = await this.prisma.image.findUnique({
      where: { id },
      select: { id: true, sourceUri: true, credentialConfig: true, sha256: true, format: true, project: { select: { name: true } } },
    });
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
  async list(
    projectId: string,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<ImageWithLabels> & { endCursor: string | null }> {
    const cursor = timeIdCursor(after, UUID_PATTERN);
    const where: Prisma.ImageWhereInput = { projectId };
    if (cursor) {
      const createdAt = new Date(cursor.createdAt);
      where.OR = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: cursor.id } }];
    }
    const [rows, totalCount] = await Promise.all([
      this.prisma.image.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
        include: withLabels,
        omit: withoutEmbedding,
      }),
      this.prisma.image.count({ where: { projectId } }),
    ]);
    return pageOfRows(rows, first, totalCount, (row) => this.cursorOf(row));
  }

  cursorOf(image: { createdAt: Date; id: string }): string {
    return encodeCursor({ createdAt: image.createdAt.toISOString(), id: image.id });
  }

  /** Deletes the image (labels and detections cascade) and queues the removal of its document. */
  async delete(id: string): Promise<ImageWithLabels> {
    const image = await this.get(id);
    try {
      await this.prisma.$transaction([
        this.prisma.image.delete({ where: { id } }),
        this.prisma.outboxEvent.create({ data: { operation: OUTBOX_DELETE, imageId: id, projectId: image.projectId } }),
      ]);
    } catch (error) {
      // Another request deleted it between the read and this delete: for this one it does not exist.
      if (isPrismaError(error, 'P2025')) throw imageNotFound(id);
      throw error;
    }
    return image;
  }

  /** Queues the removal of every document of a project, in the transaction that deletes it. */
  static outboxDeletesForProject(tx: Prisma.TransactionClient, projectId: string) {
    return tx.$executeRaw`INSERT INTO outbox_events (operation, image_id, project_id) SELECT ${OUTBOX_DELETE}, id, project_id FROM images WHERE project_id = ${projectId}::uuid`;
  }
}
