-- Images gain what detection stores about them. Before this migration no code path created
-- images, so the table is empty and the new columns need no defaults.
ALTER TABLE "images"
    ADD COLUMN "sha256" CHAR(64) NOT NULL,
    ADD COLUMN "width" INTEGER NOT NULL,
    ADD COLUMN "height" INTEGER NOT NULL,
    ADD COLUMN "format" VARCHAR(8) NOT NULL,
    ADD COLUMN "bytes" INTEGER NOT NULL,
    ADD COLUMN "model_version" VARCHAR(256) NOT NULL,
    ADD COLUMN "taxonomy_version" VARCHAR(64) NOT NULL,
    ADD COLUMN "detected_at" TIMESTAMPTZ(3) NOT NULL;

-- CreateTable
CREATE TABLE "image_labels" (
    "image_id" UUID NOT NULL,
    "label_id" VARCHAR(128) NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "centric_score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "image_labels_pkey" PRIMARY KEY ("image_id","label_id")
);

-- CreateTable
CREATE TABLE "detections" (
    "id" UUID NOT NULL,
    "image_id" UUID NOT NULL,
    "request_id" VARCHAR(128) NOT NULL,
    "model_version" VARCHAR(256) NOT NULL,
    "taxonomy_version" VARCHAR(64) NOT NULL,
    "label_count" INTEGER NOT NULL,
    "decode_ms" DOUBLE PRECISION NOT NULL,
    "inference_ms" DOUBLE PRECISION NOT NULL,
    "total_ms" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "detections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" BIGSERIAL NOT NULL,
    "operation" VARCHAR(16) NOT NULL,
    "image_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(1024),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "images_project_id_created_at_idx" ON "images"("project_id", "created_at");

-- CreateIndex
CREATE INDEX "image_labels_label_id_idx" ON "image_labels"("label_id");

-- CreateIndex
CREATE INDEX "detections_image_id_created_at_idx" ON "detections"("image_id", "created_at");

-- CreateIndex
CREATE INDEX "outbox_events_next_attempt_at_id_idx" ON "outbox_events"("next_attempt_at", "id");

-- AddForeignKey
ALTER TABLE "image_labels" ADD CONSTRAINT "image_labels_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "detections" ADD CONSTRAINT "detections_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "images"("id") ON DELETE CASCADE ON UPDATE CASCADE;
