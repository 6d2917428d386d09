// Runs in every test worker before the tests: point the app at the test database and index names.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { serviceEnvironment, withDatabaseName, TEST_DATABASE } from '../../tools/services/serviceUrls';

// The servers `npm test` found or started, as `npm start` passes them (the server reads only its environment).
Object.assign(process.env, serviceEnvironment());
process.env.DATABASE_URL = withDatabaseName(process.env.DATABASE_URL!, TEST_DATABASE);
process.env.ES_INDEX_PREFIX = process.env.LABELGATE_TEST_INDEX_PREFIX ?? 'labelgate-test';
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
// The admin key test servers start with (test/support/testServer.ts sends it unless told otherwise),
// and a project rate limit far above what the tests do; the limit tests set their own.
process.env.ADMIN_API_KEY = `test-admin-${randomBytes(24).toString('base64url')}`;
process.env.RATE_LIMIT_PROJECT_QPS = '100000';
