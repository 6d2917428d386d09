// `npm run eval:labels [-- --split test|tune|all --json FILE --misses]`: runs detection in-process on
// the labeled photos under eval/ and prints hit rates per group and per kind of truth. --misses (tune
// split only: the test split's photos are never read one by one) lists each missed truth and why.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/env';
import { projectRoot } from '../../src/config/projectRoot';
import { loadDetectionEngine } from '../../src/detection/detectionSetup';
import { MAX_MAX_LABELS } from '../../src/detection/labelDetector';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { EvalPhoto, readEvalManifests } from './evalManifest';
import { GroupFigures, groupFigures, kindFigures } from './labelQuality';
import { MISS_KINDS, missCounts, missesOf, reliability, ScoredOutcome } from './missReport';
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

function printMisses(outcomes: ScoredOutcome[], matcher: TruthMatcher): void {
  const misses = missesOf(outcomes, matcher);
  console.log(`\n| truth kind | missed @0.5 | ${MISS_KINDS.join(' | ')} |\n|---|---:|${MISS_KINDS.map(() => '---:').join('|')}|`);
  for (const [kind, row] of missCounts(misses))
    console.log(`| ${kind} | ${[...row.values()].reduce((a, b) => a + b, 0)} | ${MISS_KINDS.map((k) => row.get(k) ?? 0).join(' | ')} |`);
  const right = (id: string, o: ScoredOutcome) => o.photo.truths.some((truth) => matcher.hits(id, truth));
  console.log('\nReliability of the first three labels listed (share answering a truth, per confidence band):\n');
  console.log('| confidence | labels | right |\n|---|---:|---:|');
  for (const r of reliability(outcomes, right, [0, 0.2, 0.35, 0.5, 0.7, 0.9, 1]))
    console.log(`| ${r.from}–${r.to} | ${r.labels} | ${pct(r.right / r.labels)} |`);
  console.log('\nMisses (photo, kind, truth, why; the first five labels with their confidences):\n');
  const byId = new Map(outcomes.map((o) => [o.photo.id, o]));
  for (const miss of misses) {
    const o = byId.get(miss.photoId)!;
    const where = miss.rank ? ` (rank ${miss.rank}, ${miss.confidence?.toFixed(2)})` : '';
    const top = o.all
      .slice(0, 5)
      .map((id, i) => `${id} ${o.confidences[i].toFixed(2)}`)
      .join(', ');
    console.log(`${miss.photoId} ${miss.truth.kind}:${miss.truth.names.join('|')} — ${miss.kind}${where} — ${top}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { split: { type: 'string', default: 'all' }, json: { type: 'string' }, misses: { type: 'boolean', default: false } },
  });
  if (values.misses && values.split !== 'tune') throw new Error('--misses reads photos one by one: only with --split tune');
  const evalDir = join(projectRoot, 'eval');
  const photos = readEvalManifests(evalDir).filter((p) => values.split === 'all' || p.split === values.split);
  const taxonomy = loadTaxonomy();
  const engine = await loadDetectionEngine(loadConfig(), taxonomy);
  const outcomes: ScoredOutcome[] = [];
  try {
    for (const photo of photos) {
      const data = readFileSync(photo.file);
      const labels = async (threshold: number, maxLabels?: number) =>
        (await engine.detector.detect(data, { threshold, maxLabels, language: 'en' })).labels;
      const all = await labels(0, MAX_MAX_LABELS);
      outcomes.push({
        photo,
        all: all.map((label) => label.labelId),
        confidences: all.map((label) => label.labelConfidence),
        atDefault: (await labels(DEFAULT_THRESHOLD)).map((label) => label.labelId),
      });
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
  if (values.misses) printMisses(outcomes, matcher);
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
