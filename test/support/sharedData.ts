import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { sharedDir } from '../../src/config/projectRoot';

export { sharedDir };
export const sharedImage = (path: string) => resolve(sharedDir, 'images', path);

if (!existsSync(sharedDir)) throw new Error(`Test data folder ${sharedDir} is missing (set LABELGATE_SHARED_DIR).`);
