import type { LabelLevel, TaxonomyLabel } from '../../src/taxonomy/labelTypes';
import { CATEGORIES } from './categories';
import { buildHierarchy, HierarchyNode } from './hierarchy';
import { PlacedConcept, PlacementMethod, placeConcept } from './placement';
import {
  CATEGORY_OVERRIDES,
  CURATED_EN_ALIASES,
  CURATED_ZH_ALIASES,
  DROPPED_ALIASES,
  PARENT_OVERRIDES,
  SENSE_OVERRIDES,
  TAG_SENSES,
  UNGROUPED_TAGS,
  ZH_OVERRIDES,
} from './placementRules';
import { PLACES365_ZH } from './places365Names';
import { PLACES365_MATCHES } from './sceneLayout';
import { SensePicker } from './senses';
import { SlugRegistry } from './slug';
import type { PlacesScene, RamTag } from './sources';
import { normalizeLemma, WordNetGraph } from './wordnetGraph';

const DEFAULT_THRESHOLD = 0.65;
const MAX_EN_ALIASES = 8;
const OUTDOOR_KEEPS = new Set(['natural-landscape', 'outdoor-scene', 'building', 'weather-and-sky', 'disaster']);

interface Concept extends HierarchyNode {
  zh: string;
  zhAliases: string[];
  threshold: number;
  ram?: number;
  places: string[];
}

export interface AssemblyStats {
  methods: Record<PlacementMethod | 'scene' | 'parentOverride', number>;
  groups: number;
}

/** RAM tags + Places365 scenes → the labels of the taxonomy, categories first, then by id. */
export function assembleLabels(
  ram: RamTag[],
  places: PlacesScene[],
  wordnet: WordNetGraph,
): { labels: TaxonomyLabel[]; stats: AssemblyStats } {
  const picker = new SensePicker(wordnet, CATEGORIES, SENSE_OVERRIDES, TAG_SENSES);
  const slugs = new SlugRegistry();
  for (const category of CATEGORIES)
    if (slugs.claim(category.id) !== category.id) throw new Error(`category id ${category.id} is not a slug`);
  const methods = { category: 0, override: 0, keyword: 0, wordnet: 0, headword: 0, fallback: 0, scene: 0, parentOverride: 0 };

  // RAM's Chinese sometimes gives two readings ("胡同/球道"): the first is the name, the rest aliases.
  // ZH_OVERRIDES replaces the ones that are wrong.
  const concepts: Concept[] = [];
  const categoryExtras = new Map<string, { zh: string[]; ram?: number; threshold?: number }>();
  for (const tag of ram) {
    const placed = placeConcept(tag.en, picker, CATEGORIES);
    const [zh, ...zhAliases] =
      ZH_OVERRIDES[tag.en] ??
      tag.zh
        .split('/')
        .map((s) => s.trim())
        .filter(Boolean);
    methods[placed.method]++;
    if (placed.method === 'category') {
      const extra = categoryExtras.get(placed.categoryId) ?? { zh: [] };
      extra.zh.push(zh ?? '', ...zhAliases);
      if (extra.ram === undefined) Object.assign(extra, { ram: tag.index, threshold: tag.threshold });
      categoryExtras.set(placed.categoryId, extra);
      continue;
    }
    concepts.push({
      ...placed,
      id: slugs.claim(tag.en),
      zh: zh ?? tag.en,
      zhAliases,
      threshold: tag.threshold,
      ram: tag.index,
      places: [],
    });
  }

  // Places365: a scene RAM already names marks that tag as a scene; the others become labels.
  const compact = (s: string) => normalizeLemma(s).replace(/ /g, '');
  const byCompact = new Map<string, Concept>();
  for (const concept of concepts) if (!byCompact.has(compact(concept.en))) byCompact.set(compact(concept.en), concept);
  const byEn = new Map(concepts.map((c) => [c.en, c]));
  for (const scene of places) {
    const en = scene.qualifier ? `${scene.base} (${scene.qualifier})` : scene.base;
    const sceneCategory = scene.indoor ? 'indoor-scene' : 'outdoor-scene';
    const match =
      matchedByHand(scene.path, byEn) ??
      byCompact.get(compact(`${scene.base} ${scene.qualifier ?? ''}`)) ??
      byCompact.get(compact(scene.base));
    const target = match ?? newSceneConcept(en, scene, picker, slugs, sceneCategory);
    if (!match) concepts.push(target);
    target.places.push(scene.path);
    // A category chosen by hand stands: a Places365 "raft" scene is still a raft, a vehicle. (A new
    // scene was placed by its base name: "ice skating rink (indoor)" takes its own entry here.)
    const chosen = CATEGORY_OVERRIDES[target.en];
    if (chosen !== undefined && target.categoryId !== chosen) Object.assign(target, { categoryId: chosen, method: 'override' });
    const keep = chosen !== undefined || (scene.indoor ? target.categoryId === 'indoor-scene' : OUTDOOR_KEEPS.has(target.categoryId));
    if (!keep) {
      methods[target.method]--;
      methods.scene++;
      target.method = 'override';
      target.categoryId = scene.indoor
        ? 'indoor-scene'
        : picker.categoryOf(target.placementWnid ?? '') === 'natural-landscape'
          ? 'natural-landscape'
          : 'outdoor-scene';
    }
  }

  const unmatched = Object.keys(PLACES365_MATCHES).filter((path) => !places.some((scene) => scene.path === path));
  if (unmatched.length) throw new Error(`PLACES365_MATCHES names scenes Places365 lacks: ${unmatched.join(', ')}`);
  checkRuleKeys(new Set(concepts.map((c) => c.en)), ram);
  const hierarchy = buildHierarchy(concepts, wordnet);
  methods.parentOverride = hierarchy.viaOverride;

  // Chinese aliases: what other tags of the same synset are called, plus the curated table.
  // Only tags that are names of the synset are synonyms ("couch", "sofa"): tags a sense override
  // sends to one broader synset ("street light", "stage light" → lamp) are not, and keep their own.
  // Places365's qualifier and a plural do not make another name: "gymnasium (indoor)", "roller skates".
  const nameKey = (text: string) => normalizeLemma(text.replace(/\s*\(.*\)$/, '')).replace(/s$/, '');
  const isNameOf = (c: Concept) => c.wnid !== undefined && wordnet.lemmas(c.wnid).some((lemma) => nameKey(lemma) === nameKey(c.en));
  const zhBySynset = new Map<string, string[]>();
  for (const c of concepts) if (isNameOf(c)) zhBySynset.set(c.wnid!, [...(zhBySynset.get(c.wnid!) ?? []), c.zh]);

  const labels: TaxonomyLabel[] = CATEGORIES.map((category) => {
    const extra = categoryExtras.get(category.id);
    return {
      id: category.id,
      en: category.en,
      zhHans: category.zh,
      level: 1 as LabelLevel,
      parentId: null,
      aliasesEn: uniqueAliases(category.en, [...(category.aliasesEn ?? []), ...(category.ramTags ?? [])], true),
      aliasesZhHans: uniqueAliases(category.zh, [...(category.aliasesZh ?? []), ...(extra?.zh ?? [])], false),
      threshold: extra?.threshold ?? DEFAULT_THRESHOLD,
      ...(extra?.ram !== undefined ? { sources: { ram: extra.ram } } : {}),
    };
  });
  const conceptLabels = concepts.map((c): TaxonomyLabel => {
    const group = hierarchy.groupOf.get(c.id);
    const lemmas = c.wnid ? wordnet.lemmas(c.wnid) : [];
    const sources = { ...(c.ram !== undefined ? { ram: c.ram } : {}), ...(c.places.length ? { places365: [...c.places].sort() } : {}) };
    return {
      id: c.id,
      en: c.en,
      zhHans: c.zh,
      level: group ? 3 : 2,
      parentId: group ?? c.categoryId,
      aliasesEn: withoutDropped(
        uniqueAliases(c.en, [...(CURATED_EN_ALIASES[c.id] ?? []), ...lemmas], true),
        DROPPED_ALIASES.en[c.en],
      ).slice(0, MAX_EN_ALIASES),
      aliasesZhHans: withoutDropped(
        uniqueAliases(c.zh, [...c.zhAliases, ...(isNameOf(c) ? zhBySynset.get(c.wnid!)! : []), ...(CURATED_ZH_ALIASES[c.id] ?? [])], false),
        DROPPED_ALIASES.zh[c.en],
      ),
      threshold: c.threshold,
      ...(c.wnid ? { wnid: c.wnid } : {}),
      ...(Object.keys(sources).length ? { sources } : {}),
    };
  });
  conceptLabels.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = new Set(conceptLabels.map((l) => l.id));
  const unknownIds = [...Object.keys(CURATED_EN_ALIASES), ...Object.keys(CURATED_ZH_ALIASES)].filter((id) => !ids.has(id));
  if (unknownIds.length) throw new Error(`curated aliases name labels that do not exist: ${unknownIds.join(', ')}`);
  return { labels: [...labels, ...conceptLabels], stats: { methods, groups: hierarchy.groups.size } };
}

/** The tag a scene was matched to by hand (PLACES365_MATCHES), which must exist. */
function matchedByHand(path: string, byEn: Map<string, Concept>): Concept | undefined {
  const tag = PLACES365_MATCHES[path];
  if (tag === undefined) return undefined;
  const concept = byEn.get(tag);
  if (!concept) throw new Error(`PLACES365_MATCHES: ${path} → ${tag}, which is not a tag`);
  return concept;
}

function newSceneConcept(en: string, scene: PlacesScene, picker: SensePicker, slugs: SlugRegistry, sceneCategory: string): Concept {
  const placed: PlacedConcept = placeConcept(scene.base, picker, CATEGORIES, sceneCategory);
  const zh = PLACES365_ZH[en];
  if (!zh) throw new Error(`Places365 scene "${en}" has no Chinese name in places365Names.ts`);
  return { ...placed, en, id: slugs.claim(en), zh, zhAliases: [], threshold: DEFAULT_THRESHOLD, places: [] };
}

/** Every hand-written rule must name a tag or scene that exists: a typo would silently do nothing. */
function checkRuleKeys(concepts: Set<string>, ram: RamTag[]): void {
  const known = new Set([...concepts, ...ram.map((tag) => tag.en)]);
  const tables: Record<string, string[]> = {
    CATEGORY_OVERRIDES: Object.keys(CATEGORY_OVERRIDES),
    PARENT_OVERRIDES: Object.keys(PARENT_OVERRIDES),
    ZH_OVERRIDES: Object.keys(ZH_OVERRIDES),
    TAG_SENSES: Object.keys(TAG_SENSES),
    UNGROUPED_TAGS: [...UNGROUPED_TAGS],
    'DROPPED_ALIASES.en': Object.keys(DROPPED_ALIASES.en),
    'DROPPED_ALIASES.zh': Object.keys(DROPPED_ALIASES.zh),
  };
  for (const [name, keys] of Object.entries(tables)) {
    const unknown = keys.filter((key) => !known.has(key));
    if (unknown.length) throw new Error(`${name} names tags that are not in the sources: ${unknown.join(', ')}`);
  }
}

const withoutDropped = (aliases: string[], dropped: string[] | undefined) =>
  dropped ? aliases.filter((alias) => !dropped.includes(alias)) : aliases;

/** Aliases without the name itself, duplicates or empties, in first-seen order. */
function uniqueAliases(name: string, candidates: string[], caseInsensitive: boolean): string[] {
  const key = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  const seen = new Set([key(name)]);
  const out: string[] = [];
  for (const raw of candidates) {
    const alias = raw.trim().replace(/_/g, ' ');
    if (!alias || seen.has(key(alias))) continue;
    seen.add(key(alias));
    out.push(alias);
  }
  return out;
}
