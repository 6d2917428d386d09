import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * Sets the variables of a .env file that the environment leaves unset, as process.loadEnvFile does,
 * but without a leading UTF-8 byte order mark (Windows editors write one): loadEnvFile kept it in
 * the first name, so the first variable was silently lost. bin/labelgate.js does the same.
 */
export function loadDotEnv(file: string, env: NodeJS.ProcessEnv = process.env): void {
  const parsed = parseEnv(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  for (const [name, value] of Object.entries(parsed)) if (env[name] === undefined) env[name] = value;
}
