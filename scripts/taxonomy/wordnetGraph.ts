import type { WordNetData } from './sources';

/** WordNet's noun is-a DAG with a lemma index: the lookups tag placement needs. */
export class WordNetGraph {
  private readonly parentsOf = new Map<string, string[]>();
  private readonly childrenOf = new Map<string, string[]>();
  private readonly byLemma = new Map<string, string[]>();
  private readonly descendantCounts = new Map<string, number>();

  constructor(private readonly data: WordNetData) {
    for (const [parent, child] of data.edges) {
      push(this.parentsOf, child, parent);
      push(this.childrenOf, parent, child);
    }
    // Sorted wnids keep every lookup (and so the built file) deterministic.
    for (const list of [...this.parentsOf.values(), ...this.childrenOf.values()]) list.sort();
    for (const [wnid, lemmas] of data.names) {
      for (const lemma of lemmas) push(this.byLemma, normalizeLemma(lemma), wnid);
    }
  }

  lemmas(wnid: string): string[] {
    return this.data.names.get(wnid) ?? [];
  }

  has(wnid: string): boolean {
    return this.data.names.has(wnid);
  }

  parents(wnid: string): string[] {
    return this.parentsOf.get(wnid) ?? [];
  }

  /** Synsets one of whose lemmas is this text (case, "-" and "_" ignored). */
  synsetsNamed(text: string): string[] {
    return this.byLemma.get(normalizeLemma(text)) ?? [];
  }

  /** Ancestors with their distance, nearest first (breadth-first over every parent). */
  ancestors(wnid: string): { wnid: string; distance: number }[] {
    const seen = new Set([wnid]);
    const out: { wnid: string; distance: number }[] = [];
    let frontier = [wnid];
    for (let distance = 1; frontier.length; distance++) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const parent of this.parents(node)) {
          if (seen.has(parent)) continue;
          seen.add(parent);
          out.push({ wnid: parent, distance });
          next.push(parent);
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Number of synsets below this one: a rough measure of how common a sense is. */
  descendantCount(wnid: string): number {
    const cached = this.descendantCounts.get(wnid);
    if (cached !== undefined) return cached;
    const seen = new Set<string>();
    const stack = [...(this.childrenOf.get(wnid) ?? [])];
    while (stack.length) {
      const node = stack.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(this.childrenOf.get(node) ?? []));
    }
    this.descendantCounts.set(wnid, seen.size);
    return seen.size;
  }
}

export function normalizeLemma(text: string): string {
  return text.toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
