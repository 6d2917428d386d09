import type { Pool, PoolClient } from 'pg';
import { compareCodeUnits } from '../codeUnitOrder';
import { OUTBOX_UPSERT, storedInstances, type DetectionRecord, type ImageWithLabels } from './imageRecords';

// The columns of images as reads return them (no embedding, no index version), camel-cased.
const IMAGE_COLUMNS = `id::text AS id, project_id::text AS "projectId", source_uri AS "sourceUri", credential_config AS "credentialConfig", sha256, width, height, format, bytes,
  model_version AS "modelVersion", taxonomy_version AS "taxonomyVersion", detected_at AS "detectedAt",
  embedding_model AS "embeddingModel", created_at AS "createdAt", updated_at AS "updatedAt"`;

type ImageRow = Omit<ImageWithLabels, 'labels' | 'project'>;

/** A pooled connection (inside a transaction) or the pool itself (the call is its own transaction). */
type Queryable = Pool | PoolClient;

/** A real[] literal Postgres parses exactly (shortest round-trip decimal of each float). */
const realArray = (vector: number[] | undefined) => `{${(vector ?? []).join(',')}}`;

/**
 * Stores detections of one project's images in one statement whatever their number, the
 * `write_detections` function (its migration says how): the images (created, or updated by project
 * and source URI), then their labels (replacing each image's previous set), the detection records
 * and the outbox events that index them. Called outside a transaction it is one on its own,
 * committed before it answers; inside the caller's, part of it. Records are written in source-URI
 * order, so two batches lock shared rows in one order; a URI named twice keeps its last record.
 */
export async function writeDetections(
  client: Queryable,
  project: { id: string; name: string },
  records: DetectionRecord[],
): Promise<ImageWithLabels[]> {
  const byUri = new Map(records.map((record) => [record.sourceUri, record]));
  const batch = [...byUri.values()].sort((a, b) => compareCodeUnits(a.sourceUri, b.sourceUri));
  if (batch.length === 0) return [];
  const column = <T>(pick: (record: DetectionRecord) => T) => batch.map(pick);
  const labels = batch.flatMap((record, i) => record.labels.map((label) => ({ image: i + 1, ...storedInstances(label) })));
  const { rows: images } = await client.query<ImageRow>({
    name: 'write-detections',
    text: `SELECT ${IMAGE_COLUMNS} FROM write_detections($1::uuid, $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[],
      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::float8[], $16::float8[], $17::float8[],
      $18::int[], $19::text[], $20::float8[], $21::float8[], $22::jsonb[], $23::text)`,
    values: [
      project.id,
      column((r) => r.sourceUri),
      column((r) => r.image.sha256),
      column((r) => r.image.width),
      column((r) => r.image.height),
      column((r) => r.image.format),
      column((r) => r.image.bytes),
      column((r) => r.modelVersion),
      column((r) => r.taxonomyVersion),
      column((r) => realArray(r.embedding?.vector)),
      column((r) => r.embedding?.model ?? null),
      column((r) => r.credentialConfig ?? null),
      column((r) => r.requestId),
      column((r) => r.labels.length),
      column((r) => r.timings.decodeMs),
      column((r) => r.timings.inferenceMs),
      column((r) => r.timings.totalMs),
      labels.map((l) => l.image),
      labels.map((l) => l.labelId),
      labels.map((l) => l.confidence),
      labels.map((l) => l.centricScore),
      labels.map((l) => JSON.stringify(l.instances)),
      OUTBOX_UPSERT,
    ],
  });
  const imageOf = new Map(images.map((image) => [image.sourceUri, image]));
  // What was just written, as a read returns it (strongest label first), without reading it back.
  return batch.map((record) => {
    const image = imageOf.get(record.sourceUri)!;
    return {
      ...image,
      project: { name: project.name },
      labels: record.labels
        .map((label) => ({ imageId: image.id, ...storedInstances(label) }))
        .sort((a, b) => b.confidence - a.confidence || compareCodeUnits(a.labelId, b.labelId)),
    };
  });
}
