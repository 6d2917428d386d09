// `npm run bench:pack-cost [-- pack,pack extra-pack]` (names in the shared models folder, or paths):
// the CPU one more pack costs per image. Two
// detectors are loaded, the base packs with and without the extra one (by default the shared
// ImageNet + COCO packs, and the Places365 scene pack), and detect the shared photos alternately,
// image by image, so that a noisy moment of the machine hits both alike. CPU is the process's (the
// event loop, sharp's pool and every model thread), which is what an image costs the machine; no
// database or search index is touched.
import './productionMode';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/env';
import { sharedDir } from '../../src/config/projectRoot';
import { loadDetectionEngine } from '../../src/detection/detectionSetup';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const packDir = (name: string) => (name.includes('/') ? resolve(name) : join(sharedDir, 'models', name));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

async function main(): Promise<void> {
  const [base = 'mobilenetv2-12-int8,yolox-nano', extra = 'squeezenet-places365'] = process.argv.slice(2);
  const baseDirs = base.split(',').map(packDir);
  const without = await loadDetectionEngine(loadConfig({ ...process.env, MODEL_DIR: baseDirs.join(',') }));
  const withExtra = await loadDetectionEngine(loadConfig({ ...process.env, MODEL_DIR: [...baseDirs, packDir(extra)].join(',') }));
  const photos = ['darknet', 'photos'].flatMap((folder) =>
    readdirSync(join(sharedDir, 'images', folder))
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .map((f) => readFileSync(join(sharedDir, 'images', folder, f))),
  );
  const request = { threshold: 0.5, language: 'en' as const };

  const measure = async (engine: typeof without, photo: Buffer) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await engine.detector.detect(photo, request);
    const used = process.cpuUsage(cpu);
    return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - started };
  };
  for (const photo of photos) {
    await measure(without, photo);
    await measure(withExtra, photo);
  }
  const runs = { without: [] as { cpuMs: number; wallMs: number }[], with: [] as { cpuMs: number; wallMs: number }[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, photo] of photos.entries()) {
      // Which goes first alternates too: the second reads a photo the first just brought into cache.
      const first = (round + i) % 2 === 0;
      if (first) runs.without.push(await measure(without, photo));
      runs.with.push(await measure(withExtra, photo));
      if (!first) runs.without.push(await measure(without, photo));
    }
  }
  const extraRecognizer = withExtra.detector.recognizers.at(-1)!;
  const graphMsPerImage = extraRecognizer.graphMs / (photos.length * (ROUNDS + 1));
  const row = (name: string, values: { cpuMs: number; wallMs: number }[]) =>
    `${name.padEnd(36)} CPU ms/image mean ${mean(values.map((v) => v.cpuMs)).toFixed(1)}, median ${median(values.map((v) => v.cpuMs)).toFixed(1)}; wall median ${median(values.map((v) => v.wallMs)).toFixed(1)}`;
  console.log(`${photos.length} photos × ${ROUNDS} rounds, alternating`);
  console.log(row(base, runs.without));
  console.log(row(`${base}+${extra}`, runs.with));
  const extraCpu = mean(runs.with.map((v) => v.cpuMs)) - mean(runs.without.map((v) => v.cpuMs));
  console.log(
    `${extra}: +${extraCpu.toFixed(1)} ms CPU per image (mean), its graph ${graphMsPerImage.toFixed(1)} ms wall per image on its thread`,
  );
  await Promise.all([without.close(), withExtra.close()]);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
