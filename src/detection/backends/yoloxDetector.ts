import { loadClassMap } from '../classMap';
import { centricFromBox } from '../centricScore';
import type { DecodedImage } from '../imageDecoder';
import type { ClassifierManifest } from '../packs/manifest';
import type { LoadedPack } from '../packs/packLoader';
import { InputRecipe, letterboxOf } from '../inputRecipes';
import { letterboxScale, wholeImage } from '../preprocess';
import { LabelEvidence, LabelInstance, LabelVocabulary, mergeEvidence, Recognizer } from '../recognizer';
import { ClassifierGraph, openClassifierSession } from './classifierSession';

const STRIDES = [8, 16, 32];
/** A box counts as an instance (players on a field, guests at a table) from this score on. */
export const INSTANCE_MIN_SCORE = 0.3;
/** Boxes kept per label: a crowd's count is what search needs, not its hundredth box. */
export const MAX_INSTANCES = 100;

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classIndex: number;
}

const iou = (a: Box, b: Box) => {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
};

const share = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 1e4) / 1e4;

/** A box in pixels as shares of the image (Rekognition's BoundingBox), clipped to it. */
export function boundingBoxOf(box: Pick<Box, 'x1' | 'y1' | 'x2' | 'y2'>, width: number, height: number): LabelInstance['boundingBox'] {
  const left = share(box.x1 / width);
  const top = share(box.y1 / height);
  return { left, top, width: share(share(box.x2 / width) - left), height: share(share(box.y2 / height) - top) };
}

/** Per-class non-maximum suppression. */
export function nonMaximumSuppression(boxes: Box[], threshold: number): Box[] {
  const kept: Box[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) {
    if (!kept.some((k) => k.classIndex === box.classIndex && iou(k, box) > threshold)) kept.push(box);
  }
  return kept;
}

/** YOLOX's raw output (per anchor: x, y, w, h, objectness, class scores) → boxes in model pixels. */
export function decodeYolox(output: Float32Array, inputSize: number, classCount: number, minScore: number): Box[] {
  const stride = 5 + classCount;
  const boxes: Box[] = [];
  let anchor = 0;
  for (const s of STRIDES) {
    const cells = inputSize / s;
    for (let gy = 0; gy < cells; gy += 1) {
      for (let gx = 0; gx < cells; gx += 1, anchor += 1) {
        const o = anchor * stride;
        const objectness = output[o + 4];
        if (objectness < minScore) continue;
        let best = 0;
        let bestClass = 0;
        for (let c = 0; c < classCount; c += 1) {
          if (output[o + 5 + c] > best) {
            best = output[o + 5 + c];
            bestClass = c;
          }
        }
        const score = objectness * best;
        if (score < minScore) continue;
        const cx = (output[o] + gx) * s;
        const cy = (output[o + 1] + gy) * s;
        const w = Math.exp(output[o + 2]) * s;
        const h = Math.exp(output[o + 3]) * s;
        boxes.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, classIndex: bestClass });
      }
    }
  }
  return boxes;
}

/** An object detector (COCO): a label's confidence is its best box's score, its CentricScore that box's size and place. */
export class YoloxDetector extends ClassifierGraph implements Recognizer {
  readonly maxBatch = 1;

  static async create(pack: LoadedPack, manifest: ClassifierManifest, vocabulary: LabelVocabulary, threads?: number) {
    // What can fail comes first: a session lives on a thread that nothing would end.
    const classLabels = loadClassMap(pack.besideManifest(manifest.classMap), vocabulary);
    return new YoloxDetector(await openClassifierSession(pack, manifest, threads), manifest, classLabels);
  }

  /** Each image letterboxed, and the scale that maps its boxes back. */
  async prepare(images: DecodedImage[]): Promise<{ recipe: InputRecipe; scale: number }[]> {
    const { input } = this.manifest;
    return images.map((image) => ({ recipe: letterboxOf(image, input), scale: letterboxScale(wholeImage(image), input) }));
  }

  combine(prepared: { recipe: InputRecipe; scale: number }[][]): { recipe: InputRecipe; scale: number }[] {
    return prepared.flat();
  }

  /** One run per image: the exported graph has a fixed batch of one. */
  async run(prepared: { recipe: InputRecipe; scale: number }[]): Promise<{ output: Float32Array; scale: number }[]> {
    const outputs = [];
    const { session, input, output } = this.graph;
    for (const { recipe, scale } of prepared) {
      const result = await session.run({ [input]: recipe });
      outputs.push({ output: result[output].data as Float32Array, scale });
    }
    return outputs;
  }

  /** Boxes in decoded-image pixels after non-maximum suppression. */
  boxes(raw: { output: Float32Array; scale: number }): Box[] {
    const decoded = decodeYolox(raw.output, this.manifest.input.width, this.classLabels.length, this.manifest.minBoxScore);
    const s = raw.scale;
    return nonMaximumSuppression(decoded, this.manifest.nmsIou).map((b) => ({
      ...b,
      x1: b.x1 / s,
      y1: b.y1 / s,
      x2: b.x2 / s,
      y2: b.y2 / s,
    }));
  }

  interpret(raw: { output: Float32Array; scale: number }[], images: DecodedImage[]): LabelEvidence[][] {
    return images.map((image, i) => {
      const width = image.rgbWidth;
      const height = image.rgbHeight;
      const perBox = this.boxes(raw[i]).flatMap((box) => {
        const labelId = this.classLabels[box.classIndex];
        return labelId ? [{ labelId, confidence: box.score, centricScore: centricFromBox(box, width, height), box }] : [];
      });
      // Several boxes of one label: the best score and the most central box count, and the boxes
      // from INSTANCE_MIN_SCORE on are its instances (sorted: NMS kept them best first).
      const instances = new Map<string, LabelInstance[]>();
      for (const { labelId, confidence, box } of perBox) {
        if (confidence < INSTANCE_MIN_SCORE) continue;
        const list = instances.get(labelId) ?? [];
        if (list.length < MAX_INSTANCES) list.push({ confidence, boundingBox: boundingBoxOf(box, width, height) });
        instances.set(labelId, list);
      }
      return mergeEvidence([perBox.map(({ box: _box, ...evidence }) => evidence)]).map((e) => {
        const boxes = instances.get(e.labelId) ?? [];
        return { ...e, instances: boxes.length, ...(boxes.length ? { boxes } : {}) };
      });
    });
  }
}
