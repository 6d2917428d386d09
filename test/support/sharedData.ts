import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';

/** ../shared beside the project (read-only test data; see its README). */
export const sharedDir = process.env.LABELGATE_SHARED_DIR ?? resolve(projectRoot, '..', 'shared');
export const sharedImage = (path: string) => resolve(sharedDir, 'images', path);

if (!existsSync(sharedDir)) throw new Error(`Test data folder ${sharedDir} is missing (set LABELGATE_SHARED_DIR).`);
