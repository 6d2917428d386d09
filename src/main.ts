import { ConfigError, loadConfig } from './config/env';
import { createLogger } from './logger';
import { startLabelgate } from './app';
import { ensureLocalAdminKey } from './auth/localAdminKey';
import { startedServersInUse } from './config/serviceUrls';

async function main(): Promise<void> {
  let config;
  const generatedKeyFile = ensureLocalAdminKey();
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  if (generatedKeyFile) logger.warn(`No ADMIN_API_KEY set: using the admin key in ${generatedKeyFile} (paste it in GraphiQL's API key box; set ADMIN_API_KEY in production).`);
  const running = await startLabelgate(config, logger);
  if (running.url) logger.info({ url: `${running.url}/graphql`, role: config.ROLE }, `Labelgate is serving GraphQL at ${running.url}/graphql (GraphiQL in a browser)`);
  else logger.info({ role: config.ROLE, pid: process.pid }, 'Labelgate worker is running labeling tasks and search indexing');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await running.close();
    // The servers `npm start` started stay up, so the next start is quick; say so and how to stop them.
    const left = startedServersInUse(config.DATABASE_URL, config.ELASTICSEARCH_URL);
    const [they, keep, them] = left.length > 1 ? [left.join(' and '), 'keep', 'them'] : [left[0], 'keeps', 'it'];
    logger.info(left.length ? `Labelgate stopped; ${they} ${keep} running: \`npm run services -- down\` stops ${them}.` : 'Labelgate stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Labelgate failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
