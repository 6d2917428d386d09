// `npm run reindex`: rebuilds the search index from Postgres into a new index and swaps the alias.
import { loadConfig } from '../src/config/env';
import { progressPrinter } from '../src/detection/packs/packDownloader';
import { createPrismaClient } from '../src/persistence/prismaClient';
import { createSearchClient } from '../src/search/elasticsearchClient';
import { reindexImages } from '../src/search/reindex';
import { loadTaxonomy } from '../src/taxonomy/taxonomy';

async function main(): Promise<void> {
  const config = loadConfig();
  const prisma = createPrismaClient(config.DATABASE_URL);
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  const bar = progressPrinter(process.stderr, (total) => `${total} images`);
  try {
    const result = await reindexImages(
      { prisma, search, databaseUrl: config.DATABASE_URL },
      config.ES_INDEX_PREFIX,
      loadTaxonomy(),
      ({ done, total }) => bar({ file: 'reindexing', received: done, total: Math.max(total, 1) }),
    );
    console.log(
      `Reindexed ${result.documents} images into ${result.index} in ${(result.tookMs / 1000).toFixed(1)} s; alias moved from ${result.previous.join(', ') || 'nothing'}; ${result.requeued} changed meanwhile, queued for the relay.`,
    );
  } finally {
    await Promise.all([prisma.$disconnect(), search.close()]);
  }
}

main().catch((error) => {
  console.error(`reindex failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
