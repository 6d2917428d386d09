// The shape of data/taxonomy/taxonomy.json, shared by the build script and the runtime loader.

export type LabelLevel = 1 | 2 | 3;

export interface LabelSources {
  /** Line index in RAM's ram_tag_list.txt. */
  ram?: number;
  /** Places365 category paths, e.g. "/k/kitchen". */
  places365?: string[];
  /** ImageNet-1k class indices a label was added for (scripts/taxonomy/imageNetFineLabels.ts). */
  imagenet?: number[];
}

export interface TaxonomyLabel {
  /** Lowercase ASCII slug of the English name; stable across rebuilds. */
  id: string;
  en: string;
  zhHans: string;
  level: LabelLevel;
  /** null only for level-1 categories. */
  parentId: string | null;
  aliasesEn: string[];
  aliasesZhHans: string[];
  /** Decision threshold (0..1]; RAM's per-tag value, 0.65 by default. */
  threshold: number;
  /** The WordNet synset this label stands for, when one was matched. */
  wnid?: string;
  sources?: LabelSources;
}

export interface TaxonomyFile {
  version: string;
  generatedFrom: Record<string, string>;
  labels: TaxonomyLabel[];
}
