import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localDir, projectRoot, sharedDir } from '../../config/projectRoot';
import { findManifest } from './packLoader';
import { PUBLIC_PACKS } from './publicPacks';

/** Where `npm run model:pull` puts packs, one folder each. */
export const pulledPacksDir = resolve(process.env.LABELGATE_PULL_DIR || join(localDir, 'models'));
/**
 * Real packs shared beside the project on machines that cannot download (see sharedDir): objects
 * (ImageNet classes, COCO boxes) and scenes (Places365).
 */
export const sharedPackDirs = ['mobilenetv2-12-int8', 'yolox-nano', 'squeezenet-places365'].map((name) => join(sharedDir, 'models', name));

/** Whether a folder holds every file its manifest names (their hashes are checked when it loads). */
function isCompletePack(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(findManifest(dir), 'utf8')) as { files: Record<string, { path: string }> };
    return Object.values(manifest.files).every((file) => existsSync(join(dir, file.path)));
  } catch {
    return false;
  }
}

/**
 * MODEL_DIR (one folder, or several separated by commas whose labels are combined), else every
 * complete pack model:pull fetched, else the real packs in the shared folder's models/. Empty when
 * there is none.
 */
export function resolveModelDirs(modelDir: string | undefined): string[] {
  if (modelDir)
    return modelDir
      .split(',')
      .map((dir) => resolve(projectRoot, dir.trim()))
      .filter(Boolean);
  const pulled = PUBLIC_PACKS.map((pack) => join(pulledPacksDir, pack.name)).filter(isCompletePack);
  if (pulled.length > 0) return pulled;
  return sharedPackDirs.filter((dir) => existsSync(dir));
}
