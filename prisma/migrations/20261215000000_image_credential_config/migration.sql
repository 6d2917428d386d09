-- The storage profile a detection read an oss:// or s3:// image through (its credentialConfig), so
-- that serving the image later (a presigned URL, a thumbnail) reads it the same way. Null: the
-- server's bucket mapping or default profile, as for images stored before this column.
ALTER TABLE "images" ADD COLUMN "credential_config" VARCHAR(256);
