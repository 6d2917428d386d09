// `npm run eval:calibrate`: fits one calibration curve per source of evidence (each model pack, the
// inference rules) on the tune split of eval/ and writes data/calibration/source-calibration.json.
// Never reads the test split: `npm run eval:labels -- --split test` stays a held-out measurement of
// whether the curves help (keep the file only if they do). `--sources a,b` fits only those sources.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config/env';
import { projectRoot } from '../../src/config/projectRoot';
import { loadDetectionEngine } from '../../src/detection/detectionSetup';
import { calibrate, CalibrationCurve, CalibrationFile, logit, SOURCE_CALIBRATION_PATH } from '../../src/detection/sourceCalibration';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { readEvalManifests } from './evalManifest';
import { fitLogistic, LogisticSample } from './logisticFit';
import { TruthMatcher } from './truthMatcher';

/** Evidence below this says "not this" in every source; thresholds never reach it. */
const MIN_CONFIDENCE = 0.05;
/** Pull towards "keep the source's scale" (slope 1, no shift), in samples' worth of evidence. */
const PRIOR_STRENGTH = 4;
/** How many of each source's strongest labels per photo the fit reads. */
const TOP_PER_SOURCE = Number(process.env.TOP_PER_SOURCE ?? 3);

interface Observation {
  p: number;
  grayscale: boolean;
  lowResolution: boolean;
  right: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sources: { type: 'string' } } });
  const only = values.sources?.split(',').map((name) => name.trim());
  const photos = readEvalManifests(join(projectRoot, 'eval')).filter((p) => p.split === 'tune');
  const taxonomy = loadTaxonomy();
  const matcher = new TruthMatcher(taxonomy);
  const engine = await loadDetectionEngine(loadConfig(), taxonomy);
  const bySource = new Map<string, Observation[]>();
  let conditionAgrees = 0;
  try {
    for (const photo of photos) {
      const { sources, condition } = await engine.detector.observe(readFileSync(photo.file));
      if (condition.grayscale === photo.grayscale) conditionAgrees++;
      const truthIds = new Set(photo.truths.flatMap((truth) => [...matcher.idsOf(truth)]));
      // Right: it answers a truth (a husky for "dog") or a truth lies below it ("animal" for a dog).
      const right = (id: string) =>
        photo.truths.some((truth) => matcher.hits(id, truth)) || [...truthIds].some((t) => taxonomy.ancestors(t).some((a) => a.id === id));
      for (const { source, evidence } of sources) {
        const list = bySource.get(source) ?? [];
        bySource.set(source, list);
        // A source's strongest few labels: what a person writing the truth names too. Level-1
        // categories (indoor, outdoor) and the fifth chair of a room are rarely written down, so a
        // miss there says little about the label.
        const strongest = evidence
          .filter((e) => e.confidence >= MIN_CONFIDENCE && (taxonomy.get(e.labelId)?.level ?? 1) > 1)
          .sort((a, b) => b.confidence - a.confidence)
          .slice(0, TOP_PER_SOURCE);
        for (const e of strongest) {
          list.push({ p: e.confidence, grayscale: condition.grayscale, lowResolution: condition.lowResolution, right: right(e.labelId) });
        }
      }
    }
  } finally {
    await engine.close();
  }

  const sources: Record<string, CalibrationCurve> = {};
  for (const [source, observations] of bySource) {
    if (only && !only.includes(source)) continue;
    const samples: LogisticSample[] = observations.map((o) => ({
      features: [logit(o.p), 1, o.grayscale ? 1 : 0, o.lowResolution ? 1 : 0],
      outcome: o.right ? 1 : 0,
    }));
    const [slope, intercept, grayscale, lowResolution] = fitLogistic(samples, [1, 0, 0, 0], PRIOR_STRENGTH);
    const right = observations.filter((o) => o.right).length;
    sources[source] = {
      slope: Math.max(0.05, slope),
      intercept,
      grayscale,
      lowResolution,
      fittedOn: { right, wrong: observations.length - right },
    };
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const rounded = Object.fromEntries(
    Object.entries(sources).map(([name, c]) => [
      name,
      { ...c, slope: round(c.slope), intercept: round(c.intercept), grayscale: round(c.grayscale), lowResolution: round(c.lowResolution) },
    ]),
  );
  const file: CalibrationFile = {
    // A refit that changes a curve is a new version (it changes labels: tasks relabel).
    version: `${new Date().toISOString().slice(0, 10)}.${createHash('sha256').update(JSON.stringify(rounded)).digest('hex').slice(0, 8)}`,
    $comment: `Fitted by npm run eval:calibrate on the ${photos.length} photos of the tune split of eval/ (labels of level 2 and below at confidence ${MIN_CONFIDENCE} or more; right = answers a truth or lies above one). Refit after changing a pack, the taxonomy or the rules.`,
    sources: rounded,
  };
  mkdirSync(dirname(SOURCE_CALIBRATION_PATH), { recursive: true });
  writeFileSync(SOURCE_CALIBRATION_PATH, `${JSON.stringify(file, null, 2)}\n`);

  console.log(`Fitted on ${photos.length} tune photos; the grayscale detector agrees with the manifest on ${conditionAgrees}.\n`);
  console.log('| source | confidence | labels | right | mean calibrated |\n|---|---|---:|---:|---:|');
  const bins = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7, 0.9, 1.01];
  for (const [source, observations] of bySource) {
    if (!file.sources[source]) continue;
    for (let b = 0; b + 1 < bins.length; b++) {
      const inBin = observations.filter((o) => o.p >= bins[b] && o.p < bins[b + 1]);
      if (!inBin.length) continue;
      const mean = inBin.reduce((sum, o) => sum + calibrate(o.p, file.sources[source], o), 0) / inBin.length;
      console.log(
        `| ${source} | ${bins[b]}–${Math.min(1, bins[b + 1])} | ${inBin.length} | ${((100 * inBin.filter((o) => o.right).length) / inBin.length).toFixed(1)}% | ${(100 * mean).toFixed(1)}% |`,
      );
    }
  }
  console.log(`\nWrote ${SOURCE_CALIBRATION_PATH}: ${JSON.stringify(file.sources)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
