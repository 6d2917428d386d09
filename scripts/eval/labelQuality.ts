import type { EvalPhoto, Truth, TruthKind } from './evalManifest';
import { TRUTH_KINDS } from './evalManifest';

/** What detection returned for a photo: label ids in the order returned, unthresholded and at the default threshold. */
export interface PhotoOutcome {
  photo: EvalPhoto;
  all: string[];
  atDefault: string[];
}

export interface Matcher {
  hits(labelId: string, truth: Truth): boolean;
}

export interface Hierarchy {
  ancestors(id: string): readonly { id: string }[];
}

const share = (count: number, of: number) => (of === 0 ? NaN : count / of);

/** The first label in a list that no other label in it is below: the most specific one named first. */
export function firstSpecific(labels: string[], taxonomy: Hierarchy): string | undefined {
  const parents = new Set(labels.flatMap((id) => taxonomy.ancestors(id).map((a) => a.id)));
  return labels.find((id) => !parents.has(id));
}

export interface GroupFigures {
  photos: number;
  hitAt1: number;
  hitAt5: number;
  hitAnyRank: number;
  firstSpecificRight: number;
  hitAtDefault: number;
  noLabelAtDefault: number;
  topRightAtDefault: number;
}

/** Photo-level hit rates for one group of photos. */
export function groupFigures(outcomes: PhotoOutcome[], matcher: Matcher, taxonomy: Hierarchy): GroupFigures {
  const right = (id: string | undefined, truths: Truth[]) => id !== undefined && truths.some((truth) => matcher.hits(id, truth));
  const anyRight = (ids: string[], truths: Truth[]) => ids.some((id) => right(id, truths));
  const n = outcomes.length;
  const count = (test: (o: PhotoOutcome) => boolean) => outcomes.filter(test).length;
  const labelled = outcomes.filter((o) => o.atDefault.length > 0);
  return {
    photos: n,
    hitAt1: share(
      count((o) => right(o.all[0], o.photo.truths)),
      n,
    ),
    hitAt5: share(
      count((o) => anyRight(o.all.slice(0, 5), o.photo.truths)),
      n,
    ),
    hitAnyRank: share(
      count((o) => anyRight(o.all, o.photo.truths)),
      n,
    ),
    firstSpecificRight: share(
      count((o) => right(firstSpecific(o.all, taxonomy), o.photo.truths)),
      n,
    ),
    hitAtDefault: share(
      count((o) => anyRight(o.atDefault, o.photo.truths)),
      n,
    ),
    noLabelAtDefault: share(n - labelled.length, n),
    topRightAtDefault: share(labelled.filter((o) => right(o.atDefault[0], o.photo.truths)).length, labelled.length),
  };
}

export interface KindFigures {
  truths: number;
  foundAtDefault: number;
  foundInTop5: number;
  foundAnyRank: number;
}

/** Truth-level recall by kind (scene, event, object) over every truth of that kind. */
export function kindFigures(outcomes: PhotoOutcome[], matcher: Matcher): Record<TruthKind, KindFigures> {
  const result = {} as Record<TruthKind, KindFigures>;
  for (const kind of TRUTH_KINDS) {
    const pairs = outcomes.flatMap((o) => o.photo.truths.filter((t) => t.kind === kind).map((truth) => ({ o, truth })));
    const found = (ids: string[], truth: Truth) => ids.some((id) => matcher.hits(id, truth));
    result[kind] = {
      truths: pairs.length,
      foundAtDefault: share(pairs.filter(({ o, truth }) => found(o.atDefault, truth)).length, pairs.length),
      foundInTop5: share(pairs.filter(({ o, truth }) => found(o.all.slice(0, 5), truth)).length, pairs.length),
      foundAnyRank: share(pairs.filter(({ o, truth }) => found(o.all, truth)).length, pairs.length),
    };
  }
  return result;
}
