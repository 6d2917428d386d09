import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

const readJson = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new PackError(`${path} is not valid JSON (${(error as Error).message}).`);
  }
};

/** The bundled manifest whose files are all in the folder at their promised sizes (a known pack copied under another name). */
function bundledManifestByFiles(dir: string): string | null {
  for (const name of readdirSync(bundledManifestDir).filter((file) => file.endsWith('.json'))) {
    const path = join(bundledManifestDir, name);
    const files = Object.values((readJson(path) as { files?: Record<string, { path: string; bytes?: number }> }).files ?? {});
    const present = (file: { path: string; bytes?: number }) => {
      const at = join(dir, file.path);
      return existsSync(at) && (file.bytes === undefined || statSync(at).size === file.bytes);
    };
    if (files.length > 0 && files.every(present)) return path;
  }
  return null;
}

/**
 * manifest.json in the pack, else the bundled manifest of a known pack published without one (by
 * the folder's name, or by its files when it was copied under another name).
 */
export function findManifest(dir: string): string {
  const own = join(dir, 'manifest.json');
  if (existsSync(own)) return own;
  const bundled = join(bundledManifestDir, `${basename(resolve(dir))}.json`);
  if (existsSync(bundled)) return bundled;
  const byFiles = bundledManifestByFiles(dir);
  if (byFiles) return byFiles;
  // A folder of packs (the shared models/ folder, model:pull's .local/models) is named instead of its packs.
  const packs = readdirSync(dir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        (existsSync(join(dir, entry.name, 'manifest.json')) || existsSync(join(bundledManifestDir, `${entry.name}.json`))),
    )
    .map((entry) => entry.name);
  if (packs.length > 0)
    throw new PackError(
      `${dir} holds model packs (${packs.join(', ')}), not one pack: name the pack folders in MODEL_DIR, comma-separated.`,
    );
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
  if (!existsSync(dir)) throw new PackError(`Model pack folder ${dir} does not exist.`);
  if (!statSync(dir).isDirectory()) throw new PackError(`${dir} is a file, not a model pack folder.`);
  const manifestPath = findManifest(dir);
  const parsed = manifestSchema.safeParse(readJson(manifestPath));
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
