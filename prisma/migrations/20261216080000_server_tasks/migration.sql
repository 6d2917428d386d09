-- Tasks of the whole server rather than of one project (ReindexImages: the search index is shared
-- by every project): their project is null, and only the admin key sees them.
-- (No semicolons in these comments: Prisma splits the script on them.)
ALTER TABLE "tasks" ALTER COLUMN "project_id" DROP NOT NULL;
-- The admin's listing of every task, newest first.
CREATE INDEX "tasks_created_at_id_idx" ON "tasks"("created_at", "id");
