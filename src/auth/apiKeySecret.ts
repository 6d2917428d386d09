import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// A key reads lg_<id>_<secret>: the id is public (logs and lists name keys by it) and finds the
// row; only the secret's hash is stored. Secrets are 256 random bits, so a plain SHA-256 is enough
// (there is nothing to brute-force); a slow password hash would only make every request slower.
const KEY_PATTERN = /^lg_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  id: string;
  secret: string;
  /** The whole key, shown to its owner once. */
  key: string;
  secretHash: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function issueKey(): IssuedKey {
  const id = randomBytes(10).toString('hex').slice(0, 16);
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, key: `lg_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed key; null for anything else. */
export function parseKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { id: match[1], secret: match[2] } : null;
}

/** Constant-time comparison of two secrets through their hashes (equal lengths, whatever the input). */
export function sameSecret(secret: string, expectedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(secret), 'hex'), Buffer.from(expectedHash, 'hex'));
}

/** Generates an admin key for installations that have not set one. */
export const generateAdminKey = (): string => `lg_admin_${randomBytes(32).toString('base64url')}`;
