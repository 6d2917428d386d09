import { join } from 'node:path';
import { runSoak } from '../../scripts/soak/runSoak';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { sharedDir } from '../support/sharedData';

// `npm run soak`'s code path, CI-sized: 45 s at concurrency 4 against the real gateway, models,
// Postgres and Elasticsearch. It fails on any error; the memory slope of so short a run is all
// warm-up, so it is reported, not judged (the full soak judges it).
jest.setTimeout(150_000);

it('runs the mixed workload for 45 seconds without an error', async () => {
  const lines: string[] = [];
  const result = await runSoak({
    minutes: 0.75,
    concurrency: 4,
    imagesDir: join(sharedDir, 'images'),
    // Its own database: its relay must not drain the other test files' outbox into its index.
    databaseUrl: await isolatedDatabase('soak'),
    indexPrefix: `${process.env.ES_INDEX_PREFIX}-soak`,
    reportEveryMs: 15_000,
    print: (line) => lines.push(line),
  });
  console.log(
    [
      ...lines,
      `soak: ${result.requests} requests, RSS ${result.rssMbPerMin.toFixed(2)} MB/min, heap ${result.heapMbPerMin.toFixed(2)} MB/min over the last third`,
    ].join('\n'),
  );
  expect(result.errorKinds).toEqual([]);
  expect(result.errors).toBe(0);
  expect(result.requests).toBeGreaterThan(50);
  expect(lines.length).toBeGreaterThanOrEqual(3);
  expect(result.memorySamples).toBeGreaterThan(5);
});
