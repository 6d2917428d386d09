import type { CategoryDefinition } from './categories';
import { normalizeLemma, WordNetGraph } from './wordnetGraph';

const PHYSICAL_ENTITY = 'n00001930';
/**
 * Categories of things and events: a modifier in one of these says what kind of thing the phrase
 * names ("football game", "motorcycle helmet"). Places, people, living things, materials and colours
 * say where, whose, or what it is made of ("kitchen floor", "clown fish", "leather jacket"), so they
 * do not pick the sense.
 */
const KIND_CATEGORIES = new Set([
  'sport',
  'performance',
  'celebration',
  'business-event',
  'production-event',
  'disaster',
  'food',
  'drink',
  'tableware',
  'electronics',
  'appliance',
  'furniture',
  'household',
  'personal-care',
  'vehicle',
  'clothing',
  'sports-equipment',
  'toy',
  'musical-instrument',
  'tool',
  'medical',
  'weapon',
  'art',
  'document',
  'symbol',
]);

export interface SenseChoice {
  wnid: string;
  /** The category its nearest anchor gives, if any. */
  categoryId?: string;
  /** true when the synset is named by the whole tag, false when only by its last word(s). */
  exact: boolean;
  /** Chosen by hand (a sense override), not ranked. */
  chosen?: boolean;
  /** The tag is one of the synset's names ("glasses" of "spectacles, eyeglasses, glasses"). */
  named?: boolean;
}

/** Picks WordNet senses for tag text and finds the category a synset falls in. */
export class SensePicker {
  private readonly anchorCategory = new Map<string, string>();
  private readonly weakAnchorCategory = new Map<string, string>();

  private readonly tagSenses: Map<string, string | null>;

  /**
   * @param senseOverrides tag or word → wnid chosen by hand; a word's override also holds when it
   * ends a longer tag ("ceiling fan" is the machine because "fan" is).
   * @param tagSenses tag → wnid chosen by hand for that whole tag only; null: WordNet has no sense
   * for what the tag means, only others ("pipa" the toad genus, "vespa" the hornets).
   */
  constructor(
    private readonly wordnet: WordNetGraph,
    categories: CategoryDefinition[],
    private readonly senseOverrides: Record<string, string> = {},
    tagSenses: Record<string, string | null> = {},
  ) {
    for (const [tag, wnid] of [...Object.entries(senseOverrides), ...Object.entries(tagSenses)]) {
      if (wnid !== null && !wordnet.has(wnid)) throw new Error(`sense override ${tag} → ${wnid}: not in WordNet`);
    }
    this.tagSenses = new Map(Object.entries(tagSenses).map(([tag, wnid]) => [normalizeLemma(tag), wnid]));
    for (const category of categories) {
      for (const [list, map] of [
        [category.anchors, this.anchorCategory],
        [category.weakAnchors ?? [], this.weakAnchorCategory],
      ] as const) {
        for (const wnid of list) {
          if (!wordnet.has(wnid)) throw new Error(`category ${category.id}: anchor ${wnid} is not in WordNet`);
          if (this.anchorCategory.has(wnid) || this.weakAnchorCategory.has(wnid)) throw new Error(`anchor ${wnid} is listed twice`);
          map.set(wnid, category.id);
        }
      }
    }
  }

  /**
   * The category of the nearest anchor at or above the synset. WordNet is a DAG ("wheeled vehicle"
   * is also a "container"), so broad anchors only count when no specific one is above it.
   */
  categoryOf(wnid: string): string | undefined {
    const lineage = [wnid, ...this.wordnet.ancestors(wnid).map((a) => a.wnid)];
    for (const map of [this.anchorCategory, this.weakAnchorCategory]) {
      const found = lineage.find((w) => map.has(w));
      if (found) return map.get(found);
    }
    return undefined;
  }

  /**
   * The most likely sense of a tag, preferring (in order): a sense in the wanted category, one in a
   * category its modifier words fall in (tail matches only), one that lands in any category, one whose headword is the tag, a physical thing (tags name what photos
   * show), a sense with many hyponyms (common senses have more), then the lowest wnid (determinism).
   */
  pick(text: string, wantedCategory?: string): SenseChoice | undefined {
    const key = normalizeLemma(text);
    if (this.tagSenses.has(key)) {
      const tagSense = this.tagSenses.get(key);
      return tagSense ? { wnid: tagSense, categoryId: this.categoryOf(tagSense), exact: true, chosen: true } : undefined;
    }
    const own = this.overridden(text);
    if (own) return { ...own, exact: true, chosen: true };
    const exact = this.rank(text, this.candidates(text), wantedCategory);
    if (exact) return { ...exact, exact: true, named: this.wordnet.lemmas(exact.wnid).some((lemma) => normalizeLemma(lemma) === key) };
    // "airplane window" is a window: try ever shorter tails of the phrase. The words before the
    // tail say which sense it has: in "football college game" the game is a sport, not a hunted
    // animal, because "football" is one.
    const words = normalizeLemma(text).split(' ');
    for (let start = 1; start < words.length; start++) {
      const tail = words.slice(start).join(' ');
      const context = this.modifierCategories(words.slice(0, start));
      const chosen = this.overridden(tail);
      const found = chosen ?? this.rank(tail, this.candidates(tail), wantedCategory, context);
      if (found) return { ...found, exact: false, chosen: chosen !== undefined };
    }
    return undefined;
  }

  private overridden(text: string): { wnid: string; categoryId?: string } | undefined {
    const key = normalizeLemma(text);
    const wnid = Object.entries(this.senseOverrides).find(([tag]) => normalizeLemma(tag) === key)?.[1];
    return wnid ? { wnid, categoryId: this.categoryOf(wnid) } : undefined;
  }

  /** Categories that the modifier words' own most likely senses fall in. */
  private modifierCategories(modifiers: string[]): Set<string> {
    const out = new Set<string>();
    for (const word of modifiers) {
      const category = this.rank(word, this.candidates(word))?.categoryId;
      if (category && KIND_CATEGORIES.has(category)) out.add(category);
    }
    return out;
  }

  private candidates(text: string): string[] {
    const direct = this.wordnet.synsetsNamed(text);
    if (direct.length) return direct;
    const singular = singularOf(normalizeLemma(text));
    return singular ? this.wordnet.synsetsNamed(singular) : [];
  }

  private rank(
    text: string,
    wnids: string[],
    wantedCategory?: string,
    context?: Set<string>,
  ): { wnid: string; categoryId?: string } | undefined {
    const key = normalizeLemma(text);
    const scored = wnids.map((wnid) => {
      const categoryId = this.categoryOf(wnid);
      const lemmas = this.wordnet.lemmas(wnid).map(normalizeLemma);
      const physical = this.wordnet.ancestors(wnid).some((a) => a.wnid === PHYSICAL_ENTITY);
      const score = [
        wantedCategory && categoryId === wantedCategory ? 0 : 1,
        categoryId ? 0 : 1,
        lemmas[0] === key ? 0 : 1,
        categoryId && context?.has(categoryId) ? 0 : 1,
        physical ? 0 : 1,
        -this.wordnet.descendantCount(wnid),
      ];
      return { wnid, categoryId, score };
    });
    scored.sort((a, b) => compareScores(a.score, b.score) || a.wnid.localeCompare(b.wnid));
    const best = scored[0];
    return best && (best.categoryId || !wantedCategory) ? { wnid: best.wnid, categoryId: best.categoryId } : best;
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function singularOf(text: string): string | undefined {
  if (/ies$/.test(text)) return text.replace(/ies$/, 'y');
  if (/(ches|shes|sses|xes)$/.test(text)) return text.replace(/es$/, '');
  if (/[^s]s$/.test(text)) return text.replace(/s$/, '');
  return undefined;
}
