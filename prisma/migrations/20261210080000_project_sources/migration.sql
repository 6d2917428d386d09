-- Projects list the sources they may read (storage profiles with their buckets, file roots, https).
-- Projects that exist before this migration keep reading every source the server serves
-- ("allServerSources", the first default, which Postgres keeps in the catalogue: no table rewrite),
-- so nothing breaks on upgrade, until an updateProject that sets sources replaces it with a list.
-- Projects created afterwards get the second default, no sources, unless createProject lists them.
-- (No semicolons in these comments: Prisma splits the script on them.)
ALTER TABLE "projects" ADD COLUMN "sources" JSONB NOT NULL DEFAULT '{"allServerSources":true,"storageProfiles":[],"fileRoots":[],"https":false}';
ALTER TABLE "projects" ALTER COLUMN "sources" SET DEFAULT '{"allServerSources":false,"storageProfiles":[],"fileRoots":[],"https":false}';
