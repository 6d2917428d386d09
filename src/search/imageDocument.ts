import type { Image, ImageLabel, Prisma } from '@prisma/client';
import { compareCodeUnits } from '../codeUnitOrder';
import { instancesOf, LabelInstance } from '../detection/recognizer';
import type { TaxonomyLabel } from '../taxonomy/labelTypes';
import { CATEGORY_CENTRIC_SCORE, CATEGORY_CONFIDENCE, EMBEDDINGS, vectorKeyOf } from './imageIndex';

/** What building a document needs of the taxonomy. */
export interface DocumentTaxonomy {
  get(id: string): TaxonomyLabel | undefined;
  /** Ancestors, nearest first. */
  ancestors(id: string): readonly TaxonomyLabel[];
}

export interface ImageDocument {
  imageId: string;
  projectId: string;
  projectName: string;
  sourceUri: string;
  sha256: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
  modelVersion: string;
  taxonomyVersion: string;
  detectedAt: string;
  createdAt: string;
  labels: {
    id: string;
    level: number;
    /** Ancestor ids, root first: a search for a category matches every label below it. */
    path: string[];
    confidence: number;
    centricScore: number;
    /** How many boxes the label has (object labels; absent when none): `minInstances` filters on it. */
    instanceCount?: number;
    /** The boxes themselves, for showing (not indexed). */
    instances?: LabelInstance[];
  }[];
  /** Every label id with all its ancestors, flat: cheap facets and "find by parent". */
  labelIds: string[];
  categoryIds: string[];
  /** The labels' parents and levels, flat, for facets. */
  parentIds: string[];
  labelLevels: number[];
  /** By category id: the best confidence and centric score of the labels in it, for sorts within a category. */
  [CATEGORY_CONFIDENCE]: Record<string, number>;
  [CATEGORY_CENTRIC_SCORE]: Record<string, number>;
  /** Names and aliases of the labels, both languages. */
  labelNames: string[];
  labelAliases: string[];
  /** The image embedding under its model's key (see vectorKeyOf), when it has one. */
  [EMBEDDINGS]?: Record<string, number[]>;
}

// The fields of a document that a search returns (IndexedImage), listed once for the type and the request.
const INDEXED_IMAGE_KEYS = [
  'imageId',
  'projectId',
  'projectName',
  'sourceUri',
  'sha256',
  'width',
  'height',
  'format',
  'bytes',
  'modelVersion',
  'taxonomyVersion',
  'detectedAt',
  'createdAt',
] as const;
const INDEXED_LABEL_KEYS = ['id', 'confidence', 'centricScore', 'instances'] as const;

/**
 * What a search returns of each image: everything GraphQL shows of it, read from the hit's
 * `_source` (the document as the relay last wrote it from Postgres), so a page needs no second
 * round trip. Label names come from the taxonomy, never from the document.
 */
export type IndexedImage = Pick<ImageDocument, (typeof INDEXED_IMAGE_KEYS)[number]> & {
  labels: Pick<ImageDocument['labels'][number], (typeof INDEXED_LABEL_KEYS)[number]>[];
};

/** What an image is, the same in Postgres, in its document and in GraphQL. */
export type ImageFacts = Pick<ImageDocument, 'sha256' | 'width' | 'height' | 'format' | 'bytes' | 'modelVersion' | 'taxonomyVersion'>;

export function imageFacts(image: ImageFacts): ImageFacts {
  const { sha256, width, height, format, bytes, modelVersion, taxonomyVersion } = image;
  return { sha256, width, height, format, bytes, modelVersion, taxonomyVersion };
}

/** The `_source` fields of an IndexedImage: not the flat facet fields, names, aliases or vectors. */
export const INDEXED_IMAGE_FIELDS: readonly string[] = [...INDEXED_IMAGE_KEYS, ...INDEXED_LABEL_KEYS.map((key) => `labels.${key}`)];

/** The document's vector field: the stored embedding, keyed by its model; none when there is no usable one. */
function embeddingsOf(image: Pick<Image, 'embedding' | 'embeddingModel'>): Pick<ImageDocument, typeof EMBEDDINGS> {
  const { embedding, embeddingModel } = image;
  // A zero vector has no direction: cosine similarity is undefined and Elasticsearch refuses it.
  if (!embeddingModel || !embedding.some((v) => v !== 0) || !embedding.every(Number.isFinite)) return {};
  return { [EMBEDDINGS]: { [vectorKeyOf(embeddingModel)]: embedding } };
}

/** What indexing reads of an image besides its row (the outbox relay and reindex). */
export const INDEXED_IMAGE_INCLUDE = { labels: true, project: { select: { name: true } } } satisfies Prisma.ImageInclude;

/**
 * The document of an image read with INDEXED_IMAGE_INCLUDE, or null when the image is going: Prisma
 * reads the project apart from the image, so a project deleted in between (its images go with it)
 * comes back null, though the relation is required.
 */
export function documentOfStored(
  image: Prisma.ImageGetPayload<{ include: typeof INDEXED_IMAGE_INCLUDE }>,
  taxonomy: DocumentTaxonomy,
): ImageDocument | null {
  return image.project ? buildImageDocument(image, image.project.name, taxonomy) : null;
}

/** The same entries with their keys in order, so the same rows make byte-identical documents. */
const sortedKeys = (scores: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(scores).sort(([a], [b]) => compareCodeUnits(a, b)));

/** One Elasticsearch document per image, built from Postgres rows and the taxonomy. */
export function buildImageDocument(
  image: Image & { labels: ImageLabel[] },
  projectName: string,
  taxonomy: DocumentTaxonomy,
): ImageDocument {
  const labelIds = new Set<string>();
  const categoryIds = new Set<string>();
  const parentIds = new Set<string>();
  const levels = new Set<number>();
  const names = new Set<string>();
  const aliases = new Set<string>();
  const categoryConfidence: Record<string, number> = {};
  const categoryCentricScore: Record<string, number> = {};
  // In id order: the same rows make the same document, whichever order Postgres read them in.
  const rows = [...image.labels].sort((a, b) => compareCodeUnits(a.labelId, b.labelId));
  const labels = rows.flatMap((row) => {
    const label = taxonomy.get(row.labelId);
    // A label a newer taxonomy dropped stays in Postgres but is not searchable until re-detection.
    if (!label) return [];
    const ancestors = taxonomy.ancestors(label.id);
    const path = ancestors.map((a) => a.id).reverse();
    [label.id, ...path].forEach((id) => labelIds.add(id));
    const category = path[0] ?? label.id;
    categoryIds.add(category);
    categoryConfidence[category] = Math.max(categoryConfidence[category] ?? 0, row.confidence);
    categoryCentricScore[category] = Math.max(categoryCentricScore[category] ?? 0, row.centricScore);
    if (label.parentId) parentIds.add(label.parentId);
    levels.add(label.level);
    names.add(label.en).add(label.zhHans);
    [...label.aliasesEn, ...label.aliasesZhHans].forEach((alias) => aliases.add(alias));
    const instances = instancesOf(row.instances);
    const boxes = instances.length ? { instanceCount: instances.length, instances } : {};
    return [{ id: label.id, level: label.level, path, confidence: row.confidence, centricScore: row.centricScore, ...boxes }];
  });
  return {
    imageId: image.id,
    projectId: image.projectId,
    projectName,
    sourceUri: image.sourceUri,
    ...imageFacts(image),
    detectedAt: image.detectedAt.toISOString(),
    createdAt: image.createdAt.toISOString(),
    labels,
    labelIds: [...labelIds].sort(),
    categoryIds: [...categoryIds].sort(),
    parentIds: [...parentIds].sort(),
    labelLevels: [...levels].sort(),
    [CATEGORY_CONFIDENCE]: sortedKeys(categoryConfidence),
    [CATEGORY_CENTRIC_SCORE]: sortedKeys(categoryCentricScore),
    labelNames: [...names].sort(),
    labelAliases: [...aliases].sort(),
    ...embeddingsOf(image),
  };
}
