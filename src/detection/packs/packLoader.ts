import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { projectRoot } from '../../config/projectRoot';
import { manifestSchema, PackManifest } from './manifest';

export class PackError extends Error {}

export interface LoadedPack {
  dir: string;
  manifest: PackManifest;
  manifestPath: string;
  /** Absolute path of a file named in the manifest. */
  file(path: string): string;
  /** Absolute path of something named relative to the manifest (class maps). */
  besideManifest(path: string): string;
}

export const bundledManifestDir = join(projectRoot, 'models', 'manifests');

/** manifest.json in the pack, else the bundled manifest for a known pack published without one. */
export function findManifest(dir: string): string {
  const own = join(dir, 'manifest.json');
  if (existsSync(own)) return own;
  const bundled = join(bundledManifestDir, `${basename(resolve(dir))}.json`);
  if (existsSync(bundled)) return bundled;
  throw new PackError(`${dir} has no manifest.json and is not a pack Labelgate knows.`);
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads a pack's manifest and checks that every file is there with the promised SHA-256. */
export async function loadPack(dirInput: string): Promise<LoadedPack> {
  const dir = isAbsolute(dirInput) ? dirInput : resolve(projectRoot, dirInput);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new PackError(`Model pack folder ${dir} does not exist.`);
  const manifestPath = findManifest(dir);
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  if (!parsed.success) {
    throw new PackError(
      `${manifestPath} is not a valid pack manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const manifest = parsed.data;
  for (const entry of Object.values(manifest.files)) {
    const path = join(dir, entry.path);
    if (!existsSync(path)) throw new PackError(`Model pack ${manifest.name} lacks ${entry.path}.`);
    const actual = await sha256File(path);
    if (actual !== entry.sha256)
      throw new PackError(
        `${path} has SHA-256 ${actual}, but the manifest expects ${entry.sha256}: the file is damaged or another version.`,
      );
  }
  return {
    dir,
    manifest,
    manifestPath,
    file: (path) => join(dir, path),
    besideManifest: (path) => resolve(dirname(manifestPath), path),
  };
}
