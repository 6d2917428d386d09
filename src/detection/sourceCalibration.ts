import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../config/projectRoot';
import type { InputCondition } from './inputCondition';
import type { LabelEvidence } from './recognizer';

// Each source of evidence (a model pack, the inference rules) states confidences on its own scale:
// a scene model spreading its softmax over 365 near-synonyms says 0.3 where a detector says 0.8 for
// a label that is as often right. A curve per source, fitted on the labeled photos of eval/ (tune
// split only), maps each scale onto one meaning: the share of labels at that confidence that were
// right. Sources then compare in one list, and one threshold means the same for all of them.
// No file ships today: on the test split, no fitted curve beat the sources' own scales (see
// docs/label-quality.md); the file is for a pack set, or a labeled set, whose curves do.

export const SOURCE_CALIBRATION_PATH = join(projectRoot, 'data', 'calibration', 'source-calibration.json');

/** The source name of what the inference rules conclude. */
export const RULES_SOURCE = 'inference-rules';

/**
 * confidence = sigmoid(slope·logit(p) + intercept + shifts for the input's condition): Platt scaling
 * on the logit of the source's own confidence p, which keeps each source's order of labels.
 */
const curve = z.object({
  slope: z.number().positive(),
  intercept: z.number(),
  grayscale: z.number().default(0),
  lowResolution: z.number().default(0),
  /** How many labels (right, wrong) the curve was fitted on, for reviewers. */
  fittedOn: z.object({ right: z.number().int().min(0), wrong: z.number().int().min(0) }).optional(),
});

const calibrationFile = z.object({
  version: z.string().min(1),
  $comment: z.string().optional(),
  /** Keyed by recognizer name (a pack's name) or RULES_SOURCE; a source not listed keeps its scale. */
  sources: z.record(z.string(), curve),
});

export type CalibrationCurve = z.infer<typeof curve>;
export type CalibrationFile = z.infer<typeof calibrationFile>;

const EPSILON = 1e-4;
/** log(p / (1 − p)), p kept off 0 and 1. */
export const logit = (p: number) => {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The calibrated confidence of a source's confidence p under a curve and an input condition. */
export function calibrate(p: number, c: CalibrationCurve, condition: InputCondition): number {
  const shift = (condition.grayscale ? c.grayscale : 0) + (condition.lowResolution ? c.lowResolution : 0);
  return sigmoid(c.slope * logit(p) + c.intercept + shift);
}

export class SourceCalibration {
  private constructor(
    readonly version: string,
    private readonly sources: ReadonlyMap<string, CalibrationCurve>,
  ) {}

  /** No curves: every source keeps its own scale. */
  static readonly none = new SourceCalibration('none', new Map());

  static of(file: CalibrationFile): SourceCalibration {
    return SourceCalibration.checked(calibrationFile.parse(file));
  }

  /** Reads the shipped curves; a missing file means none (a fresh taxonomy or pack set not yet fitted). */
  static load(path = SOURCE_CALIBRATION_PATH): SourceCalibration {
    if (!existsSync(path)) return SourceCalibration.none;
    const parsed = calibrationFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return SourceCalibration.checked(parsed.data);
  }

  private static checked(file: CalibrationFile): SourceCalibration {
    return new SourceCalibration(file.version, new Map(Object.entries(file.sources)));
  }

  has(source: string): boolean {
    return this.sources.has(source);
  }

  /** A source's evidence on the common scale (unchanged for a source without a curve). */
  apply(source: string, evidence: LabelEvidence[], condition: InputCondition): LabelEvidence[] {
    const c = this.sources.get(source);
    if (!c) return evidence;
    return evidence.map((e) => ({ ...e, confidence: calibrate(e.confidence, c, condition) }));
  }
}
