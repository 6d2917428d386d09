// What `npm run taxonomy:build` writes, made from the public sources in TAXONOMY_SOURCES (default
// ../shared/taxonomy-sources). Same input → the same files; a test holds the committed ones to it.
import type { TaxonomyFile } from '../../src/taxonomy/labelTypes';
import { assembleLabels, AssemblyStats } from './assemble';
import { ClassMapEntry, cocoMap, imageNetMap } from './modelMaps';
import { places365Map } from './places365Map';
import { readCocoNames, readImageNetClasses, readPlaces365, readRamTags, readWordNet } from './sources';
import { WordNetGraph } from './wordnetGraph';

/** Bump on any change to the labels: model maps and embedding caches key on it. */
export const TAXONOMY_VERSION = '1.4.0';

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
  const { labels, stats } = assembleLabels(readRamTags(), places, wordnet);
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
  const imagenet = imageNetMap(readImageNetClasses(), labels, wordnet);
  return {
    files: {
      'data/taxonomy/taxonomy.json': taxonomy,
      'data/model-maps/imagenet-1k.json': { taxonomyVersion: TAXONOMY_VERSION, classes: imagenet },
      'data/model-maps/coco-80.json': { taxonomyVersion: TAXONOMY_VERSION, classes: cocoMap(readCocoNames(), labels) },
      'data/model-maps/places365.json': { taxonomyVersion: TAXONOMY_VERSION, ...places365Map(places, labels) },
    },
    taxonomy,
    imagenet,
    stats,
  };
}

/** A file as the build writes it. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`;
