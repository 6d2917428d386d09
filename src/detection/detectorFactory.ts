import { ApiError } from '../errors';
import { SoftmaxClassifier } from './backends/softmaxClassifier';
import { YoloxDetector } from './backends/yoloxDetector';
import { DetectionTaxonomy, LabelDetector } from './labelDetector';
import type { MicroBatcherOptions } from './microBatcher';
import { loadPack, PackError } from './packs/packLoader';
import type { LabelVocabulary, Recognizer } from './recognizer';

export interface DetectorSettings extends MicroBatcherOptions {
  modelDirs: string[];
  threads?: number;
}

async function createRecognizer(dir: string, vocabulary: LabelVocabulary, threads?: number): Promise<Recognizer> {
  const pack = await loadPack(dir);
  const { manifest } = pack;
  if (manifest.kind === 'classifier') {
    return manifest.head === 'softmax'
      ? SoftmaxClassifier.create(pack, manifest, vocabulary, threads)
      : YoloxDetector.create(pack, manifest, vocabulary, threads);
  }
  throw new PackError(`Model pack ${manifest.name} is a ${manifest.kind}, which this build cannot run yet.`);
}

/** Loads every pack named in the settings; no pack at all is ServiceUnavailable, as IMM says when a model is not loaded. */
export async function createLabelDetector(settings: DetectorSettings, taxonomy: DetectionTaxonomy & LabelVocabulary): Promise<LabelDetector> {
  if (settings.modelDirs.length === 0) {
    throw new ApiError('ServiceUnavailable', 'No model pack is available: run `npm run model:pull` (needs internet) or set MODEL_DIR to a pack folder.');
  }
  const recognizers: Recognizer[] = [];
  for (const dir of settings.modelDirs) recognizers.push(await createRecognizer(dir, taxonomy, settings.threads));
  return new LabelDetector(recognizers, taxonomy, settings);
}
