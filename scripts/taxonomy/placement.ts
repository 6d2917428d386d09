import type { CategoryDefinition } from './categories';
import { FALLBACK_CATEGORY } from './categories';
import { CATEGORY_OVERRIDES, KEYWORD_RULES } from './placementRules';
import type { SensePicker } from './senses';
import { normalizeLemma } from './wordnetGraph';

export type PlacementMethod = 'category' | 'override' | 'keyword' | 'wordnet' | 'headword' | 'fallback';

/** A concept (RAM tag or Places365 scene) and the category it was placed in. */
export interface PlacedConcept {
  en: string;
  categoryId: string;
  method: PlacementMethod;
  /** The synset the concept is (exact match), if any: it may group others and carries wnid. */
  wnid?: string;
  /** The synset that places it in the hierarchy (its own, or its headword's). */
  placementWnid?: string;
}

/** Decides a concept's category: overrides, keyword rules, WordNet, then the catch-all. */
export function placeConcept(en: string, picker: SensePicker, categories: CategoryDefinition[], sceneCategory?: string): PlacedConcept {
  const key = normalizeLemma(en);
  const own = categories.find((c) => c.ramTags?.some((t) => normalizeLemma(t) === key) || normalizeLemma(c.en) === key);
  if (own) return { en, categoryId: own.id, method: 'category' };

  const override = CATEGORY_OVERRIDES[en];
  const keyword = KEYWORD_RULES.find(([pattern]) => pattern.test(key))?.[1];
  const forced = override ?? keyword;
  const picked = picker.pick(en, forced ?? sceneCategory);
  // A category set by hand keeps a ranked sense from elsewhere only when the tag is one of the
  // synset's names ("glasses"): one reached through the phrase's last word or a singular would bring
  // its synonyms as aliases and its place in WordNet as the label's parent. Names with another
  // meaning ("add" as ADD, "pipa" the toads) are settled tag by tag in reviewedPlacements.ts.
  const foreign = forced !== undefined && picked !== undefined && picked.categoryId !== forced && !picked.chosen && !picked.named;
  const sense = foreign ? undefined : picked;
  const synsets = sense ? { wnid: sense.exact ? sense.wnid : undefined, placementWnid: sense.wnid } : {};

  if (override) return { en, categoryId: override, method: 'override', ...synsets };
  if (keyword) return { en, categoryId: keyword, method: 'keyword', ...synsets };
  if (sense?.categoryId) return { en, categoryId: sense.categoryId, method: sense.exact ? 'wordnet' : 'headword', ...synsets };
  return { en, categoryId: FALLBACK_CATEGORY, method: 'fallback', ...synsets };
}
