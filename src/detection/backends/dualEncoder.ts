import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClipTokenizer } from '../clipTokenizer';
import type { DecodedImage } from '../imageDecoder';
import type { ModelSession } from '../modelSession';
import { createSession, ort } from '../onnxSession';
import type { DualEncoderManifest } from '../packs/manifest';
import type { LoadedPack } from '../packs/packLoader';
import type { ImageEmbedder, LabelEvidence, Recognizer, TextEmbedder } from '../recognizer';
import { InputRecipe, joinWhole, wholeOf } from '../inputRecipes';

const MIN_EVIDENCE = 0.01;
const TEXT_BATCH = 64;

/** A label as zero-shot scoring sees it: its id and the English name its prompt uses. */
export interface PromptLabel {
  id: string;
  en: string;
}

function normalise(vectors: Float32Array, dim: number): Float32Array {
  for (let offset = 0; offset < vectors.length; offset += dim) {
    let norm = 0;
    for (let d = 0; d < dim; d += 1) norm += vectors[offset + d] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d += 1) vectors[offset + d] /= norm;
  }
  return vectors;
}

const outputOf = (result: Record<string, ort.Tensor>, session: ModelSession, preferred: string) =>
  result[session.outputNames.includes(preferred) ? preferred : session.outputNames[0]].data as Float32Array;

/** The text side of a dual encoder: its tokenizer and text model, loaded together. */
interface TextEncoder {
  tokenizer: ClipTokenizer;
  session: ModelSession;
}

async function loadTextEncoder(pack: LoadedPack, manifest: DualEncoderManifest, threads?: number): Promise<TextEncoder> {
  const tokenizer = ClipTokenizer.fromFile(pack.file(manifest.files.tokenizer.path), manifest.tokenizer.contextLength);
  return { tokenizer, session: await createSession(pack.file(manifest.files.textEncoder.path), threads) };
}

/** A text in the manifest's prompt template ("a photo of {label}."), for labels and queries alike. */
const prompted = (manifest: DualEncoderManifest, text: string) => manifest.prompt.replace('{label}', () => text);

/**
 * A CLIP-style dual encoder: every taxonomy label is scored zero-shot by the similarity of the image
 * embedding to the text embedding of "a photo of {label}.". Label embeddings are computed once per
 * model + taxonomy version and cached on disk. sigmoid(scale × (similarity − bias)) calibrates.
 * It also embeds images and free text in one space, for semantic search.
 */
export class DualEncoder implements Recognizer, ImageEmbedder, TextEmbedder {
  readonly maxBatch = 8;
  /** Loaded at the first text query, then kept. */
  private textEncoder: Promise<TextEncoder> | null = null;

  private constructor(
    private readonly imageSession: ModelSession,
    private readonly manifest: DualEncoderManifest,
    private readonly labelIds: string[],
    /** Normalised label embeddings, row-major [labels × embeddingSize]. */
    private readonly labelEmbeddings: Float32Array,
    private readonly pack: LoadedPack,
    private readonly threads?: number,
  ) {}

  get name() {
    return this.manifest.name;
  }
  get version() {
    return this.manifest.version;
  }
  get graphMs() {
    return this.imageSession.graphMs;
  }
  /** Names the vector space of the embeddings: vectors of different models never compare. */
  get embeddingModel() {
    return `${this.manifest.name}@${this.manifest.version}`;
  }

  static async create(
    pack: LoadedPack,
    manifest: DualEncoderManifest,
    labels: PromptLabel[],
    taxonomyVersion: string,
    cacheDir: string,
    threads?: number,
  ) {
    const key = createHash('sha256')
      .update(
        [
          manifest.files.textEncoder.sha256,
          manifest.files.tokenizer.sha256,
          manifest.prompt,
          taxonomyVersion,
          labels.map((l) => `${l.id}=${l.en}`).join('\n'),
        ].join('|'),
      )
      .digest('hex')
      .slice(0, 24);
    const cacheFile = join(cacheDir, `${manifest.name}-${key}.f32`);
    const expectedBytes = labels.length * manifest.embeddingSize * 4;
    let embeddings: Float32Array;
    if (existsSync(cacheFile) && readFileSync(cacheFile).length === expectedBytes) {
      const bytes = readFileSync(cacheFile);
      embeddings = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).slice();
    } else {
      embeddings = await DualEncoder.embedLabels(pack, manifest, labels, threads);
      mkdirSync(cacheDir, { recursive: true });
      // Write then rename: a crash never leaves a half-written cache behind.
      writeFileSync(`${cacheFile}.tmp`, Buffer.from(embeddings.buffer));
      renameSync(`${cacheFile}.tmp`, cacheFile);
    }
    // Loaded last, once nothing else can fail: a session lives on a thread that nothing would end.
    const imageSession = await createSession(pack.file(manifest.files.imageEncoder.path), threads);
    return new DualEncoder(
      imageSession,
      manifest,
      labels.map((l) => l.id),
      embeddings,
      pack,
      threads,
    );
  }

  private static async embedLabels(
    pack: LoadedPack,
    manifest: DualEncoderManifest,
    labels: PromptLabel[],
    threads?: number,
  ): Promise<Float32Array> {
    const encoder = await loadTextEncoder(pack, manifest, threads);
    try {
      return await DualEncoder.encodeTexts(
        encoder,
        manifest,
        labels.map((label) => label.en),
      );
    } finally {
      await encoder.session.release();
    }
  }

  /** Normalised embeddings of texts in the prompt template, row-major [texts × embeddingSize]. */
  private static async encodeTexts(
    { tokenizer, session }: TextEncoder,
    manifest: DualEncoderManifest,
    texts: string[],
  ): Promise<Float32Array> {
    const dim = manifest.embeddingSize;
    const context = manifest.tokenizer.contextLength;
    const out = new Float32Array(texts.length * dim);
    for (let start = 0; start < texts.length; start += TEXT_BATCH) {
      const chunk = texts.slice(start, start + TEXT_BATCH);
      const ids = new BigInt64Array(chunk.length * context);
      chunk.forEach((text, i) => ids.set(tokenizer.tokenize(prompted(manifest, text)), i * context));
      const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', ids, [chunk.length, context]) };
      // Some exports also take an attention mask: ones up to and including the end token.
      if (session.inputNames.includes('attention_mask')) {
        const mask = new BigInt64Array(ids.length);
        chunk.forEach((_, i) => {
          const row = ids.subarray(i * context, (i + 1) * context);
          const end = row.indexOf(row[context - 1]);
          for (let t = 0; t <= end; t += 1) mask[i * context + t] = 1n;
        });
        feeds.attention_mask = new ort.Tensor('int64', mask, [chunk.length, context]);
      }
      const result = await session.run(feeds);
      out.set(outputOf(result, session, 'text_embeds').subarray(0, chunk.length * dim), start * dim);
    }
    return normalise(out, dim);
  }

  async prepare(images: DecodedImage[]): Promise<InputRecipe> {
    return wholeOf(images, this.manifest.input);
  }

  combine(prepared: InputRecipe[]): InputRecipe {
    return joinWhole(prepared);
  }

  async run(batch: InputRecipe): Promise<Float32Array> {
    const result = await this.imageSession.run({ [this.imageSession.inputNames[0]]: batch });
    return normalise(outputOf(result, this.imageSession, 'image_embeds').slice(), this.manifest.embeddingSize);
  }

  /** Calibrated probability of every label for one image's embedding. */
  private probabilities(embeddings: Float32Array, index: number): Float32Array {
    const dim = this.manifest.embeddingSize;
    const { scale, bias } = this.manifest.calibration;
    const image = embeddings.subarray(index * dim, (index + 1) * dim);
    const out = new Float32Array(this.labelIds.length);
    for (let l = 0; l < this.labelIds.length; l += 1) {
      let similarity = 0;
      for (let d = 0; d < dim; d += 1) similarity += image[d] * this.labelEmbeddings[l * dim + d];
      out[l] = 1 / (1 + Math.exp(-scale * (similarity - bias)));
    }
    return out;
  }

  interpret(embeddings: Float32Array, images: DecodedImage[]): LabelEvidence[][] {
    return images.map((_, i) => {
      const evidence: LabelEvidence[] = [];
      // One view of the whole image: where a label sits is the detector's to say (subjectPlacement.ts).
      this.probabilities(embeddings, i).forEach((confidence, l) => {
        if (confidence < MIN_EVIDENCE) return;
        evidence.push({ labelId: this.labelIds[l], confidence, centricScore: confidence, centricEstimated: true });
      });
      return evidence;
    });
  }

  /** Each image's embedding from the output of a run: detection gets it for free. */
  embeddings(embeddings: Float32Array, count: number): Float32Array[] {
    const dim = this.manifest.embeddingSize;
    return Array.from({ length: count }, (_, i) => embeddings.slice(i * dim, (i + 1) * dim));
  }

  /** The images' embeddings, for semantic search. */
  async embed(images: DecodedImage[]): Promise<Float32Array[]> {
    return this.embeddings(await this.run(await this.prepare(images)), images.length);
  }

  /** A free-text query's embedding, in the prompt template the labels use, comparable with image embeddings. */
  async embedText(text: string): Promise<Float32Array> {
    this.textEncoder ??= loadTextEncoder(this.pack, this.manifest, this.threads);
    // A failed load is not kept: the next query tries again.
    const encoder = await this.textEncoder.catch((error: unknown) => {
      this.textEncoder = null;
      throw error;
    });
    return DualEncoder.encodeTexts(encoder, this.manifest, [text]);
  }

  async close(): Promise<void> {
    await this.imageSession.release();
    const text = await this.textEncoder?.catch(() => null);
    await text?.session.release();
  }
}
