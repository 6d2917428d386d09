// Builds data/taxonomy/taxonomy.json and the model class maps from the public sources in
// TAXONOMY_SOURCES (default ../shared/taxonomy-sources). Same input → byte-identical output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import type { TaxonomyFile } from '../../src/taxonomy/labelTypes';
import { assembleLabels } from './assemble';
import { cocoMap, imageNetMap } from './modelMaps';
import { readCocoNames, readImageNetClasses, readPlaces365, readRamTags, readWordNet, sourcesDir } from './sources';
import { WordNetGraph } from './wordnetGraph';

/** Bump on any change to the labels: model maps and embedding caches key on it. */
export const TAXONOMY_VERSION = '1.2.0';

function writeJson(relativePath: string, value: unknown) {
  const path = join(projectRoot, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 1)}\n`);
  console.log(`${relativePath} written`);
}

function main() {
  console.log(`reading sources from ${sourcesDir}`);
  const ram = readRamTags();
  const places = readPlaces365();
  const wordnet = new WordNetGraph(readWordNet());
  const { labels, stats } = assembleLabels(ram, places, wordnet);

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
  writeJson('data/taxonomy/taxonomy.json', taxonomy);

  const imagenet = imageNetMap(readImageNetClasses(), labels, wordnet);
  writeJson('data/model-maps/imagenet-1k.json', { taxonomyVersion: TAXONOMY_VERSION, classes: imagenet });
  writeJson('data/model-maps/coco-80.json', { taxonomyVersion: TAXONOMY_VERSION, classes: cocoMap(readCocoNames(), labels) });

  const levels = [1, 2, 3].map((level) => labels.filter((l) => l.level === level).length);
  console.log(`${labels.length} labels (levels 1/2/3: ${levels.join('/')}), ${stats.groups} groups`);
  console.log(`placement: ${JSON.stringify(stats.methods)}`);
  console.log(`imagenet classes without a label: ${imagenet.filter((c) => !c.labelId).length}`);
}

main();
