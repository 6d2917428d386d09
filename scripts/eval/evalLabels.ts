// `npm run eval:labels [-- --split test|tune|all --json FILE]`: runs detection in-process on the
// labeled photos under eval/ and prints hit rates per group and per kind of truth.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/env';
import { projectRoot } from '../../src/config/projectRoot';
import { loadDetectionEngine } from '../../src/detection/detectionSetup';
import { MAX_MAX_LABELS } from '../../src/detection/labelDetector';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { EvalPhoto, readEvalManifests } from './evalManifest';
import { GroupFigures, groupFigures, kindFigures, PhotoOutcome } from './labelQuality';
import { TruthMatcher } from './truthMatcher';

/** The threshold a project gets by default (DEFAULT_PROJECT_THRESHOLD). */
const DEFAULT_THRESHOLD = 0.5;
const pct = (value: number) => (Number.isNaN(value) ? '—' : `${(value * 100).toFixed(1)}%`);

function printGroups(rows: [string, GroupFigures][]): void {
  console.log('| group | photos | hit@1 | hit@5 | any rank | first specific | hit @0.5 | no label @0.5 | top right @0.5 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, f] of rows) {
    console.log(
      `| ${name} | ${f.photos} | ${pct(f.hitAt1)} | ${pct(f.hitAt5)} | ${pct(f.hitAnyRank)} | ${pct(f.firstSpecificRight)} | ${pct(f.hitAtDefault)} | ${pct(f.noLabelAtDefault)} | ${pct(f.topRightAtDefault)} |`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { split: { type: 'string', default: 'all' }, json: { type: 'string' } } });
  const evalDir = join(projectRoot, 'eval');
  const photos = readEvalManifests(evalDir).filter((p) => values.split === 'all' || p.split === values.split);
  const taxonomy = loadTaxonomy();
  const engine = await loadDetectionEngine(loadConfig(), taxonomy);
  const outcomes: PhotoOutcome[] = [];
  try {
    for (const photo of photos) {
      const data = readFileSync(photo.file);
      const ids = async (threshold: number, maxLabels?: number) =>
        (await engine.detector.detect(data, { threshold, maxLabels, language: 'en' })).labels.map((label) => label.labelId);
      outcomes.push({ photo, all: await ids(0, MAX_MAX_LABELS), atDefault: await ids(DEFAULT_THRESHOLD) });
    }
  } finally {
    await engine.close();
  }

  const matcher = new TruthMatcher(taxonomy);
  const of = (test: (p: EvalPhoto) => boolean) => outcomes.filter((o) => test(o.photo));
  const groups = [...new Set(photos.map((p) => p.group))].sort();
  const rows: [string, GroupFigures][] = [
    ...groups.map((group): [string, GroupFigures] => [
      group,
      groupFigures(
        of((p) => p.group === group),
        matcher,
        taxonomy,
      ),
    ]),
    [
      'grayscale',
      groupFigures(
        of((p) => p.grayscale),
        matcher,
        taxonomy,
      ),
    ],
    ['all', groupFigures(outcomes, matcher, taxonomy)],
  ];
  console.log(
    `Labelgate label quality: ${photos.length} photos (split: ${values.split}), models ${engine.detector.modelVersion}, taxonomy ${taxonomy.version}\n`,
  );
  printGroups(rows);
  const kinds = kindFigures(outcomes, matcher);
  console.log('\n| truth kind | truths | found @0.5 | in top 5 | any rank |\n|---|---:|---:|---:|---:|');
  for (const [kind, f] of Object.entries(kinds))
    console.log(`| ${kind} | ${f.truths} | ${pct(f.foundAtDefault)} | ${pct(f.foundInTop5)} | ${pct(f.foundAnyRank)} |`);
  if (matcher.unresolved.size)
    console.log(`\nTruth names no label has (they count as misses): ${[...matcher.unresolved].sort().join(', ')}`);
  if (values.json)
    writeFileSync(
      values.json,
      JSON.stringify(
        {
          split: values.split,
          groups: Object.fromEntries(rows),
          kinds,
          outcomes: outcomes.map((o) => ({ id: o.photo.id, all: o.all.slice(0, 10), atDefault: o.atDefault })),
        },
        null,
        2,
      ),
    );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
