import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/env';

// Server-side storage profiles: secrets live here, never in queries. credentialConfig names one.
// Strict objects: a misspelt key ("profile" for "profiles", "forcePathStlye") used to be dropped
// silently, leaving a setting that seemed to be there.
const profileSchema = z.strictObject({
  endpoint: z.string().url(),
  region: z.string().default('us-east-1'),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  /** OSS and most self-hosted servers want path-style addressing off; S3Proxy and MinIO want it on. */
  forcePathStyle: z.boolean().default(true),
});

export const storageConfigSchema = z.strictObject({
  profiles: z.record(z.string(), profileSchema).default({}),
  /** Which profile serves a bucket when the request names none ("*" matches every bucket). */
  buckets: z
    .array(z.strictObject({ scheme: z.enum(['oss', 's3', '*']).default('*'), bucket: z.string().min(1), profile: z.string().min(1) }))
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
  // Every problem is one sentence naming the variable it came from.
  if (env.STORAGE_CONFIG && env.STORAGE_CONFIG_FILE)
    throw new ConfigError('Invalid configuration: STORAGE_CONFIG and STORAGE_CONFIG_FILE are both set: set one of them.');
  const variable = env.STORAGE_CONFIG_FILE ? 'STORAGE_CONFIG_FILE' : 'STORAGE_CONFIG';
  let raw = env.STORAGE_CONFIG || '{}';
  if (env.STORAGE_CONFIG_FILE) {
    try {
      raw = readFileSync(env.STORAGE_CONFIG_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration: STORAGE_CONFIG_FILE: cannot read ${env.STORAGE_CONFIG_FILE} (${(error as NodeJS.ErrnoException).code ?? error}).`,
      );
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError(`Invalid configuration: ${variable} is not valid JSON.`);
  }
  const parsed = storageConfigSchema.safeParse(json);
  if (!parsed.success) {
    // An issue at the top (STORAGE_CONFIG='[]') has an empty path: say "the whole value" then.
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.length ? issue.path.join('.') : 'the whole value'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${variable}: ${problems.join('; ')}.`);
  }
  const config = parsed.data;
  const local = env.LOCAL_S3_URL ? new URL(env.LOCAL_S3_URL) : null;
  if (local && !config.profiles[LOCAL_PROFILE]) {
    const [accessKeyId, secretAccessKey] = [decodeURIComponent(local.username), decodeURIComponent(local.password)];
    config.profiles[LOCAL_PROFILE] = { endpoint: local.origin, region: 'us-east-1', accessKeyId, secretAccessKey, forcePathStyle: true };
    config.defaultProfile ??= LOCAL_PROFILE;
  }
  // A bucket or default naming no profile used to pass, and every read of it answered AccessDenied.
  const unknown = [
    ...config.buckets.map((bucket, i) => [`buckets.${i}.profile`, bucket.profile] as const),
    ...(config.defaultProfile ? [['defaultProfile', config.defaultProfile] as const] : []),
  ].filter(([, name]) => !Object.hasOwn(config.profiles, name));
  if (unknown.length)
    throw new ConfigError(
      `Invalid configuration: ${variable}: ${unknown.map(([path, name]) => `${path}: no profile is named "${name}"`).join('; ')} (profiles: ${Object.keys(config.profiles).join(', ') || 'none'}).`,
    );
  return config;
}
