import { randomBytes } from 'node:crypto';
import { startTestServer, TestServer, uniqueName, bearer, GraphQLResult } from '../support/testServer';

// Rate limits and query limits on the real gateway. Limits are set low here so a handful of
// requests reaches them; the service must refuse cleanly (Throttling / LimitExceeded) and stay healthy.

let server: TestServer;
// The limits of every gateway here (the second one shares the database, as processes of one deployment do).
const LIMITS = { RATE_LIMIT_KEY_QPS: '3', RATE_LIMIT_ANONYMOUS_QPS: '3', RATE_LIMIT_PROJECT_QPS: '1000', RATE_LIMIT_BURST_SECONDS: '1' };
const project = uniqueName('limits');
const other = uniqueName('limits-other');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (result: GraphQLResult) => result.body.errors?.[0]?.extensions.code;
/** A well-formed key with an id no key has. */
const madeUpKey = () => `lg_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;

async function createKey(projectNames: string[], queriesPerSecond?: number): Promise<string> {
  const result = await server.gql(
    `mutation($p: [String!], $q: Float) { createApiKey(input: { name: "limits", actions: [ReadProjects, SearchImages], projectNames: $p, queriesPerSecond: $q }) { key } }`,
    { p: projectNames, q: queriesPerSecond ?? null },
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.createApiKey.key;
}

beforeAll(async () => {
  server = await startTestServer({
    ...LIMITS,
    GRAPHQL_MAX_DEPTH: '6',
    GRAPHQL_MAX_ALIASES: '5',
    GRAPHQL_MAX_COST: '200',
    GRAPHQL_MAX_TOKENS: '400',
  });
  await server.gql(
    `mutation { a: createProject(input: { name: "${project}", queriesPerSecond: 0.5 }) { name } b: createProject(input: { name: "${other}" }) { name } }`,
  );
});

afterAll(async () => {
  await server?.gql(`mutation { a: deleteProject(name: "${project}") { name } b: deleteProject(name: "${other}") { name } }`);
  await server?.close();
});

describe('rate limits', () => {
  it('a key over its rate gets 429 Throttling with when to retry, and other keys are unaffected', async () => {
    await sleep(1100);
    const [key, neighbour] = [await createKey([other]), await createKey([other])];
    const query = `{ project(name: "${other}") { name } }`;
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await server.gql(query, undefined, bearer(key)));
    const throttled = results.filter((result) => codeOf(result) === 'Throttling');
    expect(results.filter((result) => result.body.data?.project).length).toBeGreaterThanOrEqual(3);
    expect(throttled.length).toBeGreaterThanOrEqual(1);
    expect(throttled[0].status).toBe(429);
    expect(Number(throttled[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const retryAfterMs = throttled[0].body.errors![0].extensions.retryAfterMs as number;
    expect(retryAfterMs).toBeGreaterThan(0);

    expect((await server.gql(query, undefined, bearer(neighbour))).body.data?.project.name).toBe(other);
    await sleep(retryAfterMs + 50);
    expect((await server.gql(query, undefined, bearer(key))).body.data?.project.name).toBe(other);
  });

  it('every operation in a request spends the key budget: aliases cannot multiply it', async () => {
    // 1/s with 1 s bursts: one request's worth, which two aliased operations spend twice over.
    const key = await createKey([other], 1);
    const single = await server.gql(`{ project(name: "${other}") { name } }`, undefined, bearer(key));
    expect(single.body.data?.project.name).toBe(other);
    await sleep(1000);
    const aliased = await server.gql(
      `{ a: project(name: "${other}") { name } b: project(name: "${other}") { name } }`,
      undefined,
      bearer(key),
    );
    expect(aliased.body.errors?.[0].extensions.code).toBe('Throttling');
    expect(aliased.body.errors?.[0].message).toMatch(/API key \w+ is limited to 1 requests per second/);
  });

  it('a project over its own queriesPerSecond (0.5/s: one request, then a 2 s wait) is throttled across keys, other projects are not', async () => {
    const keys = [await createKey([project, other]), await createKey([project, other]), await createKey([project, other])];
    const results = await Promise.all(
      keys.map((key) => server.gql(`{ searchImages(projectName: "${project}") { totalCount } }`, undefined, bearer(key))),
    );
    const throttled = results.filter((result) => codeOf(result) === 'Throttling');
    expect(results.filter((result) => result.body.data?.searchImages)).toHaveLength(1);
    expect(throttled).toHaveLength(2);
    expect(throttled[0].body.errors![0].message).toMatch(new RegExp(`Project "${project}" is limited to 0.5 requests per second`));
    expect(throttled[0].body.errors![0].extensions.retryAfterMs).toBeGreaterThan(0);
    const elsewhere = await server.gql(`{ searchImages(projectName: "${other}") { totalCount } }`, undefined, bearer(keys[2]));
    expect(elsewhere.body.errors).toBeUndefined();
  });

  it("a project's new queriesPerSecond applies at once (the project lookup this gateway caches is forgotten on update)", async () => {
    const changed = `${project}-changed`;
    await server.gql(`mutation { createProject(input: { name: "${changed}" }) { name } }`);
    try {
      const key = await createKey([changed]);
      const search = () => server.gql(`{ searchImages(projectName: "${changed}") { totalCount } }`, undefined, bearer(key));
      expect(codeOf(await search())).toBeUndefined(); // looked up, with the server's 1000/s
      await server.gql(`mutation { updateProject(input: { name: "${changed}", queriesPerSecond: 0.5 }) { name } }`);
      expect(codeOf(await search())).toBeUndefined();
      expect(codeOf(await search())).toBe('Throttling');
    } finally {
      await server.gql(`mutation { deleteProject(name: "${changed}") { name } }`);
    }
  });

  it('requests without a key, and failed keys, are limited per client address; the admin key and keys in use still pass', async () => {
    const inUse = await createKey([other]);
    expect(codeOf(await server.gql('{ __typename }', undefined, bearer(inUse)))).toBeUndefined();
    const wrong = bearer(`lg_0000000000000000_${'A'.repeat(43)}`);
    const codes = async (headers: Record<string, string>) => {
      const results = [];
      for (let i = 0; i < 6; i += 1) results.push(await server.gql('{ __typename }', undefined, headers));
      return results.map((result) => codeOf(result) ?? 'ok');
    };
    const anonymous = await codes({ authorization: '' });
    expect(anonymous.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(anonymous.slice(3)).toContain('Throttling');
    const failures = await codes(wrong);
    expect(failures.slice(0, 3)).toEqual(['InvalidAccessKeyId', 'InvalidAccessKeyId', 'InvalidAccessKeyId']);
    expect(failures.slice(3)).toContain('Throttling');
    expect(codeOf(await server.gql('{ __typename }', undefined, bearer(inUse)))).toBeUndefined();
    expect(codeOf(await server.gql('{ taxonomyVersion }'))).toBeUndefined();
    await sleep(1100);
  });

  it('bad keys from one address never lock out a neighbour there whose valid key was not seen yet', async () => {
    // Behind a NAT, one client sends bad keys: the same made-up key again and again, new made-up ids,
    // strings that are no keys at all; a neighbour at the same address then uses a fresh key.
    const neighbour = await createKey([other]);
    const repeated = bearer(madeUpKey());
    const codes = [];
    for (let i = 0; i < 5; i += 1) codes.push(codeOf(await server.gql('{ __typename }', undefined, repeated)));
    for (let i = 0; i < 5; i += 1) codes.push(codeOf(await server.gql('{ __typename }', undefined, bearer(madeUpKey()))));
    for (let i = 0; i < 5; i += 1) codes.push(codeOf(await server.gql('{ __typename }', undefined, bearer('not-a-key'))));
    // The repeated key's id is locked out after its 3 failures a second; the others were each refused.
    expect(codes.slice(0, 3)).toEqual(['InvalidAccessKeyId', 'InvalidAccessKeyId', 'InvalidAccessKeyId']);
    expect(codes.slice(3, 5)).toContain('Throttling');
    expect(codes.slice(5)).toEqual(Array(10).fill('InvalidAccessKeyId'));

    expect((await server.gql(`{ project(name: "${other}") { name } }`, undefined, bearer(neighbour))).body.data?.project.name).toBe(other);
  });

  it('a flood far beyond the limits gets Throttling, never an error, and the service stays healthy', async () => {
    const key = await createKey([other]);
    const started = Date.now();
    const flood = Array.from({ length: 400 }, (_, i) =>
      server.gql(`{ project(name: "${other}") { name } }`, undefined, i % 4 === 0 ? { authorization: '' } : bearer(key)),
    );
    // Asked while the flood is being served: the service keeps answering.
    const [health, ready] = await Promise.all([fetch(`${server.url}/healthz`), fetch(`${server.url}/readyz`)]);
    const results = await Promise.all(flood);
    const floodSeconds = (Date.now() - started) / 1000;
    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    const statuses = new Set(results.map((result) => result.status));
    expect([...statuses].every((status) => status === 200 || status === 429)).toBe(true);
    const codes = new Set(results.flatMap((result) => (result.body.errors ?? []).map((error) => error.extensions.code)));
    expect([...codes].every((code) => code === 'Throttling' || code === 'InvalidAccessKeyId')).toBe(true);
    const throttled = results.filter((result) => codeOf(result) === 'Throttling').length;
    expect(throttled).toBeGreaterThan(350);
    // The key's bucket: a burst of 3, then 3 a second for as long as the flood lasted (a slow or
    // busy machine serves it more slowly, and the bucket refills meanwhile).
    expect(results.filter((result) => result.body.data?.project).length).toBeLessThanOrEqual(3 + Math.ceil(3 * floodSeconds));

    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const fresh = await createKey([other]);
    expect((await server.gql(`{ project(name: "${other}") { name } }`, undefined, bearer(fresh))).body.data?.project.name).toBe(other);
  });
});

describe('limits shared by the gateway processes of one database', () => {
  let second: TestServer;
  beforeAll(async () => {
    second = await startTestServer(LIMITS);
  });
  afterAll(() => second?.close());

  it("a key's budget is one budget, whichever gateway serves it", async () => {
    // 0.4/s with 1 s bursts: one request per 2.5 s window, wherever it is served.
    const key = await createKey([other], 0.4);
    const query = `{ project(name: "${other}") { name } }`;
    const first = await server.gql(query, undefined, bearer(key));
    const elsewhere = await second.gql(query, undefined, bearer(key));
    expect(first.body.data?.project.name).toBe(other);
    expect(codeOf(elsewhere)).toBe('Throttling');
    expect(elsewhere.body.errors![0].extensions.retryAfterMs).toBeGreaterThan(0);
    // Having seen the budget spent, the second gateway refuses the key before parsing the request.
    const again = await second.gql(query, undefined, bearer(key));
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it("a key id's failures count on every gateway", async () => {
    const wrong = bearer(madeUpKey());
    const codes = [];
    for (let i = 0; i < 3; i += 1) codes.push(codeOf(await server.gql('{ __typename }', undefined, wrong)));
    // The second gateway counts its first failure in the same window, learns the id is spent, and
    // refuses the next try before any lookup.
    for (let i = 0; i < 2; i += 1) codes.push(codeOf(await second.gql('{ __typename }', undefined, wrong)));
    expect(codes).toEqual(['InvalidAccessKeyId', 'InvalidAccessKeyId', 'InvalidAccessKeyId', 'InvalidAccessKeyId', 'Throttling']);
  });
});

describe('query limits (graphql-armor)', () => {
  it.each([
    ['too deep', /depth limit of 6/, '{ label(id: "dog") { path { path { path { path { path { path { id } } } } } } } }'],
    ['too many aliases', /Aliases limit of 5/, `{ ${Array.from({ length: 6 }, (_, i) => `v${i}: taxonomyVersion`).join(' ')} }`],
    [
      'too costly',
      /Cost limit of 200/,
      `{ labelTaxonomy(first: 100) { nodes { id name nameEn nameZhHans aliases level threshold parentId childrenCount parent { id name nameEn nameZhHans aliases level threshold path { id name nameEn } } } } }`,
    ],
    ['too many tokens', /Token limit of 400/, `{ taxonomyVersion ${'__typename '.repeat(400)} }`],
  ])('a query %s is refused with LimitExceeded before it runs', async (_label, reason, query) => {
    const result = await server.gql(query);
    expect(codeOf(result)).toBe('LimitExceeded');
    expect(result.body.errors![0].message).toMatch(reason);
    // graphql-armor words refusals as syntax errors; the query's syntax was fine.
    expect(result.body.errors![0].message).not.toMatch(/syntax/i);
    expect(result.body.data ?? null).toBeNull();
  });

  it('batched HTTP requests (a JSON array of operations) are refused', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(process.env.ADMIN_API_KEY!) },
      body: JSON.stringify([{ query: '{ taxonomyVersion }' }, { query: '{ taxonomyVersion }' }]),
    });
    expect(response.status).toBe(400);
  });
});
