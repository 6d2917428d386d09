import type { PoolClient } from 'pg';
import { compareCodeUnits } from '../codeUnitOrder';
import { OUTBOX_UPSERT, storedInstances, type DetectionRecord, type ImageWithLabels } from './imageRecords';

// The columns of images as reads return them (no embedding, no index version), camel-cased.
const IMAGE_COLUMNS = `id::text AS id, project_id::text AS "projectId", source_uri AS "sourceUri", credential_config AS "credentialConfig", sha256, width, height, format, bytes,
  model_version AS "modelVersion", taxonomy_version AS "taxonomyVersion", detected_at AS "detectedAt",
  embedding_model AS "embeddingModel", created_at AS "createdAt", updated_at AS "updatedAt"`;

type ImageRow = Omit<ImageWithLabels, 'labels' | 'project'>;

/** A real[] literal Postgres parses exactly (shortest round-trip decimal of each float). */
const realArray = (vector: number[] | undefined) => `{${(vector ?? []).join(',')}}`;

/**
 * Stores detections of one project's images in the caller's transaction, in two statements
 * whatever their number: the images (created, or updated by project and source URI), then their
 * labels (replacing each image's previous set), the detection records and the outbox events that
 * index them. The upsert locks each image row first, so a concurrent detection of the same image
 * waits and the label replacement runs after it (a single statement would read one snapshot, taken
 * before the wait, for all its parts). Records are written in source-URI order, so two batches lock shared rows in one order; a
 * URI named twice keeps its last record.
 */
export async function writeDetections(
  client: PoolClient,
  project: { id: string; name: string },
  records: DetectionRecord[],
): Promise<ImageWithLabels[]> {
  const byUri = new Map(records.map((record) => [record.sourceUri, record]));
  const batch = [...byUri.values()].sort((a, b) => compareCodeUnits(a.sourceUri, b.sourceUri));
  if (batch.length === 0) return [];
  const column = <T>(pick: (record: DetectionRecord) => T) => batch.map(pick);
  const { rows: images } = await client.query<ImageRow>({
    name: 'detections-upsert-images',
    text: `INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, detected_at, embedding, embedding_model, credential_config, updated_at)
      SELECT gen_random_uuid(), $1::uuid, u.source_uri, u.sha256, u.width, u.height, u.format, u.bytes, u.model_version, u.taxonomy_version, now(), u.embedding::real[], u.embedding_model, u.credential_config, now()
      FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
        AS u(source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, embedding, embedding_model, credential_config)
      ON CONFLICT (project_id, source_uri) DO UPDATE SET credential_config = EXCLUDED.credential_config, sha256 = EXCLUDED.sha256, width = EXCLUDED.width, height = EXCLUDED.height, format = EXCLUDED.format,
        bytes = EXCLUDED.bytes, model_version = EXCLUDED.model_version, taxonomy_version = EXCLUDED.taxonomy_version, detected_at = EXCLUDED.detected_at,
        embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model, updated_at = EXCLUDED.updated_at
      RETURNING ${IMAGE_COLUMNS}`,
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
    ],
  });
  const idOf = new Map(images.map((image) => [image.sourceUri, image.id]));
  const ids = batch.map((record) => idOf.get(record.sourceUri)!);
  const labels = batch.flatMap((record, i) => record.labels.map((label) => ({ imageId: ids[i], ...storedInstances(label) })));
  // The label set is replaced by deleting the labels the images no longer have and upserting the
  // rest: the two parts touch disjoint rows, so the order in which Postgres runs them does not
  // matter, and the statement's snapshot is taken after the upsert above locked the images.
  await client.query({
    name: 'detections-write-rest',
    text: `WITH gone AS (
        DELETE FROM image_labels l WHERE l.image_id = ANY($5::uuid[])
          AND NOT EXISTS (SELECT 1 FROM unnest($1::uuid[], $2::text[]) AS n(image_id, label_id) WHERE n.image_id = l.image_id AND n.label_id = l.label_id)
      ), labels AS (
        INSERT INTO image_labels (image_id, label_id, confidence, centric_score, instances)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], $15::jsonb[])
        ON CONFLICT (image_id, label_id) DO UPDATE SET confidence = EXCLUDED.confidence, centric_score = EXCLUDED.centric_score, instances = EXCLUDED.instances
      ), records AS (
        INSERT INTO detections (id, image_id, request_id, model_version, taxonomy_version, label_count, decode_ms, inference_ms, total_ms)
        SELECT gen_random_uuid(), * FROM unnest($5::uuid[], $6::text[], $7::text[], $8::text[], $9::int[], $10::float8[], $11::float8[], $12::float8[])
      )
      INSERT INTO outbox_events (operation, image_id, project_id) SELECT $13, image_id, $14::uuid FROM unnest($5::uuid[]) AS e(image_id)`,
    values: [
      labels.map((l) => l.imageId),
      labels.map((l) => l.labelId),
      labels.map((l) => l.confidence),
      labels.map((l) => l.centricScore),
      ids,
      column((r) => r.requestId),
      column((r) => r.modelVersion),
      column((r) => r.taxonomyVersion),
      column((r) => r.labels.length),
      column((r) => r.timings.decodeMs),
      column((r) => r.timings.inferenceMs),
      column((r) => r.timings.totalMs),
      OUTBOX_UPSERT,
      project.id,
      labels.map((l) => JSON.stringify(l.instances)),
    ],
  });
  const imageOf = new Map(images.map((image) => [image.id, image]));
  // What was just written, as a read returns it (strongest label first), without reading it back.
  return batch.map((record, i) => ({
    ...imageOf.get(ids[i])!,
    project: { name: project.name },
    labels: record.labels
      .map((label) => ({ imageId: ids[i], ...storedInstances(label) }))
      .sort((a, b) => b.confidence - a.confidence || compareCodeUnits(a.labelId, b.labelId)),
  }));
}
