import { z } from 'zod';
import { calibrationSchema } from '../calibration';

// A model pack is a folder of model files plus this manifest (manifest.json in the folder, or a
// bundled one in models/manifests/<folder name>.json for packs published without one).
export const MANIFEST_FORMAT_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');
const fileEntry = z.object({ path: z.string().min(1), sha256, bytes: z.number().int().positive().optional() });
const triple = z.tuple([z.number(), z.number(), z.number()]);

export const imageInputSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The graph input the pixels feed; absent: the graph's first input. */
  name: z.string().min(1).optional(),
  /**
   * centre-crop: shorter side to width/cropFraction, centre crop (ImageNet style); letterbox: fit, pad
   * bottom/right; squash: each side to width/cropFraction and height/cropFraction ignoring the aspect
   * ratio, then the centre width×height (Places365: 256×256, centre 224, as its val_256 images were made).
   */
  resize: z.enum(['centre-crop', 'letterbox', 'squash']),
  cropFraction: z.number().gt(0).max(1).default(1),
  padValue: z.number().min(0).max(255).default(0),
  channelOrder: z.enum(['RGB', 'BGR']).default('RGB'),
  /** Pixel values are divided by this before mean/std (255 for 0..1 inputs, 1 for 0..255). */
  scale: z.number().positive().default(255),
  mean: triple.default([0, 0, 0]),
  std: triple.default([1, 1, 1]),
  /** Whether the model's batch dimension is dynamic; fixed means one image per run. */
  dynamicBatch: z.boolean().default(true),
});

/** One way of seeing an image: mirrored left-right or not, at a crop fraction (default: the input's). */
export const inputViewSchema = z.object({ mirror: z.boolean().default(false), cropFraction: z.number().gt(0).max(1).optional() });
export type InputView = z.infer<typeof inputViewSchema>;
/** The one view an input's resize describes. */
export const PLAIN_VIEW: InputView = { mirror: false };

const common = {
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
  version: z.string().min(1),
  license: z.string().min(1),
  source: z.string().min(1),
  input: imageInputSchema,
};

export const classifierManifestSchema = z
  .object({
    ...common,
    kind: z.literal('classifier'),
    /** softmax: one class per image (ImageNet); yolox: per-box objectness × class scores. */
    head: z.enum(['softmax', 'yolox']),
    files: z.object({ model: fileEntry }),
    /** The graph output read (softmax: the logits; the softmax is taken here); absent: the graph's first output. */
    output: z.string().min(1).optional(),
    /** Class index → taxonomy label (and class groups), relative to the manifest file. */
    classMap: z.string().min(1),
    /**
     * softmax: what its labels are. centric: subjects in the frame, whose CentricScore a detector's
     * boxes give (docs/centric-score.md); whole: the whole frame (scenes), CentricScore 1. Either
     * way the model sees each image once.
     */
    views: z.enum(['centric', 'whole']).default('centric'),
    /** softmax: probability → confidence (see calibration.ts); absent: the probability is the confidence. */
    calibration: calibrationSchema.optional(),
    /** yolox: boxes below this score are dropped before non-maximum suppression. */
    minBoxScore: z.number().min(0).max(1).default(0.05),
    nmsIou: z.number().min(0).max(1).default(0.45),
    /**
     * softmax with a centre-crop or squash input: test-time views. Each image is seen once per view
     * and the class probabilities are averaged over them (a model's mistakes on a mirrored or wider
     * view of a scene are partly its own, so the average is steadier than one view). Default: one.
     */
    testViews: z.array(inputViewSchema).min(1).max(8).default([PLAIN_VIEW]),
  })
  .refine((m) => m.testViews.length === 1 || (m.head === 'softmax' && m.input.resize !== 'letterbox'), {
    message: 'only a softmax head over a centre-crop or squash input takes several test views',
    path: ['testViews'],
  })
  .refine((m) => m.input.resize !== 'letterbox' || (!m.testViews[0].mirror && m.testViews[0].cropFraction === undefined), {
    message: 'a letterboxed input takes the plain view',
    path: ['testViews'],
  });

export const dualEncoderManifestSchema = z.object({
  ...common,
  kind: z.literal('dual-encoder'),
  files: z.object({ imageEncoder: fileEntry, textEncoder: fileEntry, tokenizer: fileEntry }),
  tokenizer: z.object({ kind: z.literal('clip-bpe'), contextLength: z.number().int().positive().default(77) }),
  embeddingSize: z.number().int().positive(),
  /** Text prompt per label; {label} is the English name. */
  prompt: z.string().includes('{label}').default('a photo of {label}.'),
  /** Maps cosine similarity to a calibrated probability: sigmoid(scale × (similarity − bias)). */
  calibration: z.object({ scale: z.number().positive(), bias: z.number() }),
});

export const manifestSchema = z.discriminatedUnion('kind', [classifierManifestSchema, dualEncoderManifestSchema]);
export type PackManifest = z.infer<typeof manifestSchema>;
export type ClassifierManifest = z.infer<typeof classifierManifestSchema>;
export type DualEncoderManifest = z.infer<typeof dualEncoderManifestSchema>;
export type ImageInput = z.infer<typeof imageInputSchema>;
