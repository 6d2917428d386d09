// The bench's dataset: images with labels as detection would have stored them, generated from a
// seed. Leaf labels are drawn from the real taxonomy with a Zipf skew (a curated head of everyday
// subjects first, then the other leaves in a seeded order); each image gets a few, and the
// detector's own label assembly adds their ancestors, as it does for real detections.
import type { Image, ImageLabel } from '@prisma/client';
import { assembleLabels } from '../../../src/detection/labelAssembler';
import { MAPPING_VERSION } from '../../../src/search/imageIndex';
import { buildImageDocument, ImageDocument } from '../../../src/search/imageDocument';
import type { Taxonomy, TaxonomyLabel } from '../../../src/taxonomy/taxonomy';
import { seededRandom } from '../../seededRandom';
import { mixSeed, shuffled, weightedPick, zipfSampler } from './random';

/** Bump when the generator's output changes, so that a stored dataset is not reused. */
export const GENERATOR_VERSION = 1;

export interface DatasetSpec {
  seed: number;
  docs: number;
}

/** Projects and their share of the images: searches target the first, the largest. */
export const BENCH_PROJECTS = [
  { name: 'bench-search-1', share: 0.4 },
  { name: 'bench-search-2', share: 0.3 },
  { name: 'bench-search-3', share: 0.2 },
  { name: 'bench-search-4', share: 0.1 },
] as const;

/** Everyday subjects that lead the popularity order (leaf labels of the taxonomy). */
export const POPULAR_HEAD = [
  'woman',
  'man',
  'blue-sky',
  'grass',
  'car',
  'child',
  'street',
  'smile',
  'sea',
  'beach',
  'sunset',
  'city',
  'smartphone',
  'tabby',
  'beagle',
  'cake',
  'book',
  'laptop',
  'river',
  'snow',
  'girl',
  'boy',
  'baby',
  'pizza',
  'rose',
] as const;

const ZIPF_EXPONENT = 1.0;
const MIN_LEAVES = 2;
const MAX_LEAVES = 6;
const YEAR_MS = 365 * 24 * 3600 * 1000;
const EPOCH = Date.UTC(2026, 0, 1);
const SIZES = [
  [4032, 3024],
  [3024, 4032],
  [1920, 1080],
  [1080, 1920],
  [1280, 960],
  [800, 600],
] as const;
const FORMATS = ['jpeg', 'png', 'webp'] as const;
const FORMAT_WEIGHTS = [8, 1, 1];

export interface SyntheticImage extends Image {
  labels: ImageLabel[];
  projectName: string;
}

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
const round4 = (value: number) => Math.round(value * 1e4) / 1e4;

/** Deterministic, unique UUIDs: the seed, what it names (0 image, 1 project) and its index. */
export const benchUuid = (seed: number, kind: number, index: number) => `${hex(seed >>> 0, 8)}-${hex(kind, 4)}-4000-8000-${hex(index, 12)}`;

export class SyntheticDataset {
  /** Names this dataset: a stored one is reused only when its key is the same. */
  readonly key: string;
  readonly projects: { id: string; name: string }[];
  /** Leaf labels, most frequent first. */
  readonly leavesByPopularity: readonly TaxonomyLabel[];
  private readonly drawLeaf: (random: () => number) => number;
  private readonly shares = BENCH_PROJECTS.map((p) => p.share);

  constructor(
    readonly spec: DatasetSpec,
    private readonly taxonomy: Taxonomy,
  ) {
    this.key = `bench-search generator=${GENERATOR_VERSION} seed=${spec.seed} docs=${spec.docs} mapping=${MAPPING_VERSION} taxonomy=${taxonomy.version}`;
    this.projects = BENCH_PROJECTS.map((p, i) => ({ id: benchUuid(spec.seed, 1, i), name: p.name }));
    const head = POPULAR_HEAD.map((id) => {
      const label = taxonomy.get(id);
      if (!label || taxonomy.children(id).length > 0) throw new Error(`bench: ${id} is not a leaf label of taxonomy ${taxonomy.version}`);
      return label;
    });
    const headIds = new Set<string>(POPULAR_HEAD);
    const rest = taxonomy.list().filter((l) => taxonomy.children(l.id).length === 0 && !headIds.has(l.id));
    this.leavesByPopularity = [...head, ...shuffled(rest, seededRandom(mixSeed(spec.seed, -1)))];
    this.drawLeaf = zipfSampler(this.leavesByPopularity.length, ZIPF_EXPONENT);
  }

  /** Image i (0 ≤ i < docs), the same on every call. */
  image(index: number): SyntheticImage {
    const random = seededRandom(mixSeed(this.spec.seed, index));
    const projectIndex = weightedPick(this.shares, random);
    const id = benchUuid(this.spec.seed, 0, index);
    const leafCount = MIN_LEAVES + Math.floor(random() * (MAX_LEAVES - MIN_LEAVES + 1));
    const leaves = new Set<string>();
    for (let tries = 0; leaves.size < leafCount && tries < leafCount * 4; tries += 1)
      leaves.add(this.leavesByPopularity[this.drawLeaf(random)].id);
    // Confidences from 0.4 (kept by every label's threshold at request threshold 0) to 0.99, skewed high.
    const evidence = [...leaves].map((labelId) => {
      const confidence = round4(0.4 + 0.59 * Math.sqrt(random()));
      return { labelId, confidence, centricScore: round4(confidence * random()) };
    });
    const labels = assembleLabels(evidence, this.taxonomy, { threshold: 0, maxLabels: 1000 });
    const [width, height] = SIZES[Math.floor(random() * SIZES.length)];
    const format = FORMATS[weightedPick(FORMAT_WEIGHTS, random)];
    const createdAt = new Date(EPOCH + Math.floor(random() * YEAR_MS));
    const sha256 = Array.from({ length: 8 }, () => hex(Math.floor(random() * 2 ** 32), 8)).join('');
    return {
      id,
      projectId: this.projects[projectIndex].id,
      projectName: this.projects[projectIndex].name,
      sourceUri: `oss://bench-photos/${this.projects[projectIndex].name}/${hex(index, 8)}.${format === 'jpeg' ? 'jpg' : format}`,
      credentialConfig: null,
      sha256,
      width,
      height,
      format,
      bytes: Math.floor(width * height * (0.15 + 0.2 * random())),
      modelVersion: `bench-synthetic@${GENERATOR_VERSION}`,
      taxonomyVersion: this.taxonomy.version,
      detectedAt: new Date(createdAt.getTime() + Math.floor(random() * 60_000)),
      createdAt,
      updatedAt: createdAt,
      labels: labels.map((l) => ({
        imageId: id,
        labelId: l.labelId,
        confidence: l.confidence,
        centricScore: l.centricScore,
        instances: [],
      })),
      // As a fixed-class pack labels them: no image embedding.
      embedding: [],
      embeddingModel: null,
    };
  }

  /** Images start..end-1. */
  images(start: number, end: number): SyntheticImage[] {
    return Array.from({ length: Math.max(0, Math.min(end, this.spec.docs) - start) }, (_, i) => this.image(start + i));
  }

  /** The Elasticsearch document of an image: the one the outbox relay and reindex build. */
  document(image: SyntheticImage): ImageDocument {
    return buildImageDocument(image, image.projectName, this.taxonomy);
  }
}
