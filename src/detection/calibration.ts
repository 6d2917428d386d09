import { z } from 'zod';

/**
 * How a classifier pack turns a label's probability (a class's, or a sum over classes) into the
 * confidence thresholds are compared with. `power`: confidence = probability^exponent, an exponent
 * below 1 lifting probabilities that a model spreads over many near-synonymous classes. It keeps 0
 * and 1 and the order of labels, and a confidence c still needs a probability of c^(1/exponent):
 * since the probabilities of disjoint labels sum to at most 1, no more than
 * 1 / c^(1/exponent) of them can pass a threshold c, whatever the photo.
 */
export const calibrationSchema = z.object({
  kind: z.literal('power'),
  exponent: z.number().gt(0).max(1),
  /** Why this mapping (manifests are JSON, which has no comments). */
  $comment: z.string().optional(),
});

export type Calibration = z.infer<typeof calibrationSchema>;

/** The confidence of a probability; without a calibration, the probability itself. */
export function calibrated(probability: number, calibration: Calibration | undefined): number {
  if (!calibration) return probability;
  return Math.min(1, Math.max(0, probability)) ** calibration.exponent;
}
