// What `npm run taxonomy:build` writes, made from the public sources in TAXONOMY_SOURCES (default
// ../shared/taxonomy-sources). Same input → the same files; a test holds the committed ones to it.
import type { TaxonomyFile, TaxonomyLabel } from '../../src/taxonomy/labelTypes';
import { assembleLabels, AssemblyStats } from './assemble';
import { layOutEvents } from './eventLayout';
import { withImageNetFineLabels } from './imageNetFineLabels';
import { ClassMapEntry, cocoMap, imageNetMap } from './modelMaps';
import { places365Map } from './places365Map';
import { readCocoNames, readImageNetClasses, readPlaces365, readRamTags, readWordNet } from './sources';
import { WordNetGraph } from './wordnetGraph';

/** Bump on any change to the labels: model maps and embedding caches key on it. */
export const TAXONOMY_VERSION = '1.6.0';
/** Added event and scene labels take RAM's default (neutral) threshold. */
const NEUTRAL_THRESHOLD = 0.65;

/**
 * RAM's per-tag thresholds describe how RAM's own model scores a tag. A label the scene model
 * names (a Places365 class) takes the neutral threshold instead: RAM's high ones (beach and
 * kitchen 0.9) hid right scenes on eval/'s tune split without keeping wrong ones out
 * (docs/label-quality.md).
 */
const withSceneThreshold = (label: TaxonomyLabel): TaxonomyLabel =>
  label.sources?.places365 ? { ...label, threshold: NEUTRAL_THRESHOLD } : label;

// COCO's names as people say them (its list joins some words).
const COCO_SPOKEN: Record<string, string> = {
  pottedplant: 'potted plant',
  diningtable: 'dining table',
  tvmonitor: 'tv monitor',
  aeroplane: 'airplane',
};

/**
 * A COCO class mapped to a label of another name (suitcase → luggage, dining table → table) gives
 * that label the class's name as an alias, so the detector's everyday names find its labels.
 */
function withCocoNames(labels: TaxonomyLabel[], coco: ClassMapEntry[]): void {
  const byId = new Map(labels.map((label) => [label.id, label]));
  for (const entry of coco) {
    const label = entry.labelId === null ? undefined : byId.get(entry.labelId);
    if (!label) continue;
    const name = COCO_SPOKEN[entry.name] ?? entry.name;
    const known = [label.en, ...label.aliasesEn].map((n) => n.toLowerCase());
    if (!known.includes(name.toLowerCase())) label.aliasesEn = [...label.aliasesEn, name];
  }
}

export interface TaxonomyFiles {
  /** Path in the project → content. */
  files: Record<string, unknown>;
  taxonomy: TaxonomyFile;
  imagenet: ClassMapEntry[];
  stats: AssemblyStats;
}

export function buildTaxonomyFiles(): TaxonomyFiles {
  const wordnet = new WordNetGraph(readWordNet());
  const places = readPlaces365();
  const assembled = assembleLabels(readRamTags(), places, wordnet);
  const { stats } = assembled;
  const labels = withImageNetFineLabels(layOutEvents(assembled.labels, NEUTRAL_THRESHOLD).map(withSceneThreshold), NEUTRAL_THRESHOLD);
  const taxonomy: TaxonomyFile = {
    version: TAXONOMY_VERSION,
    generatedFrom: {
      ram: 'xinyu1205/recognize-anything ram/data (ram_tag_list*.txt), Apache-2.0',
      wordnet: 'WordNet 3.0 noun hierarchy as in MadryLab/BREEDS-Benchmarks (Princeton WordNet licence)',
      places365: 'CSAILVision/places365 (IO_places365.txt), MIT / CC BY',
      script: 'scripts/taxonomy/buildTaxonomy.ts',
    },
    labels,
  };
  const coco = cocoMap(readCocoNames(), labels);
  withCocoNames(labels, coco);
  const imagenet = imageNetMap(readImageNetClasses(), labels, wordnet);
  return {
    files: {
      'data/taxonomy/taxonomy.json': taxonomy,
      'data/model-maps/imagenet-1k.json': { taxonomyVersion: TAXONOMY_VERSION, classes: imagenet },
      'data/model-maps/coco-80.json': { taxonomyVersion: TAXONOMY_VERSION, classes: coco },
      'data/model-maps/places365.json': { taxonomyVersion: TAXONOMY_VERSION, ...places365Map(places, labels) },
    },
    taxonomy,
    imagenet,
    stats,
  };
}

/** A file as the build writes it. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`;
