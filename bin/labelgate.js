#!/usr/bin/env node
// `npx labelgate …`: runs the compiled CLI (npm ci && npm run build first).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const cli = join(__dirname, '..', 'dist', 'src', 'cli', 'labelgate.js');
if (!existsSync(cli)) {
  console.error('labelgate: the project is not built yet: run `npm run build` first.');
  process.exit(1);
}
require(cli);
