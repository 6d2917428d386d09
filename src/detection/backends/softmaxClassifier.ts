import { loadClassMap } from '../classMap';
import { centricFromViews } from '../centricScore';
import type { DecodedImage } from '../imageDecoder';
import { createSession, ort } from '../onnxSession';
import type { ClassifierManifest } from '../packs/manifest';
import type { LoadedPack } from '../packs/packLoader';
import { prepareInput, Region, stack, wholeImage } from '../preprocess';
import type { LabelEvidence, LabelVocabulary, Recognizer } from '../recognizer';

// Probabilities below this are noise for every threshold a user can set meaningfully.
const MIN_EVIDENCE = 0.01;
const MIN_CLASS_PROBABILITY = 1e-4;

/** The six views CentricScore compares: full, centre, and four quadrants. */
function views(image: DecodedImage): Region[] {
  const whole = wholeImage(image);
  const halfW = Math.max(1, Math.floor(whole.width / 2));
  const halfH = Math.max(1, Math.floor(whole.height / 2));
  const centre = { left: Math.floor(whole.width / 4), top: Math.floor(whole.height / 4), width: halfW, height: halfH };
  const quadrants = [
    { left: 0, top: 0, width: halfW, height: halfH },
    { left: whole.width - halfW, top: 0, width: halfW, height: halfH },
    { left: 0, top: whole.height - halfH, width: halfW, height: halfH },
    { left: whole.width - halfW, top: whole.height - halfH, width: halfW, height: halfH },
  ];
  return [whole, centre, ...quadrants];
}

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
    private readonly session: ort.InferenceSession,
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

  static async create(pack: LoadedPack, manifest: ClassifierManifest, vocabulary: LabelVocabulary, threads?: number) {
    const session = await createSession(pack.file(manifest.files.model.path), threads);
    const classLabels = loadClassMap(pack.besideManifest(manifest.classMap), vocabulary);
    const chains = classLabels.map((id) => (id ? [id, ...vocabulary.ancestorIds(id)] : null));
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

  async recognize(images: DecodedImage[]): Promise<LabelEvidence[][]> {
    const perImage = images.map(views);
    const inputs = await Promise.all(images.flatMap((image, i) => perImage[i].map((region) => prepareInput(image, this.manifest.input, region))));
    const { width, height } = this.manifest.input;
    const feeds = { [this.session.inputNames[0]]: new ort.Tensor('float32', stack(inputs.map((x) => x.tensor)), [inputs.length, 3, height, width]) };
    const result = await this.session.run(feeds);
    const logits = result[this.session.outputNames[0]].data as Float32Array;
    const classCount = this.classLabels.length;
    if (logits.length !== inputs.length * classCount) {
      throw new Error(`${this.name} returned ${logits.length / inputs.length} scores per image; its class map has ${classCount}`);
    }

    return images.map((_, i) => {
      const viewScores = perImage[i].map((__, v) => this.labelScores(softmax(logits, (i * perImage[i].length + v) * classCount, classCount)));
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
