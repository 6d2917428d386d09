-- Label ids are ASCII identifiers. Compared byte by byte ("C"), a label's ties sort in Postgres as
-- they do in the code, whatever the database's locale (en_US, Docker's default, ignores hyphens).
ALTER TABLE "image_labels" ALTER COLUMN "label_id" SET DATA TYPE VARCHAR(128) COLLATE "C";
