-- Object labels' boxes (Rekognition's Instances): shares of the image, most confident first.
ALTER TABLE "image_labels" ADD COLUMN "instances" JSONB NOT NULL DEFAULT '[]';
