import type { DecodedImage } from './imageDecoder';

/** What a model says about one label in one image, before thresholds and filters. */
export interface LabelEvidence {
  labelId: string;
  /** Calibrated probability that the label applies (0..1). */
  confidence: number;
  /** How much the label is the main subject (0..1); see docs/centric-score.md. */
  centricScore: number;
}

/** One model pack behind the common interface: a batch of images in, evidence per image out. */
export interface Recognizer {
  readonly name: string;
  readonly version: string;
  /** Largest batch one run takes well (1 for models with a fixed batch dimension). */
  readonly maxBatch: number;
  recognize(images: DecodedImage[]): Promise<LabelEvidence[][]>;
  close(): Promise<void>;
}

/** The part of the taxonomy the models need: labels and their ancestors. */
export interface LabelVocabulary {
  readonly version: string;
  has(id: string): boolean;
  /** Ancestor ids, nearest first. */
  ancestorIds(id: string): string[];
}

/** Keeps the strongest evidence per label. */
export function mergeEvidence(lists: LabelEvidence[][]): LabelEvidence[] {
  const best = new Map<string, LabelEvidence>();
  for (const list of lists) {
    for (const evidence of list) {
      const seen = best.get(evidence.labelId);
      if (!seen) best.set(evidence.labelId, { ...evidence });
      else {
        seen.confidence = Math.max(seen.confidence, evidence.confidence);
        seen.centricScore = Math.max(seen.centricScore, evidence.centricScore);
      }
    }
  }
  return [...best.values()];
}
