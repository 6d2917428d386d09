import { ConfigError, loadConfig } from './config/env';
import { createLogger } from './logger';
import { startLabelgate } from './app';
import { ensureLocalAdminKey } from './auth/localAdminKey';

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
  if (generatedKeyFile)
    logger.warn(
      `No ADMIN_API_KEY set: using the admin key in ${generatedKeyFile} (paste it in GraphiQL's API key box; set ADMIN_API_KEY in production).`,
    );
  const running = await startLabelgate(config, logger);
  if (running.url)
    logger.info(
      { url: `${running.url}/graphql`, role: config.ROLE },
      `Labelgate is serving GraphQL at ${running.url}/graphql (GraphiQL in a browser)`,
    );
  else logger.info({ role: config.ROLE, pid: process.pid }, 'Labelgate worker is running labeling tasks and search indexing');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await running.close();
    // `npm start` (tools/services) says which of the servers it started keep running.
    logger.info('Labelgate stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Labelgate failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
