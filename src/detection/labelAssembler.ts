import { compareCodeUnits } from '../codeUnitOrder';
import { LabelEvidence, LabelInstance, mergeEvidence } from './recognizer';

/** What assembling needs of a taxonomy label. */
export interface AssemblyLabel {
  id: string;
  level: number;
  parentId: string | null;
  threshold: number;
}

export interface AssemblyTaxonomy {
  get(id: string): AssemblyLabel | undefined;
  /** Ancestor labels, nearest first. */
  ancestors(id: string): readonly AssemblyLabel[];
}

export interface LabelFilters {
  /** Only these labels and their descendants. */
  includeLabelIds?: string[];
  /** Not these labels nor their descendants. */
  excludeLabelIds?: string[];
  /** Only labels under these level-1 categories. */
  includeCategoryIds?: string[];
  excludeCategoryIds?: string[];
}

export interface AssemblyOptions extends LabelFilters {
  /** The request's threshold (0..1). */
  threshold: number;
  maxLabels: number;
}

export interface ScoredLabel {
  labelId: string;
  level: number;
  parentId: string | null;
  confidence: number;
  centricScore: number;
  /** The label's own boxes (a detector's labels); its ancestors carry none. */
  instances: LabelInstance[];
}

/**
 * RAM's per-tag thresholds centre on 0.65. A label's own threshold shifts the request's threshold
 * by its distance from that centre: labels RAM found hard to call need more confidence, easy ones
 * less, and a request threshold of 0.3 still means "show me more" for every label.
 */
export const LABEL_THRESHOLD_CENTRE = 0.65;

export function effectiveThreshold(requestThreshold: number, labelThreshold: number): number {
  return Math.min(1, Math.max(0, requestThreshold + (labelThreshold - LABEL_THRESHOLD_CENTRE)));
}

/** A confidence as it is reported and stored: 4 decimals. */
export const reportedConfidence = (value: number) => Math.round(value * 1e4) / 1e4;

/**
 * How labels are listed, in a detection's answer and in an image read later alike: strongest first
 * (as reported), a parent before its child on a tie, then by id.
 */
const listingOrder = (confidenceA: number, levelA: number, idA: string, confidenceB: number, levelB: number, idB: string): number =>
  confidenceB - confidenceA || levelA - levelB || compareCodeUnits(idA, idB);

/** The listing order of scored labels (confidence not yet rounded). */
export function strongestFirst(
  a: { confidence: number; level: number; labelId: string },
  b: { confidence: number; level: number; labelId: string },
): number {
  return listingOrder(reportedConfidence(a.confidence), a.level, a.labelId, reportedConfidence(b.confidence), b.level, b.labelId);
}

/** The same order over labels as reported (describeLabel's), whose confidence is already rounded. */
export function strongestReportedFirst(
  a: { labelConfidence: number; labelLevel: number; labelId: string },
  b: { labelConfidence: number; labelLevel: number; labelId: string },
): number {
  return listingOrder(a.labelConfidence, a.labelLevel, a.labelId, b.labelConfidence, b.labelLevel, b.labelId);
}

/** A list's leaves (labels no other label of the list lies below): below the categories, and bare categories. */
function leavesOf<T>(
  labels: readonly T[],
  idOf: (label: T) => string,
  ancestorsOf: (id: string) => readonly { id: string }[],
  levelOf: (label: T) => number,
): { specific: T[]; bareCategories: T[] } {
  const above = new Set(labels.flatMap((label) => ancestorsOf(idOf(label)).map((ancestor) => ancestor.id)));
  const leaves = labels.filter((label) => !above.has(idOf(label)));
  return { specific: leaves.filter((label) => levelOf(label) > 1), bareCategories: leaves.filter((label) => levelOf(label) === 1) };
}

/**
 * The labels that say most: those no other label of the list lies below, except level-1 categories
 * (a category with nothing below it says only "outdoors"), in the list's order. Only when a list has
 * nothing else are its categories its most specific labels.
 */
export function mostSpecific<T>(
  labels: readonly T[],
  idOf: (label: T) => string,
  ancestorsOf: (id: string) => readonly { id: string }[],
  levelOf: (label: T) => number,
): T[] {
  const { specific, bareCategories } = leavesOf(labels, idOf, ancestorsOf, levelOf);
  return specific.length ? specific : bareCategories;
}

/**
 * How a set of labels is listed: its most specific labels first (what the photo shows), strongest
 * first, then the labels they imply (parents and categories), strongest first. The first five
 * labels so name five things, not one thing and its categories.
 */
export function inListingOrder<T>(
  labels: readonly T[],
  idOf: (label: T) => string,
  ancestorsOf: (id: string) => readonly { id: string }[],
  levelOf: (label: T) => number,
  strongest: (a: T, b: T) => number,
): T[] {
  const sorted = [...labels].sort(strongest);
  const lead = new Set(mostSpecific(sorted, idOf, ancestorsOf, levelOf));
  return [...sorted.filter((label) => lead.has(label)), ...sorted.filter((label) => !lead.has(label))];
}

/**
 * Evidence from the models → the labels a request returns: every label implies its ancestors with
 * at least its confidence (and CentricScore); labels below their threshold go, unless a kept
 * descendant needs them as its parent; filters apply. maxLabels counts the most specific labels,
 * strongest first; their ancestors, and categories with nothing below them, come uncounted (a cap
 * never orphans a label, nor spends itself on categories). Listed by inListingOrder.
 */
export function assembleLabels(evidence: LabelEvidence[], taxonomy: AssemblyTaxonomy, options: AssemblyOptions): ScoredLabel[] {
  // Each piece of evidence also speaks for every ancestor (not with its boxes: a box of a dog is not
  // one of "animal"); the strongest word on each label wins.
  const implied = evidence
    .filter((e) => taxonomy.get(e.labelId))
    .flatMap((e) => [
      e,
      ...taxonomy
        .ancestors(e.labelId)
        .map((ancestor) => ({ labelId: ancestor.id, confidence: e.confidence, centricScore: e.centricScore })),
    ]);
  const scores = new Map(mergeEvidence([implied]).map((e) => [e.labelId, e]));

  const kept = new Set<string>();
  for (const [id, score] of scores) {
    const label = taxonomy.get(id)!;
    if (score.confidence >= effectiveThreshold(options.threshold, label.threshold)) {
      kept.add(id);
      for (const ancestor of taxonomy.ancestors(id)) kept.add(ancestor.id);
    }
  }

  const lineage = (id: string) => [id, ...taxonomy.ancestors(id).map((a) => a.id)];
  const inAny = (ids: string[] | undefined, id: string) => !ids?.length || lineage(id).some((x) => ids.includes(x));
  const inNone = (ids: string[] | undefined, id: string) => !ids?.length || !lineage(id).some((x) => ids.includes(x));

  const candidates = [...kept]
    .filter((id) => inAny(options.includeLabelIds, id) && inNone(options.excludeLabelIds, id))
    .filter((id) => inAny(options.includeCategoryIds, id) && inNone(options.excludeCategoryIds, id))
    .map((id): ScoredLabel => {
      const label = taxonomy.get(id)!;
      const score = scores.get(id)!;
      return {
        labelId: id,
        level: label.level,
        parentId: label.parentId,
        confidence: score.confidence,
        centricScore: score.centricScore,
        instances: score.boxes ?? [],
      };
    })
    .sort(strongestFirst);
  const idOf = (label: ScoredLabel) => label.labelId;
  const ancestorsOf = (id: string) => taxonomy.ancestors(id);
  const levelOf = (label: ScoredLabel) => label.level;
  const { specific, bareCategories } = leavesOf(candidates, idOf, ancestorsOf, levelOf);
  const counted = (specific.length ? specific : bareCategories).slice(0, options.maxLabels);
  // A category with nothing below it (indoor, outdoor) stays too, uncounted.
  const listed = new Set([...counted.flatMap((label) => lineage(label.labelId)), ...bareCategories.map(idOf)]);
  return inListingOrder(
    candidates.filter((label) => listed.has(label.labelId)),
    idOf,
    ancestorsOf,
    levelOf,
    strongestFirst,
  );
}
