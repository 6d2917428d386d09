// Readers for the public source lists in TAXONOMY_SOURCES (see NOTICE); nothing here is copied into
// the project, only what the build derives from them.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedDir } from '../../src/config/projectRoot';

export const sourcesDir = resolve(process.env.TAXONOMY_SOURCES || join(sharedDir, 'taxonomy-sources'));

const lines = (path: string) =>
  readFileSync(join(sourcesDir, path), 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
const DEFAULT_RAM_THRESHOLD = 0.65;

export interface RamTag {
  index: number;
  en: string;
  zh: string;
  threshold: number;
}

/** RAM's three line-aligned lists; the Chinese list carries trailing spaces. */
export function readRamTags(): RamTag[] {
  const en = lines('ram/ram_tag_list.txt');
  const zh = lines('ram/ram_tag_list_chinese.txt');
  const thresholds = lines('ram/ram_tag_list_threshold.txt');
  const tags: RamTag[] = [];
  en.forEach((name, index) => {
    if (!name.trim()) return;
    const threshold = Number.parseFloat(thresholds[index]);
    tags.push({
      index,
      en: name.trim(),
      zh: (zh[index] ?? '').trim(),
      threshold: Number.isFinite(threshold) && threshold > 0 && threshold <= 1 ? threshold : DEFAULT_RAM_THRESHOLD,
    });
  });
  return tags;
}

export interface PlacesScene {
  /** e.g. "/a/apartment_building/outdoor" */
  path: string;
  /** e.g. "apartment building" */
  base: string;
  /** e.g. "outdoor", when the path has one. */
  qualifier?: string;
  indoor: boolean;
}

export function readPlaces365(): PlacesScene[] {
  return lines('places365/IO_places365.txt')
    .filter((l) => l.trim())
    .map((line) => {
      const [path, io] = line.trim().split(/\s+/);
      const [base, qualifier] = path
        .split('/')
        .slice(2)
        .map((part) => part.replace(/_/g, ' '));
      return { path, base, qualifier, indoor: io === '1' };
    });
}

export interface WordNetData {
  /** wnid → lemmas, first one the headword. */
  names: Map<string, string[]>;
  /** [parent, child] edges. */
  edges: [string, string][];
}

export function readWordNet(): WordNetData {
  const names = new Map<string, string[]>();
  for (const line of lines('wordnet/node_names.txt')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    names.set(
      line.slice(0, tab),
      line
        .slice(tab + 1)
        .split(', ')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  }
  const edges: [string, string][] = [];
  for (const line of lines('wordnet/class_hierarchy.txt')) {
    const [parent, child] = line.trim().split(/\s+/);
    if (parent && child) edges.push([parent, child]);
  }
  return { names, edges };
}

/** ImageNet-1k classes as [index, wnid, name], in the classifier's output order. */
export function readImageNetClasses(): [number, string, string][] {
  return JSON.parse(readFileSync(join(sourcesDir, 'wordnet/dataset_class_info.json'), 'utf8'));
}

/** COCO-80 class names in YOLOX's output order (from the shared model folder). */
export function readCocoNames(): string[] {
  const path = resolve(process.env.TAXONOMY_MODELS || join(sourcesDir, '..', 'models'), 'yolox-nano', 'coco.names');
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
