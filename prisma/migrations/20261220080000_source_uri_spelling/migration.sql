-- One stored spelling per source (src/storage/sourceUri.ts: objectUri, fileUri): the key or path
-- %-decoded, then only "%", "?", "#", "\" and control characters escaped. Until now a request stored
-- its URI as written and a task its listing %-encoded, so "猫.jpg" and "%E7%8C%AB.jpg" were two
-- images of one file. Rows move to the one spelling. Where two rows of a project are one source, the
-- one labelled last stays and the others go, their search documents with them (outbox deletes). The
-- documents of moved rows are written again (outbox upserts). Spellings the URL parser rewrites
-- (a query, a fragment, "." or ".." segments) and undecodable ones stay as they were stored.
-- The body is an E'' string spelling its semicolons \073: Prisma's offline migration runner splits
-- a file at every semicolon, dollar quotes included.
CREATE FUNCTION "labelgate_stored_spelling"(uri text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS E'
DECLARE
  head text\073
  rest text\073
  raw bytea := ''''::bytea\073
  path text\073
  spelled text := ''''\073
  c text\073
  i int := 1\073
BEGIN
  IF uri ~ ''^file:///'' THEN
    head := ''file://''\073
  ELSIF uri ~ ''^(oss|s3)://[^/?#]+/'' THEN
    head := substring(uri from ''^[a-z0-9]+://[^/?#]+/'')\073
  ELSE
    RETURN uri\073
  END IF\073
  rest := substr(uri, length(head) + 1)\073
  IF rest ~ ''[?#]'' OR rest ~* ''(^|/)([.]|%2e)([.]|%2e)?(/|$)'' THEN
    RETURN uri\073
  END IF\073
  WHILE i <= length(rest) LOOP
    c := substr(rest, i, 1)\073
    IF c = ''%'' THEN
      IF substr(rest, i + 1, 2) !~ ''^[0-9A-Fa-f]{2}$'' THEN
        RETURN uri\073
      END IF\073
      raw := raw || decode(substr(rest, i + 1, 2), ''hex'')\073
      i := i + 3\073
    ELSE
      raw := raw || convert_to(c, ''UTF8'')\073
      i := i + 1\073
    END IF\073
  END LOOP\073
  path := convert_from(raw, ''UTF8'')\073
  FOR i IN 1 .. length(path) LOOP
    c := substr(path, i, 1)\073
    IF c IN (''%'', ''?'', ''#'') OR c = chr(92) OR ascii(c) < 32 OR ascii(c) = 127 THEN
      spelled := spelled || ''%'' || upper(lpad(to_hex(ascii(c)), 2, ''0''))\073
    ELSE
      spelled := spelled || c\073
    END IF\073
  END LOOP\073
  RETURN head || spelled\073
EXCEPTION WHEN OTHERS THEN
  RETURN uri\073
END';

CREATE TABLE "labelgate_respelled" AS
  SELECT id, project_id, source_uri, "labelgate_stored_spelling"(source_uri) AS spelled,
      row_number() OVER (PARTITION BY project_id, "labelgate_stored_spelling"(source_uri)
        ORDER BY detected_at DESC, updated_at DESC, id) AS rank
    FROM images;

INSERT INTO outbox_events (operation, image_id, project_id)
  SELECT 'delete', id, project_id FROM "labelgate_respelled" WHERE rank > 1;

DELETE FROM images WHERE id IN (SELECT id FROM "labelgate_respelled" WHERE rank > 1);

UPDATE images SET source_uri = r.spelled
  FROM "labelgate_respelled" r WHERE images.id = r.id AND r.rank = 1 AND r.spelled <> r.source_uri;

INSERT INTO outbox_events (operation, image_id, project_id)
  SELECT 'upsert', id, project_id FROM "labelgate_respelled" WHERE rank = 1 AND spelled <> source_uri;

DROP TABLE "labelgate_respelled";

DROP FUNCTION "labelgate_stored_spelling"(text);
