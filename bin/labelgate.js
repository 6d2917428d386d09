#!/usr/bin/env node
// `npx labelgate …`: runs the compiled CLI (npm ci && npm run build first).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const root = join(__dirname, '..');
const cli = join(root, 'dist', 'src', 'cli', 'labelgate.js');
if (!existsSync(cli)) {
  console.error('labelgate: the project is not built yet: run `npm run build` first.');
  process.exit(1);
}
// The project's .env, as `npm start` reads it (without a UTF-8 byte order mark, which
// process.loadEnvFile would keep in the first name); variables already set win.
const envFile = join(root, '.env');
if (existsSync(envFile)) require(join(root, 'dist', 'src', 'config', 'dotEnv.js')).loadDotEnv(envFile);
require(cli);
