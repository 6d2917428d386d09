import { join } from 'node:path';
import { localDir } from '../config/projectRoot';
import { ApiError } from '../api/errors';
import { DualEncoder } from './backends/dualEncoder';
import { SoftmaxClassifier } from './backends/softmaxClassifier';
import { YoloxDetector } from './backends/yoloxDetector';
import { InferenceRules } from './inferenceRules';
import { SourceCalibration } from './sourceCalibration';
import { DetectionTaxonomy, DetectorTuning, LabelDetector } from './labelDetector';
import type { PackManifest } from './packs/manifest';
import { loadPack } from './packs/packLoader';
import type { LabelVocabulary, Recognizer } from './recognizer';

export interface DetectorSettings extends DetectorTuning {
  modelDirs: string[];
  threads?: number;
  /** Where dual encoders cache the label embeddings they compute at first start. */
  cacheDir?: string;
}

async function createRecognizer(
  dir: string,
  vocabulary: LabelVocabulary,
  settings: DetectorSettings,
  loaded: PackManifest[],
): Promise<Recognizer> {
  const pack = await loadPack(dir);
  const { manifest } = pack;
  loaded.push(manifest);
  const { threads } = settings;
  if (manifest.kind === 'dual-encoder') {
    const cacheDir = settings.cacheDir ?? join(localDir, 'cache', 'label-embeddings');
    return DualEncoder.create(pack, manifest, vocabulary.promptLabels(), vocabulary.version, cacheDir, threads);
  }
  return manifest.head === 'softmax'
    ? SoftmaxClassifier.create(pack, manifest, vocabulary, threads)
    : YoloxDetector.create(pack, manifest, vocabulary, threads);
}

/** What the server and the CLI say when there is no pack to load. */
export const NO_PACK_MESSAGE = 'No model pack is available: run `npm run model:pull` (needs internet) or set MODEL_DIR to a pack folder.';

/**
 * Loads every pack named in the settings, with their manifests (the start log names them); no pack
 * at all is ServiceUnavailable, as IMM says when a model is not loaded.
 */
export async function createLabelDetector(
  settings: DetectorSettings,
  taxonomy: DetectionTaxonomy & LabelVocabulary,
): Promise<{ detector: LabelDetector; packs: PackManifest[] }> {
  if (settings.modelDirs.length === 0) throw new ApiError('ServiceUnavailable', NO_PACK_MESSAGE);
  const recognizers: Recognizer[] = [];
  const packs: PackManifest[] = [];
  try {
    for (const dir of settings.modelDirs) recognizers.push(await createRecognizer(dir, taxonomy, settings, packs));
  } catch (error) {
    // The packs loaded so far hold model threads: end them, the server goes on without detection.
    await Promise.allSettled(recognizers.map((r) => r.close()));
    throw error;
  }
  return { detector: new LabelDetector(recognizers, taxonomy, settings, InferenceRules.load(taxonomy), SourceCalibration.load()), packs };
}
