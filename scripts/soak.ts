// npm run soak [-- --minutes 30 --concurrency 16]: a bounded load run of the real gateway on
// loopback, failing on any error or on memory still growing at the end (docs/soak.md).
import './bench/productionMode';
import { join } from 'node:path';
import { sharedDir } from '../src/config/projectRoot';
import { resolveDatabaseUrl, withDatabaseName } from '../tools/services/serviceUrls';
import { ensureDatabase, migrate } from '../tools/services/postgresService';
import { runSoak } from './soak/runSoak';
import { parseSoakArgs } from './soak/soakArgs';

// Its own database and index: the soak's relay must never drain a real deployment's outbox.
const DATABASE = 'labelgate_soak';
const INDEX_PREFIX = 'labelgate-soak';

async function main(): Promise<number> {
  const { minutes, concurrency } = parseSoakArgs(process.argv.slice(2));
  const server = resolveDatabaseUrl();
  await ensureDatabase(server, DATABASE);
  const databaseUrl = withDatabaseName(server, DATABASE);
  await migrate(databaseUrl);
  console.log(`[soak] ${minutes} min at concurrency ${concurrency}, pid ${process.pid}`);
  const result = await runSoak({ minutes, concurrency, imagesDir: join(sharedDir, 'images'), databaseUrl, indexPrefix: INDEX_PREFIX });
  console.log(
    `[soak] total: ${result.requests} requests, ${result.errors} errors, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms; ` +
      `last third (${result.memorySamples} readings): RSS ${result.rssMbPerMin.toFixed(2)} MB/min, ` +
      `heap ${result.heapMbPerMin.toFixed(2)} MB/min (committed ${result.heapTotalMbPerMin.toFixed(2)}), external ${result.externalMbPerMin.toFixed(2)} MB/min`,
  );
  for (const [message, count] of result.errorKinds) console.log(`[soak] error ×${count}: ${message}`);
  for (const failure of result.failures) console.log(`[soak] FAIL: ${failure}`);
  if (result.failures.length === 0) console.log('[soak] PASS');
  return result.failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[soak] ${error.message}`);
    process.exit(1);
  },
);
