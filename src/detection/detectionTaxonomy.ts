import type { Taxonomy } from '../taxonomy/taxonomy';
import type { DetectionTaxonomy } from './labelDetector';
import type { LabelVocabulary } from './recognizer';

/** The taxonomy seen through the narrow interfaces detection uses. */
export function detectionTaxonomyOf(taxonomy: Taxonomy): DetectionTaxonomy & LabelVocabulary {
  const label = (id: string) => {
    const found = taxonomy.get(id);
    if (!found) throw new Error(`label ${id} is not in taxonomy ${taxonomy.version}`);
    return found;
  };
  return {
    version: taxonomy.version,
    get: (id) => taxonomy.get(id),
    ancestors: (id) => taxonomy.ancestors(id),
    has: (id) => taxonomy.get(id) !== undefined,
    ancestorIds: (id) => taxonomy.ancestors(id).map((a) => a.id),
    promptLabels: () => taxonomy.list({}).map((l) => ({ id: l.id, en: l.en })),
    name: (id, language) => taxonomy.displayName(label(id), language),
    aliasesOf: (id, language) => taxonomy.aliases(label(id), language),
    resolveAll: (idOrName) => (taxonomy.get(idOrName) ? [idOrName] : taxonomy.findAllByName(idOrName).map((l) => l.id)),
  };
}
