import { calibrated } from '../calibration';
import { ClassGroup, groupProbabilities, loadClassGroups } from '../classGroups';
import { loadClassMap } from '../classMap';
import type { DecodedImage } from '../imageDecoder';
import type { ClassifierManifest } from '../packs/manifest';
import type { LoadedPack } from '../packs/packLoader';
import { InputRecipe, joinWhole, wholeOf } from '../inputRecipes';
import type { LabelEvidence, LabelVocabulary, Recognizer } from '../recognizer';
import { ClassifierGraph, ClassifierSession, openClassifierSession } from './classifierSession';

// Confidences below this are noise for every threshold a user can set meaningfully.
const MIN_EVIDENCE = 0.01;
const MIN_CLASS_PROBABILITY = 1e-4;

function softmax(logits: Float32Array, offset: number, length: number): Float32Array {
  const out = new Float32Array(length);
  let max = -Infinity;
  for (let i = 0; i < length; i += 1) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < length; i += 1) {
    out[i] = Math.exp(logits[offset + i] - max);
    sum += out[i];
  }
  for (let i = 0; i < length; i += 1) out[i] /= sum;
  return out;
}

/** The class probabilities of `views` consecutive rows of logits, averaged. */
export function meanSoftmax(logits: Float32Array, firstRow: number, views: number, length: number): Float32Array {
  if (views === 1) return softmax(logits, firstRow * length, length);
  const mean = new Float32Array(length);
  for (let v = 0; v < views; v += 1) {
    const p = softmax(logits, (firstRow + v) * length, length);
    for (let i = 0; i < length; i += 1) mean[i] += p[i] / views;
  }
  return mean;
}

/**
 * A fixed-class, one-label-per-image classifier (ImageNet, Places365). Class probabilities are
 * summed into their taxonomy label and every ancestor: P(cat) is the sum over cat breeds, so
 * parents are calibrated too and never below a child. Class groups (classGroups.ts) add evidence
 * for labels whose classes the model spreads its probability over; the pack's calibration then
 * turns each probability into a confidence.
 */
export class SoftmaxClassifier extends ClassifierGraph implements Recognizer {
  readonly maxBatch = 8;

  private constructor(
    graph: ClassifierSession,
    manifest: ClassifierManifest,
    classLabels: (string | null)[],
    private readonly labelChains: (string[] | null)[],
    private readonly groups: ClassGroup[],
  ) {
    super(graph, manifest, classLabels);
  }

  static async create(pack: LoadedPack, manifest: ClassifierManifest, vocabulary: LabelVocabulary, threads?: number) {
    // What can fail comes first: a session lives on a thread that nothing would end.
    const classMapPath = pack.besideManifest(manifest.classMap);
    const classLabels = loadClassMap(classMapPath, vocabulary);
    const groups = loadClassGroups(classMapPath, vocabulary);
    const chains = classLabels.map((id) => (id ? [id, ...vocabulary.ancestorIds(id)] : null));
    return new SoftmaxClassifier(await openClassifierSession(pack, manifest, threads), manifest, classLabels, chains, groups);
  }

  /**
   * Label → confidence for one view: each class adds its probability to its label and ancestors,
   * the sum is calibrated; a group's sum (calibrated unless the group says not) raises its label's.
   */
  private labelScores(probabilities: Float32Array): Map<string, number> {
    const { calibration } = this.manifest;
    const sums = new Map<string, number>();
    for (let c = 0; c < probabilities.length; c += 1) {
      const p = probabilities[c];
      const chain = this.labelChains[c];
      if (p < MIN_CLASS_PROBABILITY || !chain) continue;
      for (const id of chain) sums.set(id, Math.min(1, (sums.get(id) ?? 0) + p));
    }
    const scores = new Map([...sums].map(([id, p]) => [id, calibrated(p, calibration)]));
    groupProbabilities(probabilities, this.groups).forEach((p, g) => {
      const { labelId, calibrated: calibrate } = this.groups[g];
      const confidence = calibrate ? calibrated(p, calibration) : p;
      if (confidence > (scores.get(labelId) ?? 0)) scores.set(labelId, confidence);
    });
    return scores;
  }

  async prepare(images: DecodedImage[]): Promise<InputRecipe> {
    return wholeOf(images, this.manifest.input, this.manifest.testViews);
  }

  combine(prepared: InputRecipe[]): InputRecipe {
    return joinWhole(prepared);
  }

  async run(batch: InputRecipe): Promise<Float32Array> {
    const { session, input, output } = this.graph;
    const result = await session.run({ [input]: batch });
    return result[output].data as Float32Array;
  }

  /**
   * One row of logits per view of each image (testViews), their probabilities averaged. A scene
   * pack's labels (views: whole) are the whole frame: centric 1. A subject's is estimated from its
   * confidence until a detector's box of a related label places it (subjectPlacement.ts): the model
   * cannot say where in the frame it saw the subject.
   */
  interpret(logits: Float32Array, images: DecodedImage[]): LabelEvidence[][] {
    const classCount = this.classLabels.length;
    const views = this.manifest.testViews.length;
    if (logits.length !== images.length * views * classCount) {
      throw new Error(
        `${this.name} returned ${logits.length / (images.length * views)} scores per view of an image; its class map has ${classCount}`,
      );
    }
    const wholeFrame = this.manifest.views === 'whole';
    return images.map((_, i) => {
      const evidence: LabelEvidence[] = [];
      for (const [labelId, confidence] of this.labelScores(meanSoftmax(logits, i * views, views, classCount))) {
        if (confidence < MIN_EVIDENCE) continue;
        evidence.push(
          wholeFrame ? { labelId, confidence, centricScore: 1 } : { labelId, confidence, centricScore: confidence, centricEstimated: true },
        );
      }
      return evidence;
    });
  }
}
