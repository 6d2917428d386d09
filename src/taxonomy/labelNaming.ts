import type { LabelLanguage } from '../vocabulary';
import type { LabelInstance } from '../detection/recognizer';
import { invalidArgument } from '../api/errors';
import type { Taxonomy } from './taxonomy';

/** How labels are named: an id's names and aliases in a language, and the ids a name stands for. */
export interface LabelNames {
  readonly version: string;
  get(id: string): { parentId: string | null; level: number } | undefined;
  name(id: string, language: LabelLanguage): string;
  aliasesOf(id: string, language: LabelLanguage): string[];
  /** The label of an id, else every label of a name or alias (either language) several may share (see Taxonomy.findAllByName). */
  resolveAll(idOrName: string): string[];
}

/** The naming side of the taxonomy (detection adds its structure: detection/detectionTaxonomy.ts). */
export function labelNamesOf(taxonomy: Taxonomy): Omit<LabelNames, 'get'> {
  const label = (id: string) => {
    const found = taxonomy.get(id);
    if (!found) throw new Error(`label ${id} is not in taxonomy ${taxonomy.version}`);
    return found;
  };
  return {
    version: taxonomy.version,
    name: (id, language) => taxonomy.displayName(label(id), language),
    aliasesOf: (id, language) => taxonomy.aliases(label(id), language),
    resolveAll: (idOrName) => (taxonomy.get(idOrName) ? [idOrName] : taxonomy.findAllByName(idOrName).map((l) => l.id)),
  };
}

/** The labels a name in a request stands for (see resolveAll); an unknown one is the request's error, on `field`. */
export function labelsNamed(taxonomy: Pick<LabelNames, 'resolveAll' | 'version'>, field: string, name: string): string[] {
  const ids = taxonomy.resolveAll(name);
  if (!ids.length) throw invalidArgument(`${field}: "${name}" is not a label in taxonomy ${taxonomy.version}.`, field);
  return ids;
}

export interface DetectedLabel {
  language: LabelLanguage;
  labelId: string;
  labelName: string;
  labelLevel: number;
  labelConfidence: number;
  parentLabelId: string | null;
  parentLabelName: string | null;
  centricScore: number;
  labelAlias: string[];
  /** The label's boxes, most confident first (detector labels; empty for the rest). */
  instances: LabelInstance[];
}

export const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A scored label as IMM reports it, named in the requested language (also for stored labels). */
export function describeLabel(
  taxonomy: LabelNames,
  label: { labelId: string; confidence: number; centricScore: number; instances?: LabelInstance[] | null },
  language: LabelLanguage,
): DetectedLabel {
  const known = taxonomy.get(label.labelId);
  const parentId = known?.parentId ?? null;
  return {
    language,
    labelId: label.labelId,
    labelName: known ? taxonomy.name(label.labelId, language) : label.labelId,
    labelLevel: known?.level ?? 0,
    labelConfidence: round(label.confidence),
    parentLabelId: parentId,
    parentLabelName: parentId ? taxonomy.name(parentId, language) : null,
    centricScore: round(label.centricScore),
    labelAlias: known ? taxonomy.aliasesOf(label.labelId, language) : [],
    instances: label.instances ?? [],
  };
}
