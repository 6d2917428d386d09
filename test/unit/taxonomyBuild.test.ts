import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTaxonomyFiles, jsonText } from '../../scripts/taxonomy/taxonomyFiles';
import { projectRoot } from '../../src/config/projectRoot';

// The committed taxonomy is data made by a script: a rule changed without a rebuild (or data edited
// by hand) would ship labels that no build makes.
it('commits exactly what `npm run taxonomy:build` makes from the sources', () => {
  const { files } = buildTaxonomyFiles();
  const stale = Object.entries(files)
    .filter(([path, value]) => readFileSync(join(projectRoot, path), 'utf8') !== jsonText(value))
    .map(([path]) => path);
  if (stale.length)
    throw new Error(`${stale.join(', ')} differ from what the build makes: run \`npm run taxonomy:build\` and commit the result.`);
  expect(Object.keys(files)).toHaveLength(4);
}, 60_000);
