import { labelNamesOf } from '../taxonomy/labelNaming';
import type { Taxonomy } from '../taxonomy/taxonomy';
import type { DetectionTaxonomy } from './labelDetector';
import type { LabelVocabulary } from './recognizer';

/** The taxonomy seen through the narrow interfaces detection uses. */
export function detectionTaxonomyOf(taxonomy: Taxonomy): DetectionTaxonomy & LabelVocabulary {
  return {
    ...labelNamesOf(taxonomy),
    get: (id) => taxonomy.get(id),
    ancestors: (id) => taxonomy.ancestors(id),
    has: (id) => taxonomy.get(id) !== undefined,
    ancestorIds: (id) => taxonomy.ancestors(id).map((a) => a.id),
    promptLabels: () => taxonomy.list({}).map((l) => ({ id: l.id, en: l.en })),
  };
}
