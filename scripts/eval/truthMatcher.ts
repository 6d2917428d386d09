import type { Taxonomy } from '../../src/taxonomy/taxonomy';
import type { Truth } from './evalManifest';

/** English plural → singular for the simple cases grader names use (dunes, buses, skies, tomatoes). */
const singulars = (name: string): string[] => {
  const out = [name];
  if (/ies$/.test(name)) out.push(name.replace(/ies$/, 'y'));
  if (/(s|x|ch|sh|o)es$/.test(name)) out.push(name.replace(/es$/, ''));
  if (/[^s]s$/.test(name)) out.push(name.replace(/s$/, ''));
  return out;
};

/**
 * Which taxonomy labels a truth accepts: those named by one of its names (or aliases), and every
 * label below them (a "golden retriever" answers a truth of "dog"; an "animal" does not).
 */
export class TruthMatcher {
  private readonly cache = new Map<string, Set<string>>();
  readonly unresolved = new Set<string>();

  constructor(private readonly taxonomy: Taxonomy) {}

  idsOf(truth: Truth): Set<string> {
    const key = truth.names.join('|');
    let ids = this.cache.get(key);
    if (!ids) {
      ids = new Set<string>();
      for (const name of truth.names) {
        const found = singulars(name.toLowerCase()).flatMap((candidate) => this.taxonomy.findAllByName(candidate));
        if (found.length === 0) this.unresolved.add(name);
        for (const label of found) ids.add(label.id);
      }
      this.cache.set(key, ids);
    }
    return ids;
  }

  /** Whether a returned label answers the truth: it is one of its labels or below one. */
  hits(labelId: string, truth: Truth): boolean {
    const ids = this.idsOf(truth);
    return ids.has(labelId) || this.taxonomy.ancestors(labelId).some((ancestor) => ids.has(ancestor.id));
  }
}
