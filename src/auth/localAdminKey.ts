import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDir } from '../config/projectRoot';
import { generateAdminKey } from './apiKeySecret';

export const localAdminKeyFile = join(localDir, 'admin-api-key');

/**
 * For `npm start` on a development machine where no admin key is configured: makes one once, in a
 * file only its owner can read, and points ADMIN_API_KEY_FILE at it. Returns the file, or null when
 * a key is configured or NODE_ENV is production (there a missing key stops the start).
 */
export function ensureLocalAdminKey(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ADMIN_API_KEY || env.ADMIN_API_KEY_FILE || env.NODE_ENV === 'production') return null;
  if (!existsSync(localAdminKeyFile)) {
    mkdirSync(localDir, { recursive: true });
    writeFileSync(localAdminKeyFile, `${generateAdminKey()}\n`, { mode: 0o600, flag: 'wx' });
  }
  env.ADMIN_API_KEY_FILE = localAdminKeyFile;
  return localAdminKeyFile;
}
