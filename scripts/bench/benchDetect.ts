// `npm run bench:detect`: bare inference vs end-to-end detection per image, throughput at
// concurrency 1, 4 and 8, and detectImageLabels through GraphQL with storage and indexing, all
// measured in one run on the shared photos (ratios, not absolutes, are what to compare: the
// machine is shared and noisy). Needs the services (npm run services -- up), which the npm script starts.
import './productionMode';
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/env';
import { projectRoot, sharedDir } from '../../src/config/projectRoot';
import { loadDetectionEngine } from '../../src/detection/detectionSetup';
import { decodeImage } from '../../src/detection/imageDecoder';
import { startLabelgate } from '../../src/app';
import { generateAdminKey } from '../../src/auth/apiKeySecret';
import { createLogger } from '../../src/logger';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const imageDir = resolve(process.env.BENCH_IMAGES ?? join(sharedDir, 'images', 'photos'));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs `total` calls, `concurrency` at a time; returns the seconds they took. */
async function saturate(concurrency: number, total: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const engine = await loadDetectionEngine(config);
  const { detector } = engine;
  const files = readdirSync(imageDir)
    .filter((f) => /\.(jpe?g|png|webp|gif|tiff?)$/i.test(f))
    .sort();
  const images = files.map((f) => readFileSync(join(imageDir, f)));
  const request = { threshold: 0.5, language: 'en' as const };

  // Warm up every path once (first runs allocate).
  for (const image of images) await detector.detect(image, request);

  // 1. Bare inference: the models' graphs alone, one after the other, timed on their threads
  // (without preparing their inputs there, or crossing threads). 2. End to end, one request at a
  // time: decode + preprocess + infer + post-process. The two alternate image by image, so that a
  // noisy moment of the machine hits both alike (measured one after the other, their ratio moved
  // between 1.11× and 1.41× from run to run here).
  const decoded = await Promise.all(images.map((image) => decodeImage(image)));
  const bare: number[] = [];
  const endToEnd: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, image] of images.entries()) {
      let total = 0;
      for (const recognizer of detector.recognizers) {
        const before = recognizer.graphMs;
        await recognizer.run(await recognizer.prepare([decoded[i]]));
        total += recognizer.graphMs - before;
      }
      bare.push(total);
      const started = performance.now();
      await detector.detect(image, request);
      endToEnd.push(performance.now() - started);
    }
  }

  // 3. Throughput with C requests in flight, and how long the event loop (which also serves HTTP
  // and search) stalls meanwhile: the models must not hold it while they run.
  // CPU per image is the process's CPU time (every thread: decoding, the models' threads, the
  // event loop) over the images of the saturated run.
  const throughput: Record<string, number> = {};
  const eventLoopStallMs: Record<string, { p99: number; max: number }> = {};
  let cpuMsPerImage = 0;
  const total = images.length * ROUNDS * 2;
  for (const concurrency of [1, 4, 8]) {
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const cpuBefore = process.cpuUsage();
    const seconds = await saturate(concurrency, total, (i) => detector.detect(images[i % images.length], request));
    const cpu = process.cpuUsage(cpuBefore);
    throughput[`c${concurrency}`] = total / seconds;
    if (concurrency === 8) cpuMsPerImage = (cpu.user + cpu.system) / 1000 / total;
    stalls.disable();
    eventLoopStallMs[`c${concurrency}`] = { p99: stalls.percentile(99) / 1e6, max: stalls.max / 1e6 };
  }
  // The bare models saturated the same way: decoded images, every model's run side by side, no
  // assembly, placement, rules or naming. The pipeline's saturated throughput is judged against it.
  const bareSeconds = await saturate(8, total, async (i) => {
    const image = decoded[i % decoded.length];
    await Promise.all(detector.recognizers.map(async (recognizer) => recognizer.run(await recognizer.prepare([image]))));
  });
  const bareImagesPerSecond = total / bareSeconds;

  // 4. Through GraphQL with persistence and indexing: detectImageLabels over HTTP, one at a time,
  // against in-process detection by the gateway's own detector, alternated image by image (timed
  // in separate phases, their ratio followed whatever else the shared machine was doing at each
  // moment). After each pair the bench waits until the outbox relay has indexed the image: the
  // index is written after the answer, by design, and each timing then sees a quiet process.
  // Its index is its own: documents relayed into bench:search's index made that bench load its
  // million documents again (their count no longer matched).
  await engine.close();
  const adminKey = generateAdminKey();
  const gateway = await startLabelgate(
    {
      ...config,
      PORT: 0,
      HOST: '127.0.0.1',
      FILE_ROOTS: imageDir,
      ES_INDEX_PREFIX: 'labelgate-bench-detect',
      ADMIN_API_KEY: adminKey,
      RATE_LIMIT_PROJECT_QPS: 1e6,
    },
    createLogger('silent'),
  );
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` };
    const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (body.errors) throw new Error(body.errors[0].message);
    return body;
  };
  const indexed = async () => {
    const deadline = Date.now() + 30_000;
    while ((await gateway.relay.pending()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const project = `bench-detect-${Date.now().toString(36)}`;
  await gql('mutation($n: String!, $r: String!) { createProject(input: { name: $n, sources: { fileRoots: [$r] } }) { name } }', {
    n: project,
    r: imageDir,
  });
  const detectMutation =
    'mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } labels { labelId } } }';
  const detectVia = (file: string) =>
    gql(detectMutation, { input: { projectName: project, sourceURI: `file://${join(imageDir, file)}`, language: 'EN' } });
  const viaGateway: number[] = [];
  const inProcess: number[] = [];
  try {
    // The gateway's detector and GraphQL document warm up first, as phase 1's did.
    for (const file of files) await detectVia(file);
    await indexed();
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [i, file] of files.entries()) {
        let started = performance.now();
        await gateway.detector!.detect(images[i], request);
        inProcess.push(performance.now() - started);
        started = performance.now();
        await detectVia(file);
        viaGateway.push(performance.now() - started);
        await indexed();
      }
    }
  } finally {
    await gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
    await gateway.close();
  }

  const result = {
    models: detector.modelVersion,
    images: files.length,
    rounds: ROUNDS,
    bareInferenceMsPerImage: median(bare),
    endToEndMsPerImage: median(endToEnd),
    endToEndOverBare: median(endToEnd) / median(bare),
    imagesPerSecond: throughput,
    cpuMsPerImage,
    bareImagesPerSecondC8: bareImagesPerSecond,
    pipelineOverBareSaturated: throughput.c8 / bareImagesPerSecond,
    concurrency8OverSequential: throughput.c8 / throughput.c1,
    concurrency4OverSequential: throughput.c4 / throughput.c1,
    eventLoopStallMs,
    graphqlEndToEndMsPerImage: median(viaGateway),
    graphqlOverBare: median(viaGateway) / median(bare),
    inProcessDetectionMsPerImage: median(inProcess),
    graphqlOverDetection: median(viaGateway) / median(inProcess),
  };

  const f = (n: number) => n.toFixed(2);
  console.log(`\nDetection benchmark (${result.models}; ${files.length} photos × ${ROUNDS} rounds; medians)`);
  console.log('| measure | value | target |');
  console.log('|---|---|---|');
  console.log(`| bare inference per image | ${f(result.bareInferenceMsPerImage)} ms | |`);
  console.log(`| end-to-end per image | ${f(result.endToEndMsPerImage)} ms | |`);
  console.log(`| end-to-end / bare | ${f(result.endToEndOverBare)}× | ≤ 1.15× |`);
  for (const [c, v] of Object.entries(throughput)) console.log(`| throughput ${c} | ${f(v)} images/s | |`);
  console.log(`| CPU per image (all threads, saturated c8) | ${f(result.cpuMsPerImage)} ms | ≤ 70 ms |`);
  console.log(`| bare models saturated (c8) | ${f(result.bareImagesPerSecondC8)} images/s | |`);
  console.log(`| pipeline c8 / bare models c8 | ${f(result.pipelineOverBareSaturated)}× | ≥ 0.85× |`);
  console.log(`| concurrency 8 / sequential | ${f(result.concurrency8OverSequential)}× | ≥ 1.6× |`);
  for (const [c, v] of Object.entries(eventLoopStallMs))
    console.log(`| event-loop stall at ${c}, p99 / max | ${f(v.p99)} / ${f(v.max)} ms | |`);
  console.log(`| detectImageLabels via GraphQL (read, detect, store, index) | ${f(result.graphqlEndToEndMsPerImage)} ms | |`);
  console.log(`| GraphQL / bare inference | ${f(result.graphqlOverBare)}× | |`);
  console.log(`| in-process detection, alternated with it | ${f(result.inProcessDetectionMsPerImage)} ms | |`);
  console.log(`| GraphQL / in-process detection | ${f(result.graphqlOverDetection)}× | ≤ 1.3× |`);
  mkdirSync(join(projectRoot, 'bench-results'), { recursive: true });
  writeFileSync(join(projectRoot, 'bench-results', 'detect.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${JSON.stringify(result)}`);
}

main().catch((error) => {
  console.error(`bench:detect failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
