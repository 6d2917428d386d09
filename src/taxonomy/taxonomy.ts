import { LabelLanguage } from '../vocabulary';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/projectRoot';
import type { TaxonomyFile, TaxonomyLabel } from './labelTypes';

export type { TaxonomyLabel } from './labelTypes';

export const TAXONOMY_PATH = join(projectRoot, 'data', 'taxonomy', 'taxonomy.json');

export interface LabelQuery {
  level?: number | null;
  parentId?: string | null;
}

/**
 * The bilingual label vocabulary (data/taxonomy/taxonomy.json, built by scripts/taxonomy): loaded
 * once, with every lookup backed by a map built at load time.
 */
export class Taxonomy {
  readonly version: string;
  private readonly labels: TaxonomyLabel[];
  private readonly byId = new Map<string, TaxonomyLabel>();
  private readonly childrenOf = new Map<string, TaxonomyLabel[]>();
  private readonly ancestorsOf = new Map<string, TaxonomyLabel[]>();
  // Exact names first, then aliases: "机场" is airport's name before it is air field's alias.
  private readonly namesByLanguage: Record<LabelLanguage, Map<string, TaxonomyLabel>> = { en: new Map(), 'zh-Hans': new Map() };
  private readonly aliasesByLanguage: Record<LabelLanguage, Map<string, TaxonomyLabel>> = { en: new Map(), 'zh-Hans': new Map() };
  // Every label of a name: 214 Chinese names belong to two labels or more (飞行员: airman, pilot).
  private readonly allByName = new Map<string, TaxonomyLabel[]>();

  constructor(file: TaxonomyFile) {
    this.version = file.version;
    this.labels = file.labels;
    for (const label of file.labels) {
      if (this.byId.has(label.id)) throw new Error(`taxonomy ${file.version}: duplicate label id ${label.id}`);
      this.byId.set(label.id, label);
    }
    for (const label of file.labels) {
      if (label.parentId !== null) {
        if (!this.byId.has(label.parentId)) throw new Error(`taxonomy ${file.version}: ${label.id} has unknown parent ${label.parentId}`);
        const siblings = this.childrenOf.get(label.parentId) ?? [];
        siblings.push(label);
        this.childrenOf.set(label.parentId, siblings);
      }
      this.ancestorsOf.set(label.id, this.walkUp(label));
    }
    // Every caller shares these lists: frozen, so that a caller's .reverse() or .sort() cannot
    // silently corrupt the hierarchy for everyone else (it throws instead).
    for (const list of [this.labels, ...this.childrenOf.values(), ...this.ancestorsOf.values()]) Object.freeze(list);
    for (const label of this.labels) Object.freeze(label);
    // Lower levels win a shared name: a category or group is the likelier meaning.
    const byLevel = [...file.labels].sort((a, b) => a.level - b.level);
    for (const label of byLevel) {
      addOnce(this.namesByLanguage.en, nameKey(label.en, 'en'), label);
      addOnce(this.namesByLanguage['zh-Hans'], nameKey(label.zhHans, 'zh-Hans'), label);
      for (const alias of label.aliasesEn) addOnce(this.aliasesByLanguage.en, nameKey(alias, 'en'), label);
      for (const alias of label.aliasesZhHans) addOnce(this.aliasesByLanguage['zh-Hans'], nameKey(alias, 'zh-Hans'), label);
      for (const key of new Set([nameKey(label.en, 'en'), nameKey(label.zhHans, 'zh-Hans')])) addTo(this.allByName, key, label);
    }
  }

  get size(): number {
    return this.labels.length;
  }

  get(id: string): TaxonomyLabel | undefined {
    return this.byId.get(id);
  }

  /** Exact match on a name or alias (English case-insensitively); either language when none is given. */
  findByName(name: string, language?: LabelLanguage): TaxonomyLabel | undefined {
    const languages: LabelLanguage[] = language ? [language] : ['zh-Hans', 'en'];
    for (const index of [this.namesByLanguage, this.aliasesByLanguage]) {
      for (const lang of languages) {
        const found = index[lang].get(nameKey(name, lang));
        if (found) return found;
      }
    }
    return undefined;
  }

  /**
   * Every label with this name (English case-insensitively, either language): the labels a user
   * means by a name several share (飞行员: airman and pilot). When no label has the name, the one
   * findByName gives for it as an alias: aliases are looser (dish is an alias of food, of dish
   * antenna and of dishes), and a search by one should not reach all of them.
   */
  findAllByName(name: string): readonly TaxonomyLabel[] {
    const found = this.allByName.get(nameKey(name, 'en')) ?? this.allByName.get(nameKey(name, 'zh-Hans'));
    if (found) return found;
    const byAlias = this.findByName(name);
    return byAlias ? [byAlias] : [];
  }

  children(id: string): readonly TaxonomyLabel[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** Parent, grandparent, ... nearest first. */
  ancestors(id: string): readonly TaxonomyLabel[] {
    return this.ancestorsOf.get(id) ?? [];
  }

  /** The level-1 categories. */
  categories(): readonly TaxonomyLabel[] {
    return this.list({ level: 1 });
  }

  /** Labels in file order (categories first, then by id), optionally of one level and/or parent. */
  list(query: LabelQuery = {}): readonly TaxonomyLabel[] {
    const { level, parentId } = query;
    const pool = parentId !== undefined && parentId !== null ? this.children(parentId) : this.labels;
    return level === undefined || level === null ? pool : pool.filter((l) => l.level === level);
  }

  displayName(label: TaxonomyLabel, language: LabelLanguage): string {
    return language === 'en' ? label.en : label.zhHans;
  }

  aliases(label: TaxonomyLabel, language: LabelLanguage): string[] {
    return language === 'en' ? label.aliasesEn : label.aliasesZhHans;
  }

  private walkUp(label: TaxonomyLabel): TaxonomyLabel[] {
    const out: TaxonomyLabel[] = [];
    const seen = new Set([label.id]);
    for (let parentId = label.parentId; parentId !== null;) {
      if (seen.has(parentId)) throw new Error(`taxonomy ${this.version}: cycle through ${parentId}`);
      seen.add(parentId);
      const parent = this.byId.get(parentId)!;
      out.push(parent);
      parentId = parent.parentId;
    }
    return out;
  }
}

// NFKC: full-width letters (ｄｏｇ, as Chinese input methods type them) are the ordinary ones. In
// English, hyphens and apostrophes are spelt every way ("ping pong", "Ping-Pong", "jack-o-lantern"
// for jack-o'-lantern): a name means the same without them.
const englishKey = (name: string) =>
  name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[-‐‑–_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const nameKey = (name: string, language: LabelLanguage) => (language === 'en' ? englishKey(name) : name.normalize('NFKC').trim());

function addTo(map: Map<string, TaxonomyLabel[]>, key: string, label: TaxonomyLabel) {
  if (!key) return;
  const list = map.get(key);
  if (!list) map.set(key, [label]);
  else if (!list.includes(label)) list.push(label);
}

function addOnce(map: Map<string, TaxonomyLabel>, key: string, label: TaxonomyLabel) {
  if (key && !map.has(key)) map.set(key, label);
}

let loaded: Taxonomy | undefined;

/** The committed taxonomy, read once per process (pass a path to read another file). */
export function loadTaxonomy(path: string = TAXONOMY_PATH): Taxonomy {
  if (path !== TAXONOMY_PATH) return new Taxonomy(JSON.parse(readFileSync(path, 'utf8')) as TaxonomyFile);
  loaded ??= new Taxonomy(JSON.parse(readFileSync(path, 'utf8')) as TaxonomyFile);
  return loaded;
}
