import type { PlacedConcept } from './placement';
import { GENERIC_TAGS, PARENT_OVERRIDES, UNGROUPED_TAGS } from './placementRules';
import type { WordNetGraph } from './wordnetGraph';

/** A placed concept with its key (label id) in the build. */
export interface HierarchyNode extends PlacedConcept {
  id: string;
}

export interface HierarchyResult {
  /** id → parent id (a level-2 group) for level-3 concepts; absent for level-2 ones. */
  groupOf: Map<string, string>;
  groups: Set<string>;
  viaOverride: number;
}

/**
 * Within each category, concepts that are WordNet ancestors of at least two others become level-2
 * groups (the most general such concept on a path wins, so "dog" groups its breeds), and every
 * other concept goes under its nearest group ancestor (level 3) or straight under the category
 * (level 2). Depth never exceeds three, whatever WordNet's depth.
 */
export function buildHierarchy(nodes: HierarchyNode[], wordnet: WordNetGraph): HierarchyResult {
  const byCategory = new Map<string, HierarchyNode[]>();
  for (const node of nodes) {
    const list = byCategory.get(node.categoryId) ?? [];
    list.push(node);
    byCategory.set(node.categoryId, list);
  }
  const groupOf = new Map<string, string>();
  const groups = new Set<string>();
  const byEn = new Map(nodes.map((n) => [n.en, n]));
  let viaOverride = 0;

  for (const members of byCategory.values()) {
    // The first concept (in build order) with a synset represents it as a possible group.
    const bySynset = new Map<string, HierarchyNode>();
    for (const node of members) if (node.wnid && !GENERIC_TAGS.has(node.en) && !bySynset.has(node.wnid)) bySynset.set(node.wnid, node);

    const lineage = (node: HierarchyNode): string[] => {
      if (!node.placementWnid) return [];
      const above = wordnet.ancestors(node.placementWnid).map((a) => a.wnid);
      // A headword match ("airplane window") may go under the headword's own concept ("window").
      return node.wnid ? above : [node.placementWnid, ...above];
    };
    const counts = new Map<string, number>();
    for (const node of members) {
      for (const wnid of lineage(node)) {
        if (wnid !== node.wnid && bySynset.has(wnid)) counts.set(wnid, (counts.get(wnid) ?? 0) + 1);
      }
    }
    const candidates = [...bySynset.entries()]
      .filter(([wnid]) => (counts.get(wnid) ?? 0) >= 2)
      .map(([wnid, node]) => ({ wnid, node, depth: wordnet.ancestors(wnid).length }))
      .sort((a, b) => a.depth - b.depth || a.node.id.localeCompare(b.node.id));
    const chosen = new Set<string>();
    for (const { wnid, node } of candidates) {
      if (PARENT_OVERRIDES[node.en]) continue;
      if (wordnet.ancestors(wnid).some((a) => chosen.has(a.wnid))) continue;
      chosen.add(wnid);
      groups.add(node.id);
    }
    const manualNodes: HierarchyNode[] = [];
    for (const node of members) {
      if (groups.has(node.id)) continue;
      if (PARENT_OVERRIDES[node.en]) {
        manualNodes.push(node);
        continue;
      }
      if (UNGROUPED_TAGS.has(node.en)) continue;
      const group = lineage(node).find((wnid) => wnid !== node.wnid && chosen.has(wnid));
      if (group) groupOf.set(node.id, bySynset.get(group)!.id);
    }
    // Levels stop at 3: a manual parent that already sits under a group ("eagle" under "bird") does
    // not become a group itself; its child goes beside it, under the same group ("bald eagle").
    for (const node of manualNodes) {
      const manual = PARENT_OVERRIDES[node.en];
      const parent = byEn.get(manual);
      if (!parent || parent.categoryId !== node.categoryId)
        throw new Error(`parent override ${node.en} → ${manual}: not a concept of ${node.categoryId}`);
      const parentGroup = groupOf.get(parent.id);
      groupOf.set(node.id, parentGroup ?? parent.id);
      if (!parentGroup) groups.add(parent.id);
      viaOverride++;
    }
  }
  return { groupOf, groups, viaOverride };
}
