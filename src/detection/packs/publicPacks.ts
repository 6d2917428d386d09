// The packs `npm run model:pull` can fetch, each from where its authors publish it, pinned to a
// release, revision or commit, with the size and SHA-256 of every file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PACK_BASE_URL, DEFAULT_PACK_FILES, defaultPackManifest, RemoteFile } from './defaultPack';
import { bundledManifestDir } from './packLoader';

export interface PublicFile extends RemoteFile {
  url: string;
}

export interface PublicPack {
  name: string;
  /** What it labels, for the command's help. */
  summary: string;
  files: PublicFile[];
  /** Written as the pack's manifest.json; packs without one use the bundled manifest. */
  manifest?: object;
  /** The files are sources that the scene converter turns into the bundled manifest's model file. */
  buildScenePack?: true;
  /** Pulled when no pack is named. */
  inDefaultSet: boolean;
}

/** The model file a bundled manifest names, fetched from `url`. */
function bundledModelFile(pack: string, url: string): PublicFile {
  const manifest = JSON.parse(readFileSync(join(bundledManifestDir, `${pack}.json`), 'utf8')) as { files: { model: RemoteFile } };
  const { path, bytes, sha256 } = manifest.files.model;
  return { path, bytes, sha256, url };
}

export const SCENE_PACK = 'squeezenet-places365';

export const PUBLIC_PACKS: PublicPack[] = [
  {
    name: 'mobilenetv2-12-int8',
    summary: '1,000 ImageNet classes (ONNX Model Zoo, Apache-2.0)',
    files: [
      bundledModelFile(
        'mobilenetv2-12-int8',
        'https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/mobilenetv2-12-int8.onnx',
      ),
    ],
    inDefaultSet: true,
  },
  {
    name: 'yolox-nano',
    summary: '80 COCO classes with boxes (YOLOX 0.1.1rc0, Apache-2.0)',
    files: [bundledModelFile('yolox-nano', 'https://github.com/Megvii-BaseDetection/YOLOX/releases/download/0.1.1rc0/yolox_nano.onnx')],
    inDefaultSet: true,
  },
  {
    name: SCENE_PACK,
    summary: '365 Places365 scenes, built from the published weights (no licence stated: research and evaluation only)',
    files: [
      {
        path: 'squeezenet_weights_places365.params',
        bytes: 3_694_242,
        sha256: '162b88966e38f586d4224bcc4324078e32fc484ac1824cc73876e9775b0fcc16',
        url: 'https://raw.githubusercontent.com/urbste/squeezenet_places365/edb6ca9bb8455856a0a61cd5c3bcb8ac3c101e9a/squeezenet_weights_places365.params',
      },
      {
        path: 'places365CNN_mean.binaryproto',
        bytes: 786_446,
        sha256: 'b14536a69d62eb63c11f175205060b1cbb601b64bc5c6730222554b2e28f6fd7',
        url: 'https://raw.githubusercontent.com/CSAILVision/places365/06218620d593de09ac4f9f39b72ea0d175990a24/places365CNN_mean.binaryproto',
      },
    ],
    buildScenePack: true,
    inDefaultSet: true,
  },
  {
    name: 'clip-vit-b32',
    summary: 'CLIP ViT-B/32: every label zero-shot, and semantic search (155 MB, MIT)',
    files: DEFAULT_PACK_FILES.map((file) => ({ ...file, url: new URL(file.path, DEFAULT_PACK_BASE_URL).toString() })),
    manifest: defaultPackManifest,
    inDefaultSet: false,
  },
];

/** The files of a pack as a mirror serves them: `<mirror>/<pack>/<path>`. */
export function fromMirror(pack: PublicPack, mirror: string | undefined): PublicFile[] {
  if (!mirror) return pack.files;
  const base = mirror.endsWith('/') ? mirror : `${mirror}/`;
  return pack.files.map((file) => ({ ...file, url: new URL(`${pack.name}/${file.path}`, base).toString() }));
}
