import { checkLabel, readClassMapFile } from './classMap';
import type { LabelVocabulary } from './recognizer';

/**
 * Classes a model tells apart but a photo often does not: a street scene comes out as street,
 * crosswalk, alley or downtown, each with part of the probability. A group sums its members'
 * probabilities into evidence for one label; the label's evidence is the larger of that sum and
 * its own (its classes and their descendants'). Groups may overlap: each is read on its own.
 */
export interface ClassGroup {
  id: string;
  labelId: string;
  /** Class indices. */
  classes: number[];
  /**
   * Whether the pack's calibration applies to the sum. Not for a sum that is a plain probability
   * already (indoor against outdoor: two groups that cover every class between them), which a
   * calibration meant for probability spread over near-synonyms would only inflate: both sides of
   * a 50/50 photo would pass.
   */
  calibrated: boolean;
}

/** The groups of a class map (none when it has none), their members resolved to class indices. */
export function loadClassGroups(path: string, vocabulary: LabelVocabulary): ClassGroup[] {
  const map = readClassMapFile(path);
  const indexOf = new Map(map.classes.map((entry) => [entry.name, entry.index]));
  return map.groups.map((group) => {
    checkLabel(path, `group ${group.id}`, group.labelId, vocabulary);
    const classes = group.members.map((name) => {
      const index = indexOf.get(name);
      if (index === undefined) throw new Error(`${path}: group ${group.id} names ${name}, which is not a class of the map`);
      return index;
    });
    if (new Set(classes).size !== classes.length) throw new Error(`${path}: group ${group.id} names a class twice`);
    return { id: group.id, labelId: group.labelId, classes, calibrated: group.calibrated };
  });
}

/** Each group's summed probability, in the groups' order. */
export function groupProbabilities(probabilities: ArrayLike<number>, groups: readonly ClassGroup[]): number[] {
  return groups.map((group) => {
    let sum = 0;
    for (const c of group.classes) sum += probabilities[c];
    return Math.min(1, sum);
  });
}
