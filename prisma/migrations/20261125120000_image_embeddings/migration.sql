-- Semantic search: the image embedding of the last detection (when its pack is a dual encoder) and
-- the model that made it. Postgres keeps the vectors so a reindex can rebuild them. Existing images
-- have none ('{}' by default, no table rewrite).
ALTER TABLE "images"
    ADD COLUMN "embedding" REAL[] DEFAULT ARRAY[]::REAL[],
    ADD COLUMN "embedding_model" VARCHAR(256);
