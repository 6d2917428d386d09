// `npm run model:pull`: downloads the default CLIP pack into .local/models/clip-vit-b32, verified.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PACK_BASE_URL, DEFAULT_PACK_FILES, defaultPackManifest } from '../src/detection/packs/defaultPack';
import { downloadVerified, DownloadError, progressPrinter } from '../src/detection/packs/packDownloader';
import { pulledPackDir } from '../src/detection/packs/modelDirs';

async function main(): Promise<void> {
  // A mirror of the hub (same paths) for networks that cannot reach huggingface.co.
  const baseUrl = process.env.LABELGATE_MODEL_MIRROR || DEFAULT_PACK_BASE_URL;
  const dir = process.env.LABELGATE_PULL_DIR || pulledPackDir;
  await downloadVerified(baseUrl, DEFAULT_PACK_FILES, dir, progressPrinter());
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(defaultPackManifest, null, 2)}\n`);
  console.log(`CLIP pack ready in ${dir}; Labelgate uses it when MODEL_DIR is unset.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof DownloadError ? error.message : `model:pull failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
