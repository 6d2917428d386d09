-- Stores detections of one project's images (src/persistence/detectionBatch.ts) in one call, so a
-- single detection costs one round trip: called on its own it is its own transaction, committed
-- before the call answers, and in a caller's transaction it is part of that one.
-- The images are upserted first (locking their rows), then, in a second statement with a snapshot
-- of its own (a VOLATILE function takes one per statement), their labels are replaced and the
-- detection records and outbox events written: a concurrent detection of the same image waits at
-- the upsert and then replaces the label set the other one committed. A label names its image by
-- its position in the arrays of images (from 1). Returns the images as stored.
-- The body is an E'' string spelling its semicolons \073: Prisma's offline migration runner splits
-- a file at every semicolon, dollar quotes included.
CREATE FUNCTION "write_detections"(
    p_project uuid, p_source_uris text[], p_sha256s text[], p_widths int[], p_heights int[], p_formats text[], p_bytes int[],
    p_model_versions text[], p_taxonomy_versions text[], p_embeddings text[], p_embedding_models text[], p_credential_configs text[],
    p_request_ids text[], p_label_counts int[], p_decode_ms float8[], p_inference_ms float8[], p_total_ms float8[],
    p_label_images int[], p_label_ids text[], p_confidences float8[], p_centric_scores float8[], p_instances jsonb[],
    p_operation text)
  RETURNS SETOF "images" LANGUAGE plpgsql VOLATILE AS E'
DECLARE
  ids uuid[]\073
BEGIN
  WITH written AS (
    INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version,
        detected_at, embedding, embedding_model, credential_config, updated_at)
      SELECT gen_random_uuid(), p_project, u.source_uri, u.sha256, u.width, u.height, u.format, u.bytes, u.model_version,
          u.taxonomy_version, now(), u.embedding::real[], u.embedding_model, u.credential_config, now()
        FROM unnest(p_source_uris, p_sha256s, p_widths, p_heights, p_formats, p_bytes, p_model_versions, p_taxonomy_versions,
          p_embeddings, p_embedding_models, p_credential_configs)
          AS u(source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, embedding, embedding_model, credential_config)
    ON CONFLICT (project_id, source_uri) DO UPDATE SET credential_config = EXCLUDED.credential_config, sha256 = EXCLUDED.sha256,
      width = EXCLUDED.width, height = EXCLUDED.height, format = EXCLUDED.format, bytes = EXCLUDED.bytes,
      model_version = EXCLUDED.model_version, taxonomy_version = EXCLUDED.taxonomy_version, detected_at = EXCLUDED.detected_at,
      embedding = EXCLUDED.embedding, embedding_model = EXCLUDED.embedding_model, updated_at = EXCLUDED.updated_at
    RETURNING images.id, images.source_uri
  )
  SELECT array_agg(w.id ORDER BY u.ord) INTO ids
    FROM unnest(p_source_uris) WITH ORDINALITY AS u(source_uri, ord) JOIN written w ON w.source_uri = u.source_uri\073

  WITH gone AS (
    DELETE FROM image_labels l WHERE l.image_id = ANY(ids)
      AND NOT EXISTS (SELECT 1 FROM unnest(p_label_images, p_label_ids) AS n(ord, label_id)
        WHERE ids[n.ord] = l.image_id AND n.label_id = l.label_id)
  ), labels AS (
    INSERT INTO image_labels (image_id, label_id, confidence, centric_score, instances)
      SELECT ids[n.ord], n.label_id, n.confidence, n.centric_score, n.instances
        FROM unnest(p_label_images, p_label_ids, p_confidences, p_centric_scores, p_instances)
          AS n(ord, label_id, confidence, centric_score, instances)
    ON CONFLICT (image_id, label_id) DO UPDATE SET confidence = EXCLUDED.confidence, centric_score = EXCLUDED.centric_score,
      instances = EXCLUDED.instances
  ), records AS (
    INSERT INTO detections (id, image_id, request_id, model_version, taxonomy_version, label_count, decode_ms, inference_ms, total_ms)
      SELECT gen_random_uuid(), ids[d.ord], d.request_id, d.model_version, d.taxonomy_version, d.label_count, d.decode_ms,
          d.inference_ms, d.total_ms
        FROM unnest(p_request_ids, p_model_versions, p_taxonomy_versions, p_label_counts, p_decode_ms, p_inference_ms, p_total_ms)
          WITH ORDINALITY AS d(request_id, model_version, taxonomy_version, label_count, decode_ms, inference_ms, total_ms, ord)
  )
  INSERT INTO outbox_events (operation, image_id, project_id) SELECT p_operation, e.image_id, p_project FROM unnest(ids) AS e(image_id)\073

  RETURN QUERY SELECT * FROM images WHERE id = ANY(ids)\073
END';
