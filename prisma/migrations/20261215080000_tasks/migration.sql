-- Labeling tasks (IMM-style asynchronous tasks over a bucket prefix or a folder). The queue itself
-- is pg-boss's, in its own schema "pgboss" (created by pg-boss at start): a task row and its first
-- job are written in one transaction (src/tasks/taskRepository.ts).
-- (No semicolons in these comments: Prisma splits the script on them.)
CREATE TABLE "tasks" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "project_id" UUID NOT NULL,
    "task_type" VARCHAR(64) NOT NULL,
    "state" VARCHAR(16) NOT NULL DEFAULT 'QUEUED',
    "source_uris" VARCHAR(2048)[] NOT NULL,
    "credential_config" VARCHAR(128),
    "options" JSONB NOT NULL DEFAULT '{}',
    "item_limit" INTEGER NOT NULL,
    "request_id" VARCHAR(128) NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "listed" BOOLEAN NOT NULL DEFAULT false,
    "list_cursor" JSONB,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "code" VARCHAR(64),
    "message" VARCHAR(1024),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "start_time" TIMESTAMPTZ(3),
    "end_time" TIMESTAMPTZ(3),
    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tasks_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "tasks_project_id_created_at_id_idx" ON "tasks"("project_id", "created_at", "id");
-- The per-project limit counts the tasks still to finish.
CREATE INDEX "tasks_project_id_state_idx" ON "tasks"("project_id", "state");

-- One image of a task: listed once, then labelled, skipped or failed exactly once (the worker marks
-- it in the transaction that stores its detection, only while it is still PENDING).
CREATE TABLE "task_items" (
    "task_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "source_uri" VARCHAR(2048) NOT NULL,
    "state" VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    "error_code" VARCHAR(64),
    "error_message" VARCHAR(1024),
    -- The worker process (host:pid) that settled it.
    "worker" VARCHAR(128),
    CONSTRAINT "task_items_pkey" PRIMARY KEY ("task_id", "seq"),
    CONSTRAINT "task_items_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- A task's errors, a page at a time.
CREATE INDEX "task_items_failed_idx" ON "task_items"("task_id", "seq") WHERE "state" = 'FAILED';
