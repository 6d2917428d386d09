import type { AppConfig } from '../config/env';
import { loadTaxonomy, Taxonomy } from '../taxonomy/taxonomy';
import { detectionTaxonomyOf } from './detectionTaxonomy';
import { createLabelDetector } from './detectorFactory';
import type { LabelDetector } from './labelDetector';
import type { PackManifest } from './packs/manifest';
import { resolveModelDirs } from './packs/modelDirs';

export interface DetectionEngine {
  taxonomy: Taxonomy;
  detector: LabelDetector;
  /** The manifests of the loaded packs, in MODEL_DIR order. */
  packs: PackManifest[];
  close(): Promise<void>;
}

/** The taxonomy and the models named by the configuration, ready to detect. */
export async function loadDetectionEngine(config: AppConfig, taxonomy: Taxonomy = loadTaxonomy()): Promise<DetectionEngine> {
  const { detector, packs } = await createLabelDetector(
    {
      modelDirs: resolveModelDirs(config.MODEL_DIR),
      threads: config.INFERENCE_THREADS,
      maxBatch: config.DETECT_MAX_BATCH,
      maxWaitMs: config.DETECT_MAX_WAIT_MS,
      bufferBudgetBytes: config.DETECT_BUFFER_BUDGET_MB * 1024 * 1024,
    },
    detectionTaxonomyOf(taxonomy),
  );
  return { taxonomy, detector, packs, close: () => detector.close() };
}
