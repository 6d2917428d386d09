-- AlterTable
ALTER TABLE "projects" ADD COLUMN "queries_per_second" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "api_keys" (
    "id" VARCHAR(32) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "actions" VARCHAR(64)[],
    "project_names" VARCHAR(128)[],
    "all_projects" BOOLEAN NOT NULL DEFAULT false,
    "queries_per_second" DOUBLE PRECISION,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "api_keys_created_at_id_idx" ON "api_keys"("created_at", "id");
