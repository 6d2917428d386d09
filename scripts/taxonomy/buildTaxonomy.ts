// Builds data/taxonomy/taxonomy.json and the model class maps (taxonomyFiles.ts) and writes them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import { sourcesDir } from './sources';
import { buildTaxonomyFiles, jsonText } from './taxonomyFiles';

function main() {
  console.log(`reading sources from ${sourcesDir}`);
  const { files, taxonomy, imagenet, stats } = buildTaxonomyFiles();
  for (const [relativePath, value] of Object.entries(files)) {
    const path = join(projectRoot, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, jsonText(value));
    console.log(`${relativePath} written`);
  }
  const { labels } = taxonomy;
  const levels = [1, 2, 3].map((level) => labels.filter((l) => l.level === level).length);
  console.log(`${labels.length} labels (levels 1/2/3: ${levels.join('/')}), ${stats.groups} groups`);
  console.log(`placement: ${JSON.stringify(stats.methods)}`);
  console.log(`imagenet classes without a label: ${imagenet.filter((c) => !c.labelId).length}`);
}

if (require.main === module) main();
