// Preloaded by the npm scripts (`node -r ./dist/src/config/dotEnvPreload.js …`): the project's .env,
// when there is one, fills what the shell leaves unset (Node's own parser; a shell variable wins).
// Node's --env-file-if-exists would do the same but prints a line on every start without a .env.
import { existsSync } from 'node:fs';
import { loadDotEnv } from './dotEnv';

if (existsSync('.env')) loadDotEnv('.env');
