import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServicesState } from '../../tools/services/serviceUrls';

/** The S3Proxy that `npm test` starts. */
export const localS3 = () => readServicesState().s3!;

/** A client of the local S3Proxy with its own credentials. */
export function localS3Client(): S3Client {
  const s3 = localS3();
  return new S3Client({
    endpoint: s3.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/** Creates each bucket, and in each bucket and in each folder (made in a new temporary folder) puts `body` as `name`; returns that folder. */
export async function twoSourcesOf(buckets: string[], folders: string[], name: string, body: Buffer, stem: string): Promise<string> {
  const client = localS3Client();
  for (const bucket of buckets) {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: name, Body: body }));
  }
  client.destroy();
  const root = mkdtempSync(join(tmpdir(), stem));
  for (const folder of folders) {
    mkdirSync(join(root, folder));
    writeFileSync(join(root, folder, name), body);
  }
  return root;
}
