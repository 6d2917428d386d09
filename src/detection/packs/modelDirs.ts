import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { localDir, projectRoot, sharedDir } from '../../config/projectRoot';

/** Where `npm run model:pull` puts the default CLIP pack. */
export const pulledPackDir = join(localDir, 'models', 'clip-vit-b32');
/**
 * Real packs shared beside the project on machines that cannot download (see sharedDir): objects
 * (ImageNet classes, COCO boxes) and scenes (Places365).
 */
export const sharedPackDirs = ['mobilenetv2-12-int8', 'yolox-nano', 'squeezenet-places365'].map((name) => join(sharedDir, 'models', name));

/**
 * MODEL_DIR (one folder, or several separated by commas whose labels are combined), else the pulled
 * CLIP pack, else the real packs in the shared folder's models/. Empty when there is none.
 */
export function resolveModelDirs(modelDir: string | undefined): string[] {
  if (modelDir) return modelDir.split(',').map((dir) => resolve(projectRoot, dir.trim())).filter(Boolean);
  if (existsSync(join(pulledPackDir, 'manifest.json'))) return [pulledPackDir];
  return sharedPackDirs.filter((dir) => existsSync(dir));
}
