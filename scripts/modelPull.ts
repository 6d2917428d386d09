// `npm run model:pull [-- pack… | all]`: fetches model packs from where their authors publish them,
// verified, into .local/models/<pack> (LABELGATE_PULL_DIR). No pack named: the default set.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config/projectRoot';
import { downloadVerified, DownloadError, progressPrinter } from '../src/detection/packs/packDownloader';
import { pulledPacksDir } from '../src/detection/packs/modelDirs';
import { findManifest, sha256File } from '../src/detection/packs/packLoader';
import { fromMirror, PUBLIC_PACKS, PublicPack } from '../src/detection/packs/publicPacks';

const usage = () =>
  [
    'Usage: npm run model:pull [-- PACK... | all]   (no pack: the default set, marked *)',
    ...PUBLIC_PACKS.map((p) => `  ${p.inDefaultSet ? '*' : ' '} ${p.name.padEnd(22)} ${p.summary}`),
  ].join('\n');

const HOW_TO_GET_SCENE_PYTHON =
  'building the scene pack needs Python 3 with numpy and onnx (apt-get install python3-numpy python3-onnx, or pip install numpy onnx; LABELGATE_PYTHON names another python)';

/** A python that can run the converter: LABELGATE_PYTHON, else python3, else Debian's own. */
function converterPython(): string | null {
  const candidates = process.env.LABELGATE_PYTHON ? [process.env.LABELGATE_PYTHON] : ['python3', '/usr/bin/python3'];
  return candidates.find((python) => spawnSync(python, ['-c', 'import numpy, onnx'], { stdio: 'ignore' }).status === 0) ?? null;
}

/** Converts the downloaded sources into the model file the bundled manifest names, or refuses. */
async function buildScenePack(python: string, dir: string, sources: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(findManifest(dir), 'utf8')) as { files: { model: { path: string; sha256: string } } };
  const target = join(dir, manifest.files.model.path);
  const part = `${target}.part`;
  const [params, mean] = PUBLIC_PACKS.find((p) => p.buildScenePack)!.files.map((file) => join(sources, file.path));
  const result = spawnSync(python, [join(projectRoot, 'scripts', 'scenePack', 'convert.py'), params, mean, part], { encoding: 'utf8' });
  if (result.status !== 0) {
    rmSync(part, { force: true });
    throw new DownloadError(
      `The scene pack converter failed: ${(result.stderr || result.stdout || String(result.error)).trim().split('\n').at(-1)}`,
    );
  }
  const digest = await sha256File(part);
  if (digest !== manifest.files.model.sha256) {
    rmSync(part, { force: true });
    throw new DownloadError(
      `The converted scene model has SHA-256 ${digest}, not the manifest's ${manifest.files.model.sha256}: another numpy or onnx version wrote it differently; nothing was kept.`,
    );
  }
  renameSync(part, target);
}

async function pull(pack: PublicPack, python: string | null): Promise<void> {
  const dir = join(pulledPacksDir, pack.name);
  const sources = pack.buildScenePack ? join(dir, 'source') : dir;
  await downloadVerified(fromMirror(pack, process.env.LABELGATE_MODEL_MIRROR), sources, progressPrinter());
  if (pack.manifest) writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(pack.manifest, null, 2)}\n`);
  if (pack.buildScenePack) await buildScenePack(python!, dir, sources);
}

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  if (names.includes('--help') || names.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const unknown = names.filter((name) => name !== 'all' && !PUBLIC_PACKS.some((p) => p.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown pack ${unknown.join(', ')}.\n${usage()}`);
    return 2;
  }
  const named = names.length > 0;
  const chosen = PUBLIC_PACKS.filter((p) => (named ? names.includes('all') || names.includes(p.name) : p.inDefaultSet));

  const python = chosen.some((p) => p.buildScenePack) ? converterPython() : null;
  const skipped: string[] = [];
  const ready: string[] = [];
  for (const pack of chosen) {
    if (pack.buildScenePack && !python) {
      // Named on purpose, it is an error; as part of the default set, the others still come.
      if (named) throw new DownloadError(`Cannot build ${pack.name}: ${HOW_TO_GET_SCENE_PYTHON}.`);
      skipped.push(pack.name);
      continue;
    }
    mkdirSync(join(pulledPacksDir, pack.name), { recursive: true });
    await pull(pack, python);
    ready.push(pack.name);
  }
  console.log(`Ready in ${pulledPacksDir}: ${ready.join(', ')}. Labelgate loads them when MODEL_DIR is unset.`);
  for (const name of skipped) console.log(`Skipped ${name}: ${HOW_TO_GET_SCENE_PYTHON}; then run npm run model:pull -- ${name}.`);
  return 0;
}

main()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof DownloadError ? error.message : `model:pull failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
