import type { Prisma } from '@prisma/client';
import { instancesOf, LabelInstance } from '../detection/recognizer';

// The shapes of stored images and detections, shared by the repository and the batch write
// (detectionBatch.ts), which the repository's single detections go through too.

// Every read returns the labels (strongest first, ties by id, byte by byte: the column's collation
// is "C") and the project's name; the embedding only the search index needs (the outbox relay and
// reindex read it).
export const withLabels = {
  labels: { orderBy: [{ confidence: 'desc' }, { labelId: 'asc' }] },
  project: { select: { name: true } },
} satisfies Prisma.ImageInclude;
export const withoutEmbedding = { embedding: true } satisfies Prisma.ImageOmit;
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
