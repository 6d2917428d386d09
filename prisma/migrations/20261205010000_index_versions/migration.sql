-- Every change of an image takes a new version from one sequence. The relay sends it to
-- Elasticsearch as the document's external version, so a relay writing an older state after a newer
-- one was indexed is refused there (writes of one row take their versions in commit order: the
-- trigger runs once the row is locked).
-- Starting far above any version Elasticsearch gave documents written before (internal versions
-- count each write from 1), so the first versioned write of every existing document wins.
CREATE SEQUENCE "image_index_versions" START WITH 1000000000000000;

ALTER TABLE "images" ADD COLUMN "index_version" BIGINT NOT NULL DEFAULT nextval('image_index_versions');

-- The function bodies are E'' strings spelling their semicolons \073: Prisma's offline (js engine)
-- migration runner splits a file at every semicolon, dollar quotes included.
CREATE FUNCTION "images_take_index_version"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN NEW.index_version := nextval(''image_index_versions'')\073 RETURN NEW\073 END';

CREATE TRIGGER "images_index_version" BEFORE UPDATE ON "images"
  FOR EACH ROW EXECUTE FUNCTION "images_take_index_version"();

-- New outbox events wake the relays of every gateway process (LISTEN outbox_events), not only the
-- one that wrote them (sent at commit, once per transaction).
CREATE FUNCTION "outbox_events_notify"() RETURNS trigger LANGUAGE plpgsql
  AS E'BEGIN PERFORM pg_notify(''outbox_events'', '''')\073 RETURN NULL\073 END';

CREATE TRIGGER "outbox_events_notify" AFTER INSERT ON "outbox_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "outbox_events_notify"();
