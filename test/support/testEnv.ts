// Runs in every test worker before the tests: point the app at the test database and index names.
import 'reflect-metadata';
import { resolveDatabaseUrl, withDatabaseName } from '../../src/config/serviceUrls';

const TEST_DATABASE = 'labelgate_test';

process.env.DATABASE_URL = withDatabaseName(resolveDatabaseUrl(), TEST_DATABASE);
process.env.ES_INDEX_PREFIX = process.env.LABELGATE_TEST_INDEX_PREFIX ?? 'labelgate-test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
