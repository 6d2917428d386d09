import { LabelLanguage } from '../vocabulary';
import { DetectedLabel, describeLabel, LabelNames, labelsNamed, round } from '../taxonomy/labelNaming';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { invalidArgument } from '../api/errors';
import { BufferGarbage, DEFAULT_BUFFER_GARBAGE } from './bufferGarbage';
import { decodeImage, DecodedImage, ImageFormat } from './imageDecoder';
import { InferenceRules, withConclusions } from './inferenceRules';
import { InputCondition, inputConditionOf } from './inputCondition';
import { assembleLabels, AssemblyTaxonomy, LabelFilters } from './labelAssembler';
import { MicroBatcher, MicroBatcherOptions } from './microBatcher';
import { embedsImagesAndText, ImageEmbedder, LabelEvidence, mergeEvidence, Recognizer, TextEmbedder } from './recognizer';
import { RULES_SOURCE, SourceCalibration } from './sourceCalibration';
import { placeOnBoxes } from './subjectPlacement';

export const DEFAULT_MAX_LABELS = 100;
export const MAX_MAX_LABELS = 1000;

/** The taxonomy as detection uses it: structure (to assemble labels) and names (to report them). */
export interface DetectionTaxonomy extends AssemblyTaxonomy, Omit<LabelNames, 'get'> {}

export interface DetectRequest {
  threshold: number;
  maxLabels?: number | null;
  language?: LabelLanguage | null;
  includeLabels?: string[] | null;
  excludeLabels?: string[] | null;
  includeCategories?: string[] | null;
  excludeCategories?: string[] | null;
}

/** A decoded image with its input recipes for each model (in the detector's model order). */
export interface PreparedImage {
  image: DecodedImage;
  inputs: unknown[];
}

/** An image's embedding and the model whose space it lives in. */
export interface ImageEmbedding {
  model: string;
  /** L2-normalised. */
  vector: Float32Array;
}

/** What one source (a model pack, the inference rules) says about an image, on its own scale. */
export interface SourceEvidence {
  source: string;
  evidence: LabelEvidence[];
}

/** What the models say about one image: label evidence, and its embedding when a pack embeds. */
export interface Recognition {
  evidence: LabelEvidence[];
  embedding: ImageEmbedding | null;
}

export interface DetectionResult {
  image: { width: number; height: number; format: ImageFormat; bytes: number; sha256: string };
  labels: DetectedLabel[];
  /** Present when a loaded pack is a dual encoder (semantic search). */
  embedding: ImageEmbedding | null;
  modelVersion: string;
  taxonomyVersion: string;
  timings: { decodeMs: number; queueAndInferenceMs: number; totalMs: number };
}

export interface DetectorTuning extends MicroBatcherOptions {
  /** ArrayBuffer bytes past which a full collection is asked for (bufferGarbage.ts); 0: never. */
  bufferBudgetBytes?: number;
}

/**
 * Image bytes → IMM-style labels. Decoding runs on sharp's thread pool; concurrent requests share
 * model runs through a micro-batcher; thresholds and filters are per request.
 */
export class LabelDetector {
  private readonly batcher: MicroBatcher<PreparedImage, Recognition>;
  readonly modelVersion: string;
  /** The first pack that embeds images and text (a dual encoder), if any: semantic search uses it. */
  readonly embedder: (Recognizer & ImageEmbedder & TextEmbedder) | null;
  /** Collects dead image buffers before they pile up (see bufferGarbage.ts). */
  readonly bufferGarbage: BufferGarbage;

  constructor(
    readonly recognizers: Recognizer[],
    private readonly taxonomy: DetectionTaxonomy,
    tuning: DetectorTuning,
    /** Scene and event inferences over what the models saw together (data/taxonomy/inference-rules.json). */
    private readonly rules: InferenceRules | null = null,
    /** Puts every source's confidences on one scale (data/calibration/source-calibration.json). */
    private readonly calibration: SourceCalibration = SourceCalibration.none,
  ) {
    if (recognizers.length === 0) throw new Error('LabelDetector needs at least one model');
    // Rules and calibration change labels as a new pack would: a task relabels what they would change.
    const parts = recognizers.map((r) => `${r.name}@${r.version}`);
    if (rules) parts.push(`rules@${rules.version}`);
    if (calibration !== SourceCalibration.none) parts.push(`calibration@${calibration.version}`);
    this.modelVersion = parts.join('+');
    this.embedder = recognizers.find(embedsImagesAndText) ?? null;
    this.batcher = new MicroBatcher((images) => this.infer(images), tuning);
    this.bufferGarbage = new BufferGarbage({
      ...DEFAULT_BUFFER_GARBAGE,
      budgetBytes: tuning.bufferBudgetBytes ?? DEFAULT_BUFFER_GARBAGE.budgetBytes,
    });
  }

  /**
   * Describes one image's input for every model (recipes: cheap). Each model's thread prepares its
   * inputs from them, off the event loop and beside the other models.
   */
  async prepare(image: DecodedImage): Promise<PreparedImage> {
    return { image, inputs: await Promise.all(this.recognizers.map((r) => r.prepare([image]))) };
  }

  /**
   * Runs every model over a batch, each in chunks its graph accepts, and merges their evidence on
   * one scale (sourceCalibration.ts). The embedding pack's runs also give the image embeddings (no
   * second inference).
   */
  async infer(items: PreparedImage[]): Promise<Recognition[]> {
    const { perModel, embeddings } = await this.runModels(items);
    this.bufferGarbage.check();
    return items.map((item, i) => ({
      evidence: this.combined(this.observed(perModel.map((results) => results[i])), inputConditionOf(item.image)),
      embedding: this.embedder ? { model: this.embedder.embeddingModel, vector: embeddings[i] } : null,
    }));
  }

  /**
   * What each source says about one image on its own scale, before calibration and lowering rules:
   * what fitting the calibration (npm run eval:calibrate) reads.
   */
  async observe(data: Buffer): Promise<{ sources: SourceEvidence[]; condition: InputCondition }> {
    const image = await decodeImage(data);
    const { perModel } = await this.runModels([await this.prepare(image)]);
    return { sources: this.observed(perModel.map((results) => results[0])).sources, condition: inputConditionOf(image) };
  }

  /** Each model's evidence per image, each model on its own thread, side by side. */
  private async runModels(items: PreparedImage[]): Promise<{ perModel: LabelEvidence[][][]; embeddings: Float32Array[] }> {
    const embeddings: Float32Array[] = [];
    const runModel = async (recognizer: Recognizer, r: number) => {
      const results: LabelEvidence[][] = [];
      for (let i = 0; i < items.length; i += recognizer.maxBatch) {
        const chunk = items.slice(i, i + recognizer.maxBatch);
        const raw = await recognizer.run(recognizer.combine(chunk.map((item) => item.inputs[r])));
        results.push(
          ...recognizer.interpret(
            raw,
            chunk.map((item) => item.image),
          ),
        );
        if (recognizer === this.embedder) embeddings.push(...this.embedder.embeddings(raw, chunk.length));
      }
      return results;
    };
    return { perModel: await Promise.all(this.recognizers.map(runModel)), embeddings };
  }

  /** One image's evidence per source (each model's, placed on the detector's boxes; the rules' conclusions) and all the models saw. */
  private observed(perModel: LabelEvidence[][]): { sources: SourceEvidence[]; seen: LabelEvidence[] } {
    const placed = placeOnBoxes(perModel, this.taxonomy);
    const seen = mergeEvidence(placed);
    const sources = placed.map((evidence, r) => ({ source: this.recognizers[r].name, evidence }));
    if (this.rules) sources.push({ source: RULES_SOURCE, evidence: this.rules.conclude(seen) });
    return { sources, seen };
  }

  /**
   * The sources' evidence on one scale, merged: the strongest word per label wins; then the rules'
   * conclusions and lowerings (whose conditions read what the models saw, on the models' scales).
   */
  private combined({ sources, seen }: { sources: SourceEvidence[]; seen: LabelEvidence[] }, condition: InputCondition): LabelEvidence[] {
    const onScale = sources.map((s) => this.calibration.apply(s.source, s.evidence, condition));
    const models = mergeEvidence(onScale.slice(0, this.recognizers.length));
    return this.rules ? this.rules.lower(withConclusions(models, onScale[this.recognizers.length]), seen) : models;
  }

  /** Checks a request before any work: bad thresholds, sizes and unknown labels are InvalidArgument. */
  checkRequest(request: DetectRequest) {
    const { threshold } = request;
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
      throw invalidArgument(`threshold must be between 0 and 1 (got ${threshold}).`, 'threshold');
    const maxLabels = request.maxLabels ?? DEFAULT_MAX_LABELS;
    if (!Number.isInteger(maxLabels) || maxLabels < 1 || maxLabels > MAX_MAX_LABELS) {
      throw invalidArgument(`maxLabels must be an integer between 1 and ${MAX_MAX_LABELS} (got ${maxLabels}).`, 'maxLabels');
    }
    // A name several labels share (飞行员: airman and pilot) stands for all of them.
    const resolveAll = (field: keyof LabelFilters | string, names: string[] | null | undefined, categoriesOnly: boolean) => [
      ...new Set(
        (names ?? []).flatMap((name) => {
          const ids = labelsNamed(this.taxonomy, field, name);
          const kept = categoriesOnly ? ids.filter((id) => this.taxonomy.get(id)?.level === 1) : ids;
          if (!kept.length) throw invalidArgument(`${field}: "${name}" is not a level-1 category.`, field);
          return kept;
        }),
      ),
    ];
    return {
      threshold,
      maxLabels,
      language: request.language ?? 'zh-Hans',
      includeLabelIds: resolveAll('includeLabels', request.includeLabels, false),
      excludeLabelIds: resolveAll('excludeLabels', request.excludeLabels, false),
      includeCategoryIds: resolveAll('includeCategories', request.includeCategories, true),
      excludeCategoryIds: resolveAll('excludeCategories', request.excludeCategories, true),
    };
  }

  async detect(data: Buffer, request: DetectRequest): Promise<DetectionResult> {
    const started = performance.now();
    const options = this.checkRequest(request);
    const image = await decodeImage(data);
    const decoded = performance.now();
    const { evidence, embedding } = await this.batcher.submit(await this.prepare(image));
    const inferred = performance.now();
    const { language } = options;
    const labels = assembleLabels(evidence, this.taxonomy, options).map((label) => describeLabel(this.taxonomy, label, language));
    return {
      image: {
        width: image.width,
        height: image.height,
        format: image.format,
        bytes: image.bytes,
        sha256: createHash('sha256').update(data).digest('hex'),
      },
      labels,
      embedding,
      modelVersion: this.modelVersion,
      taxonomyVersion: this.taxonomy.version,
      timings: {
        decodeMs: round(decoded - started, 2),
        queueAndInferenceMs: round(inferred - decoded, 2),
        totalMs: round(performance.now() - started, 2),
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.recognizers.map((r) => r.close()));
  }
}
