import { readFileSync } from 'node:fs';
import { z } from 'zod';

// Server-side storage profiles: secrets live here, never in queries. credentialConfig names one.
const profileSchema = z.object({
  endpoint: z.string().url(),
  region: z.string().default('us-east-1'),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  /** OSS and most self-hosted servers want path-style addressing off; S3Proxy and MinIO want it on. */
  forcePathStyle: z.boolean().default(true),
});

export const storageConfigSchema = z.object({
  profiles: z.record(z.string(), profileSchema).default({}),
  /** Which profile serves a bucket when the request names none ("*" matches every bucket). */
  buckets: z
    .array(z.object({ scheme: z.enum(['oss', 's3', '*']).default('*'), bucket: z.string().min(1), profile: z.string().min(1) }))
    .default([]),
  defaultProfile: z.string().optional(),
});

export type StorageProfile = z.infer<typeof profileSchema>;
export type StorageConfig = z.infer<typeof storageConfigSchema>;

export const LOCAL_PROFILE = 'local';

/**
 * STORAGE_CONFIG (inline JSON) or STORAGE_CONFIG_FILE (a JSON file). When neither names a default
 * and LOCAL_S3_URL names a local S3 server (http://key:secret@host:port, as `npm start` passes
 * the S3Proxy `npm run services` started), a "local" profile for it serves every bucket.
 */
export function loadStorageConfig(env: NodeJS.ProcessEnv = process.env): StorageConfig {
  const raw = env.STORAGE_CONFIG ?? (env.STORAGE_CONFIG_FILE ? readFileSync(env.STORAGE_CONFIG_FILE, 'utf8') : '{}');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${env.STORAGE_CONFIG ? 'STORAGE_CONFIG' : 'STORAGE_CONFIG_FILE'} is not valid JSON`);
  }
  const parsed = storageConfigSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(`Invalid storage configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const config = parsed.data;
  const local = env.LOCAL_S3_URL ? new URL(env.LOCAL_S3_URL) : null;
  if (local && !config.profiles[LOCAL_PROFILE]) {
    const [accessKeyId, secretAccessKey] = [decodeURIComponent(local.username), decodeURIComponent(local.password)];
    config.profiles[LOCAL_PROFILE] = { endpoint: local.origin, region: 'us-east-1', accessKeyId, secretAccessKey, forcePathStyle: true };
    config.defaultProfile ??= LOCAL_PROFILE;
  }
  return config;
}
