import { resolveElasticsearchUrl } from '../../tools/services/serviceUrls';
import { adminKey, bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';
import { TcpProxy } from '../support/tcpProxy';

// Postgres and Elasticsearch stopped or frozen (through a proxy that plays the outage): requests
// answer ServiceUnavailable within the configured bounds, and work again once the service is back.
const databaseUrl = new URL(process.env.DATABASE_URL!);
const elasticsearchUrl = new URL(resolveElasticsearchUrl());
const postgres = new TcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
const elasticsearch = new TcpProxy({ host: elasticsearchUrl.hostname, port: Number(elasticsearchUrl.port || 9200) });
const project = uniqueName('outage-bounds');
let server: TestServer;

// Bounds as configured below: connect 1 s, statement 1.5 s (+1 s client side), Elasticsearch 1.5 s, tried twice.
const BOUND_MS = 6_000;

const PROJECTS = '{ projects { totalCount } }';
const SEARCH = 'query($p: String!) { searchImages(projectName: $p) { totalCount } }';

async function timed(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  const started = Date.now();
  const result = await server.gql(query, variables, headers);
  return { result, ms: Date.now() - started };
}

/** Polls until a request succeeds again: the service is back and nothing needed a restart. */
async function recovers(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  for (let i = 0; i < 40; i += 1) {
    const { result } = await timed(query, variables, headers);
    if (!result.body.errors) return result;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${query} did not recover`);
}

beforeAll(async () => {
  await postgres.up();
  await elasticsearch.up();
  const proxied = (url: URL, port: number) => Object.assign(new URL(url.href), { port: String(port) }).href;
  server = await startTestServer({
    DATABASE_URL: proxied(databaseUrl, postgres.port),
    ELASTICSEARCH_URL: proxied(elasticsearchUrl, elasticsearch.port),
    DB_CONNECT_TIMEOUT_MS: '1000',
    DB_STATEMENT_TIMEOUT_MS: '1500',
    ES_REQUEST_TIMEOUT_MS: '1500',
  });
  expect(
    (await server.gql('mutation($n: String!) { createProject(input: { name: $n }) { name } }', { n: project })).body.errors,
  ).toBeUndefined();
});

/** A key no request has used yet, so the gateway must look it up in Postgres (valid keys are cached). */
async function unusedKey(): Promise<string> {
  const created = await server.gql(
    'mutation($n: String!) { createApiKey(input: { name: "outage", actions: [SearchImages, ReadProjects], projectNames: [$n] }) { key } }',
    { n: project },
  );
  return created.body.data!.createApiKey.key;
}

afterAll(async () => {
  await postgres.up();
  await elasticsearch.up();
  await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await server.close();
  await postgres.down();
  await elasticsearch.down();
  // Bringing both back and shutting the server down takes longer than the default hook time on a
  // loaded machine.
}, 120_000);

describe.each([
  ['stopped', (proxy: TcpProxy) => proxy.down()],
  ['frozen', async (proxy: TcpProxy) => proxy.freeze()],
])('a %s service', (_state, outage) => {
  it('Postgres: ServiceUnavailable within the bound, then recovery', async () => {
    await outage(postgres);
    try {
      const { result, ms } = await timed(PROJECTS);
      expect(result.body.errors![0].extensions.code).toBe('ServiceUnavailable');
      expect(result.body.extensions?.requestId).toBeTruthy();
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      await postgres.up();
    }
    expect((await recovers(PROJECTS)).body.data!.projects.totalCount).toBeGreaterThan(0);
  });

  it('Postgres, for a key that must be looked up: 503 ServiceUnavailable, then recovery', async () => {
    const key = await unusedKey();
    await outage(postgres);
    try {
      const { result, ms } = await timed(PROJECTS, undefined, bearer(key));
      expect(result.status).toBe(503);
      expect(result.body.errors![0].extensions.code).toBe('ServiceUnavailable');
      expect(result.body.extensions?.requestId).toBe(result.headers.get('x-request-id'));
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      await postgres.up();
    }
    expect((await recovers(PROJECTS, undefined, bearer(key))).body.data!.projects.totalCount).toBe(1);
  });

  it('Elasticsearch: a search answers ServiceUnavailable within the bound, then recovery', async () => {
    await outage(elasticsearch);
    try {
      const { result, ms } = await timed(SEARCH, { p: project });
      expect(result.body.errors![0].extensions.code).toBe('ServiceUnavailable');
      expect(ms).toBeLessThan(BOUND_MS);
    } finally {
      await elasticsearch.up();
    }
    expect((await recovers(SEARCH, { p: project })).body.data!.searchImages.totalCount).toBe(0);
  });
});

it('uses the admin key of the test run', () => expect(adminKey()).toBeTruthy());
