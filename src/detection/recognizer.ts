import type { DecodedImage } from './imageDecoder';

/** One boxed instance of a label, its box in shares (0..1) of the image's width and height. */
export interface LabelInstance {
  confidence: number;
  boundingBox: { left: number; top: number; width: number; height: number };
}

const isShare = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 1;

/** Stored instances (a JSON column, a document's _source) read back; anything malformed is dropped. */
export function instancesOf(value: unknown): LabelInstance[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is LabelInstance => {
    const box = (item as Partial<LabelInstance> | null)?.boundingBox;
    return isShare((item as Partial<LabelInstance>)?.confidence) && !!box && [box.left, box.top, box.width, box.height].every(isShare);
  });
}

/** What a model says about one label in one image, before thresholds and filters. */
export interface LabelEvidence {
  labelId: string;
  /** Calibrated probability that the label applies (0..1). */
  confidence: number;
  /** How much the label is the main subject (0..1); see docs/centric-score.md. */
  centricScore: number;
  /**
   * The centric score is a whole-frame classifier's estimate (its confidence): a detector's box of
   * the same, a broader or a narrower label replaces it (subjectPlacement.ts).
   */
  centricEstimated?: boolean;
  /** How many instances of it a detector boxed with some confidence (detectors only). */
  instances?: number;
  /** Those instances, most confident first (detectors only). */
  boxes?: LabelInstance[];
}

/**
 * One model pack behind the common interface. Recognition is split in three: prepare (which
 * images, and how they become inputs: crops, resizing, normalisation), run (the ONNX graph, after
 * the model's thread has prepared its inputs), interpret (scores → label evidence per image).
 */
export interface Recognizer {
  readonly name: string;
  readonly version: string;
  /** Largest batch one run takes well (1 for models with a fixed batch dimension). */
  readonly maxBatch: number;
  /**
   * How long its graphs have run in all (ms): what `npm run bench:detect` calls bare inference.
   * run() also prepares the inputs, on the model's thread, which this leaves out.
   */
  readonly graphMs: number;
  prepare(images: DecodedImage[]): Promise<unknown>;
  /** Joins inputs prepared one image at a time into one batch, in order. */
  combine(prepared: unknown[]): unknown;
  run(prepared: unknown): Promise<unknown>;
  interpret(raw: unknown, images: DecodedImage[]): LabelEvidence[][];
  close(): Promise<void>;
}

/** A recognizer whose runs also yield image embeddings (dual encoders), for semantic search. */
export interface ImageEmbedder {
  /** Names the vector space ("name@version"): embeddings of different models never compare. */
  readonly embeddingModel: string;
  /** Each image's L2-normalised embedding, from the output of one run over `count` images. */
  embeddings(raw: unknown, count: number): Float32Array[];
}

/** Embeds free text in the space of the images (dual encoders), for semantic search. */
export interface TextEmbedder {
  readonly embeddingModel: string;
  /** The text's L2-normalised embedding. */
  embedText(text: string): Promise<Float32Array>;
}

/** Whether a recognizer embeds images and text in one space. */
export const embedsImagesAndText = (recognizer: Recognizer): recognizer is Recognizer & ImageEmbedder & TextEmbedder =>
  typeof (recognizer as Partial<ImageEmbedder>).embeddings === 'function' &&
  typeof (recognizer as Partial<TextEmbedder>).embedText === 'function';

export async function recognize(recognizer: Recognizer, images: DecodedImage[]): Promise<LabelEvidence[][]> {
  return recognizer.interpret(await recognizer.run(await recognizer.prepare(images)), images);
}

/** The part of the taxonomy the models need: labels and their ancestors. */
export interface LabelVocabulary {
  readonly version: string;
  has(id: string): boolean;
  /** Ancestor ids, nearest first. */
  ancestorIds(id: string): string[];
  /** Every label with the English name a zero-shot prompt uses. */
  promptLabels(): { id: string; en: string }[];
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
        if (evidence.instances !== undefined) seen.instances = Math.max(seen.instances ?? 0, evidence.instances);
        if (evidence.boxes && evidence.boxes.length > (seen.boxes?.length ?? 0)) seen.boxes = evidence.boxes;
        if (!evidence.centricEstimated) delete seen.centricEstimated;
      }
    }
  }
  return [...best.values()];
}
