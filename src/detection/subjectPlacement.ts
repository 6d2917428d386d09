import type { LabelEvidence } from './recognizer';

/** What placing classifier labels on boxes needs of the taxonomy. */
export interface PlacementTaxonomy {
  /** Ancestor labels, nearest first. */
  ancestors(id: string): readonly { id: string }[];
}

/**
 * CentricScore in one pass (docs/centric-score.md): a whole-frame classifier sees the image once and
 * cannot say where its label is, so its estimate gives way to a detector's boxes of a related
 * label — the same label, a narrower one (ImageNet's "tabby" under a COCO "cat" box's "cat") or a
 * broader one ("animal" from the same box). The best-placed related box wins: a classifier label
 * stands for the main subject it names, and a label with several boxes is as central as its most
 * central one. Without a related box the estimate stays.
 */
export function placeOnBoxes(perModel: LabelEvidence[][], taxonomy: PlacementTaxonomy): LabelEvidence[][] {
  const boxed = new Map<string, number>();
  for (const list of perModel) {
    for (const e of list) if (e.boxes?.length) boxed.set(e.labelId, Math.max(boxed.get(e.labelId) ?? 0, e.centricScore));
  }
  if (boxed.size === 0) return perModel;
  // Each boxed label also places its ancestors (a box of a dog places "animal").
  const placed = new Map<string, number>(boxed);
  for (const [id, centric] of boxed) {
    for (const ancestor of taxonomy.ancestors(id)) placed.set(ancestor.id, Math.max(placed.get(ancestor.id) ?? 0, centric));
  }
  const centricOf = (id: string): number | undefined => {
    const own = placed.get(id);
    if (own !== undefined) return own;
    // A narrower label takes the box of its nearest boxed ancestor ("tabby" → "cat").
    for (const ancestor of taxonomy.ancestors(id)) {
      const byAncestor = boxed.get(ancestor.id);
      if (byAncestor !== undefined) return byAncestor;
    }
    return undefined;
  };
  return perModel.map((list) =>
    list.map((e) => {
      if (!e.centricEstimated) return e;
      const centric = centricOf(e.labelId);
      if (centric === undefined) return e;
      const { centricEstimated: _estimate, ...rest } = e;
      return { ...rest, centricScore: centric };
    }),
  );
}
