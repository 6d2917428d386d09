import type { CategoryDefinition } from './categories';
import { normalizeLemma, WordNetGraph } from './wordnetGraph';

const PHYSICAL_ENTITY = 'n00001930';

export interface SenseChoice {
  wnid: string;
  /** The category its nearest anchor gives, if any. */
  categoryId?: string;
  /** true when the synset is named by the whole tag, false when only by its last word(s). */
  exact: boolean;
}

/** Picks WordNet senses for tag text and finds the category a synset falls in. */
export class SensePicker {
  private readonly anchorCategory = new Map<string, string>();
  private readonly weakAnchorCategory = new Map<string, string>();

  constructor(private readonly wordnet: WordNetGraph, categories: CategoryDefinition[]) {
    for (const category of categories) {
      for (const [list, map] of [[category.anchors, this.anchorCategory], [category.weakAnchors ?? [], this.weakAnchorCategory]] as const) {
        for (const wnid of list) {
          if (!wordnet.has(wnid)) throw new Error(`category ${category.id}: anchor ${wnid} is not in WordNet`);
          if (this.anchorCategory.has(wnid) || this.weakAnchorCategory.has(wnid)) throw new Error(`anchor ${wnid} is listed twice`);
          map.set(wnid, category.id);
        }
      }
    }
  }

  knows(wnid: string): boolean {
    return this.wordnet.has(wnid);
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
   * The most likely sense of a tag, preferring (in order): a sense in the wanted category, one that
   * lands in any category, one whose headword is the tag, a physical thing (tags name what photos
   * show), a sense with many hyponyms (common senses have more), then the lowest wnid (determinism).
   */
  pick(text: string, wantedCategory?: string): SenseChoice | undefined {
    const exact = this.rank(text, this.candidates(text), wantedCategory);
    if (exact) return { ...exact, exact: true };
    // "airplane window" is a window: try ever shorter tails of the phrase.
    const words = normalizeLemma(text).split(' ');
    for (let start = 1; start < words.length; start++) {
      const tail = words.slice(start).join(' ');
      const found = this.rank(tail, this.candidates(tail), wantedCategory);
      if (found) return { ...found, exact: false };
    }
    return undefined;
  }

  private candidates(text: string): string[] {
    const direct = this.wordnet.synsetsNamed(text);
    if (direct.length) return direct;
    const singular = singularOf(normalizeLemma(text));
    return singular ? this.wordnet.synsetsNamed(singular) : [];
  }

  private rank(text: string, wnids: string[], wantedCategory?: string): { wnid: string; categoryId?: string } | undefined {
    const key = normalizeLemma(text);
    const scored = wnids.map((wnid) => {
      const categoryId = this.categoryOf(wnid);
      const lemmas = this.wordnet.lemmas(wnid).map(normalizeLemma);
      const physical = this.wordnet.ancestors(wnid).some((a) => a.wnid === PHYSICAL_ENTITY);
      const score = [
        wantedCategory && categoryId === wantedCategory ? 0 : 1,
        categoryId ? 0 : 1,
        lemmas[0] === key ? 0 : 1,
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
