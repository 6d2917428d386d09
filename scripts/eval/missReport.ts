import type { Truth, TruthKind } from './evalManifest';
import type { PhotoOutcome } from './labelQuality';

/** Why a truth was not found at the default threshold. */
export type MissKind = 'no label' | 'not returned' | 'ranked past 5' | 'below 0.5';
export const MISS_KINDS: readonly MissKind[] = ['no label', 'not returned', 'ranked past 5', 'below 0.5'];

export interface MissMatcher {
  idsOf(truth: Truth): Set<string>;
  hits(labelId: string, truth: Truth): boolean;
}

/** A photo's outcome with the confidence of each label it got, unthresholded, in the order returned. */
export interface ScoredOutcome extends PhotoOutcome {
  confidences: number[];
}

export interface Miss {
  photoId: string;
  truth: Truth;
  kind: MissKind;
  /** The best answering label's rank (1-based) and confidence, when one was returned. */
  rank?: number;
  confidence?: number;
}

/**
 * Each truth a photo's labels at the default threshold leave out, and why: the taxonomy has no
 * label for any of its names; no returned label answers it; one does, but past the first five and
 * below the threshold; or within the first five, below the threshold.
 */
export function missesOf(outcomes: ScoredOutcome[], matcher: MissMatcher): Miss[] {
  const misses: Miss[] = [];
  for (const o of outcomes) {
    for (const truth of o.photo.truths) {
      if (o.atDefault.some((id) => matcher.hits(id, truth))) continue;
      if (matcher.idsOf(truth).size === 0) {
        misses.push({ photoId: o.photo.id, truth, kind: 'no label' });
        continue;
      }
      const index = o.all.findIndex((id) => matcher.hits(id, truth));
      if (index < 0) misses.push({ photoId: o.photo.id, truth, kind: 'not returned' });
      else
        misses.push({
          photoId: o.photo.id,
          truth,
          kind: index >= 5 ? 'ranked past 5' : 'below 0.5',
          rank: index + 1,
          confidence: o.confidences[index],
        });
    }
  }
  return misses;
}

/** Misses counted per kind of truth and kind of miss. */
export function missCounts(misses: Miss[]): Map<TruthKind, Map<MissKind, number>> {
  const counts = new Map<TruthKind, Map<MissKind, number>>();
  for (const miss of misses) {
    const row = counts.get(miss.truth.kind) ?? new Map<MissKind, number>();
    row.set(miss.kind, (row.get(miss.kind) ?? 0) + 1);
    counts.set(miss.truth.kind, row);
  }
  return counts;
}

/** Share of right labels per band of their own confidence: whether a confidence reads like a chance. */
export function reliability(
  outcomes: ScoredOutcome[],
  right: (labelId: string, o: ScoredOutcome) => boolean,
  bands: number[],
  first = 3,
): { from: number; to: number; labels: number; right: number }[] {
  const rows = bands.slice(0, -1).map((from, i) => ({ from, to: bands[i + 1], labels: 0, right: 0 }));
  for (const o of outcomes) {
    o.all.slice(0, first).forEach((id, i) => {
      const row =
        rows.find((r) => o.confidences[i] >= r.from && o.confidences[i] < r.to) ?? (o.confidences[i] >= 1 ? rows.at(-1) : undefined);
      if (!row) return;
      row.labels += 1;
      if (right(id, o)) row.right += 1;
    });
  }
  return rows;
}
