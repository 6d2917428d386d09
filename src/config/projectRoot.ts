import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// The code runs from src/ (ts-jest, prisma.config.ts) and from dist/src/ (compiled), so the root is
// found by walking up to package.json rather than by a fixed relative path.
function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(__dirname);
/**
 * The shared data beside the project (model weights, taxonomy sources, test photos; read only, never
 * copied in); LABELGATE_SHARED_DIR points elsewhere.
 */
export const sharedDir = resolve(process.env.LABELGATE_SHARED_DIR || join(projectRoot, '..', 'shared'));
/** Services state and the servers labelgate starts itself; LABELGATE_LOCAL_DIR moves it. */
export const localDir = process.env.LABELGATE_LOCAL_DIR || join(projectRoot, '.local');
