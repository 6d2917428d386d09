import { loadClassMap } from '../classMap';
import { centricFromViews } from '../centricScore';
import type { DecodedImage } from '../imageDecoder';
import { createSession, ModelSession, ort } from '../onnxSession';
import type { ClassifierManifest } from '../packs/manifest';
import type { LoadedPack } from '../packs/packLoader';
import { InputRecipe, joinViews, viewsOf } from '../inputRecipes';
import { VIEW_COUNT } from '../views';
import type { LabelEvidence, LabelVocabulary, Recognizer } from '../recognizer';

// Probabilities below this are noise for every threshold a user can set meaningfully.
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

/**
 * A fixed-class, one-label-per-image classifier (ImageNet). Class probabilities are summed into
 * their taxonomy label and every ancestor: P(cat) is the sum over cat breeds, so parents are
 * calibrated too and never below a child.
 */
export class SoftmaxClassifier implements Recognizer {
  readonly maxBatch = 8;

  private constructor(
    private readonly session: ModelSession,
    private readonly manifest: ClassifierManifest,
    private readonly classLabels: (string | null)[],
    private readonly labelChains: (string[] | null)[],
  ) {}

  get name() {
    return this.manifest.name;
  }
  get version() {
    return this.manifest.version;
  }
  get graphMs() {
    return this.session.graphMs;
  }

  static async create(pack: LoadedPack, manifest: ClassifierManifest, vocabulary: LabelVocabulary, threads?: number) {
    // What can fail comes first: a session lives on a thread that nothing would end.
    const classLabels = loadClassMap(pack.besideManifest(manifest.classMap), vocabulary);
    const chains = classLabels.map((id) => (id ? [id, ...vocabulary.ancestorIds(id)] : null));
    const session = await createSession(pack.file(manifest.files.model.path), threads);
    return new SoftmaxClassifier(session, manifest, classLabels, chains);
  }

  /** Label → probability for one view: each class adds its probability to its label and ancestors. */
  private labelScores(probabilities: Float32Array): Map<string, number> {
    const scores = new Map<string, number>();
    for (let c = 0; c < probabilities.length; c += 1) {
      const p = probabilities[c];
      const chain = this.labelChains[c];
      if (p < MIN_CLASS_PROBABILITY || !chain) continue;
      for (const id of chain) scores.set(id, Math.min(1, (scores.get(id) ?? 0) + p));
    }
    return scores;
  }

  async prepare(images: DecodedImage[]): Promise<InputRecipe> {
    return viewsOf(images, this.manifest.input);
  }

  combine(prepared: InputRecipe[]): InputRecipe {
    return joinViews(prepared);
  }

  async run(batch: InputRecipe): Promise<Float32Array> {
    const result = await this.session.run({ [this.session.inputNames[0]]: batch });
    return result[this.session.outputNames[0]].data as Float32Array;
  }

  interpret(logits: Float32Array, images: DecodedImage[]): LabelEvidence[][] {
    const classCount = this.classLabels.length;
    if (logits.length !== images.length * VIEW_COUNT * classCount) {
      throw new Error(`${this.name} returned ${logits.length / (images.length * VIEW_COUNT)} scores per view; its class map has ${classCount}`);
    }
    return images.map((_, i) => {
      const viewScores = Array.from({ length: VIEW_COUNT }, (__, v) => this.labelScores(softmax(logits, (i * VIEW_COUNT + v) * classCount, classCount)));
      const [full, centre, ...tiles] = viewScores;
      const evidence: LabelEvidence[] = [];
      for (const [labelId, confidence] of full) {
        if (confidence < MIN_EVIDENCE) continue;
        const tileScores = tiles.map((scores) => scores.get(labelId) ?? 0);
        evidence.push({ labelId, confidence, centricScore: centricFromViews(confidence, centre.get(labelId) ?? 0, tileScores) });
      }
      return evidence;
    });
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
