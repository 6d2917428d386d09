// The CLIP pack `npm run model:pull -- clip-vit-b32` downloads: OpenAI's CLIP ViT-B/32 (MIT), as the quantized
// ONNX export Xenova/clip-vit-base-patch32 publishes on the Hugging Face hub, pinned to a revision.
export const DEFAULT_PACK_REPO = 'Xenova/clip-vit-base-patch32';
export const DEFAULT_PACK_REVISION = 'd15189d7028b43f1d3e65039190477f6af591c2a';
export const DEFAULT_PACK_BASE_URL = `https://huggingface.co/${DEFAULT_PACK_REPO}/resolve/${DEFAULT_PACK_REVISION}/`;

export interface RemoteFile {
  path: string;
  bytes: number;
  sha256: string;
}

export const DEFAULT_PACK_FILES: RemoteFile[] = [
  { path: 'config.json', bytes: 4_524, sha256: '493ef57ff783e42d1530c91b53469b7fdf8db8a9c1408e86998fcb7899a4f495' },
  { path: 'onnx/text_model_quantized.onnx', bytes: 64_504_507, sha256: '73baab855d406190da9faa498cfedf65f15cf309f4cc7385b7b032e6d08e5c3a' },
  {
    path: 'onnx/vision_model_quantized.onnx',
    bytes: 89_117_001,
    sha256: '583fd1110a514667812fee7d684952aaf82a99b959760c8d7dca7e0ab9839299',
  },
  { path: 'preprocessor_config.json', bytes: 520, sha256: '6f638fb9401a6d6296feff533ee7efe657b787c49f954f82f5906b36ef2a1b1f' },
  { path: 'tokenizer.json', bytes: 2_224_119, sha256: 'f7f3b7af117d467b58374797691a6438d3e6b9e9cef800dfd5dced7f697a90cd' },
  { path: 'tokenizer_config.json', bytes: 775, sha256: '60ba2912bc6344c94bc16bbdec27fa1209409167b6f2fdf3cfe9e65462ea3967' },
];

const file = (path: string) => {
  const entry = DEFAULT_PACK_FILES.find((f) => f.path === path)!;
  return { path: entry.path, sha256: entry.sha256, bytes: entry.bytes };
};

/** The manifest written beside the downloaded files. */
export const defaultPackManifest = {
  formatVersion: 1,
  name: 'clip-vit-b32',
  version: `xenova-${DEFAULT_PACK_REVISION.slice(0, 7)}-quantized`,
  kind: 'dual-encoder',
  license: 'MIT (OpenAI CLIP weights); ONNX export by Xenova',
  source: `https://huggingface.co/${DEFAULT_PACK_REPO} @ ${DEFAULT_PACK_REVISION}`,
  files: {
    imageEncoder: file('onnx/vision_model_quantized.onnx'),
    textEncoder: file('onnx/text_model_quantized.onnx'),
    tokenizer: file('tokenizer.json'),
  },
  // CLIP: shorter side to 224, centre crop 224, its own mean/std.
  input: {
    width: 224,
    height: 224,
    resize: 'centre-crop',
    cropFraction: 1,
    channelOrder: 'RGB',
    scale: 255,
    mean: [0.48145466, 0.4578275, 0.40821073],
    std: [0.26862954, 0.26130258, 0.27577711],
    dynamicBatch: true,
  },
  tokenizer: { kind: 'clip-bpe', contextLength: 77 },
  embeddingSize: 512,
  prompt: 'a photo of {label}.',
  // ViT-B/32 puts matching label prompts near cosine 0.30 and unrelated ones near 0.18: an estimate,
  // not fitted here (no weights on this machine); refit with real photos when the pack is at hand.
  calibration: { scale: 40, bias: 0.25 },
};
