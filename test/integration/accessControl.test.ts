import { Writable } from 'node:stream';
import { Client as PgClient } from 'pg';
import { API_ACTIONS, ApiAction } from '../../src/auth/actions';
import { buildLabelgateSchema } from '../../src/graphql/schema';
import { createLogger } from '../../src/logger';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { sharedDir } from '../support/sharedData';
import { adminKey, bearer, GraphQLResult, startTestServer, TestServer, uniqueName } from '../support/testServer';

// API keys end to end: the real gateway, Postgres and Elasticsearch, and the real models (detection
// is one of the operations). Every root operation is tried with every kind of caller.

const IMAGE_URI = `file://${sharedDir}/images/darknet/dog.jpg`;
const logLines: string[] = [];
const logs = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let server: TestServer;
let pg: PgClient;

interface Fixture {
  /** The project the keys cover, with one detected image. */
  project: string;
  /** A second name the same keys cover, which does not exist (for createProject / deleteProject). */
  spare: string;
  imageId: string;
}
const A: Fixture = { project: uniqueName('acl-a'), spare: uniqueName('acl-a2'), imageId: '' };
const B: Fixture = { project: uniqueName('acl-b'), spare: uniqueName('acl-b2'), imageId: '' };

const anonymous = { authorization: '' };
const asAdmin = () => bearer(adminKey());

async function detect(project: string): Promise<string> {
  const result = await server.gql(
    `mutation($p: String!, $u: String!) { detectImageLabels(input: { projectName: $p, sourceURI: $u }) { image { id } } }`,
    { p: project, u: IMAGE_URI },
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.detectImageLabels.image.id;
}

/** A task of the project, created and cancelled with the admin key (before its worker takes it up, within the queue's poll). */
async function cancelledTask(project: string): Promise<string> {
  const created = await server.gql(
    'mutation($p: String!, $u: String!) { createDetectImageLabelsTask(input: { projectName: $p, sourceURI: $u }) { taskId } }',
    {
      p: project,
      u: `file://${sharedDir}/images/bad/`,
    },
  );
  const taskId = created.body.data!.createDetectImageLabelsTask.taskId;
  const cancelled = await server.gql(`mutation { cancelTask(projectName: "${project}", taskId: "${taskId}") { state } }`);
  expect(cancelled.body.data!.cancelTask.state).toBe('CANCELLED');
  return taskId;
}

async function createKey(input: Record<string, unknown>): Promise<string> {
  const result = await server.gql(`mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id status } } }`, {
    input: { name: 'test', ...input },
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.createApiKey.key;
}

const codeOf = (result: GraphQLResult) => result.body.errors?.[0]?.extensions.code;

// --- The operations, each with what it needs and how to call it on a fixture ----------------------

type Need = ApiAction | 'admin' | 'anyKey';
interface Operation {
  need: Need;
  /** Builds the call on the fixture's project (setting up with the admin key what it consumes). */
  call(f: Fixture): Promise<{ query: string; variables?: Record<string, unknown> }>;
  /** What denial on a project the key does not cover looks like (default: that project is not found). */
  otherProject?: 'notFound' | 'imageNotFound' | 'accessDenied' | 'filtered' | 'itemNotFound';
}

const operations: Record<string, Operation> = {
  project: { need: ApiAction.ReadProjects, call: async (f) => ({ query: `{ project(name: "${f.project}") { name } }` }) },
  projects: {
    need: ApiAction.ReadProjects,
    otherProject: 'filtered',
    call: async () => ({ query: '{ projects(first: 100) { totalCount nodes { name } } }' }),
  },
  createProject: {
    need: ApiAction.ManageProjects,
    otherProject: 'accessDenied',
    call: async (f) => {
      await server.gql(`mutation { deleteProject(name: "${f.spare}") { name } }`);
      return { query: `mutation { createProject(input: { name: "${f.spare}" }) { name } }` };
    },
  },
  updateProject: {
    need: ApiAction.ManageProjects,
    call: async (f) => ({ query: `mutation { updateProject(input: { name: "${f.project}", description: "changed" }) { name } }` }),
  },
  deleteProject: {
    need: ApiAction.ManageProjects,
    call: async (f) => {
      await server.gql(`mutation { createProject(input: { name: "${f.spare}" }) { name } }`);
      return { query: `mutation { deleteProject(name: "${f.spare}") { name } }` };
    },
  },
  detectImageLabels: {
    need: ApiAction.DetectImageLabels,
    call: async (f) => ({
      query: 'mutation($p: String!, $u: String!) { detectImageLabels(input: { projectName: $p, sourceURI: $u }) { image { id } } }',
      variables: { p: f.project, u: IMAGE_URI },
    }),
  },
  detectImageLabelsBatch: {
    need: ApiAction.DetectImageLabels,
    otherProject: 'itemNotFound',
    call: async (f) => ({
      query:
        'mutation($p: String!, $u: String!) { detectImageLabelsBatch(inputs: [{ projectName: $p, sourceURI: $u }]) { result { image { id } } error { code message } } }',
      variables: { p: f.project, u: IMAGE_URI },
    }),
  },
  createDetectImageLabelsTask: {
    need: ApiAction.DetectImageLabels,
    call: async (f) => ({
      query: 'mutation($p: String!, $u: String!) { createDetectImageLabelsTask(input: { projectName: $p, sourceURI: $u }) { taskId } }',
      variables: { p: f.project, u: `file://${sharedDir}/images/bad/` },
    }),
  },
  task: {
    need: ApiAction.DetectImageLabels,
    call: async (f) => ({ query: `{ task(projectName: "${f.project}", taskId: "${await cancelledTask(f.project)}") { state } }` }),
  },
  tasks: { need: ApiAction.DetectImageLabels, call: async (f) => ({ query: `{ tasks(projectName: "${f.project}") { totalCount } }` }) },
  // Cancelling a cancelled task answers it as it is.
  cancelTask: {
    need: ApiAction.DetectImageLabels,
    call: async (f) => ({
      query: `mutation { cancelTask(projectName: "${f.project}", taskId: "${await cancelledTask(f.project)}") { state } }`,
    }),
  },
  image: {
    need: ApiAction.ReadImages,
    otherProject: 'imageNotFound',
    call: async (f) => ({ query: `{ image(id: "${f.imageId}") { id } }` }),
  },
  images: { need: ApiAction.ReadImages, call: async (f) => ({ query: `{ images(projectName: "${f.project}") { totalCount } }` }) },
  deleteImage: {
    need: ApiAction.DeleteImages,
    otherProject: 'imageNotFound',
    call: async (f) => ({ query: `mutation { deleteImage(id: "${await detect(f.project)}") { id } }` }),
  },
  searchImages: {
    need: ApiAction.SearchImages,
    call: async (f) => ({ query: `{ searchImages(projectName: "${f.project}") { totalCount } }` }),
  },
  labelStats: { need: ApiAction.SearchImages, call: async (f) => ({ query: `{ labelStats(projectName: "${f.project}") { count } }` }) },
  suggestLabels: { need: 'anyKey', call: async () => ({ query: '{ suggestLabels(prefix: "do", language: EN) { label { id } } }' }) },
  taxonomyVersion: { need: 'anyKey', call: async () => ({ query: '{ taxonomyVersion }' }) },
  labelTaxonomy: { need: 'anyKey', call: async () => ({ query: '{ labelTaxonomy(level: 1, first: 1) { totalCount } }' }) },
  label: { need: 'anyKey', call: async () => ({ query: '{ label(id: "dog") { id } }' }) },
  currentApiKey: { need: 'anyKey', call: async () => ({ query: '{ currentApiKey { id actions } }' }) },
  reindexImages: { need: 'admin', call: async () => ({ query: 'mutation { reindexImages { documents } }' }) },
  // After reindexImages: the task's reindex must not hold the lock while that one runs.
  createReindexImagesTask: { need: 'admin', call: async () => ({ query: 'mutation { createReindexImagesTask { taskId } }' }) },
  createApiKey: {
    need: 'admin',
    call: async (f) => ({
      query: `mutation { createApiKey(input: { name: "x", actions: [ReadProjects], projectNames: ["${f.project}"] }) { apiKey { id } } }`,
    }),
  },
  apiKeys: { need: 'admin', call: async () => ({ query: '{ apiKeys { totalCount } }' }) },
  apiKey: { need: 'admin', call: async () => ({ query: `{ apiKey(id: "${revocable}") { id } }` }) },
  revokeApiKey: { need: 'admin', call: async () => ({ query: `mutation { revokeApiKey(id: "${revocable}") { status } }` }) },
  expireApiKey: { need: 'admin', call: async () => ({ query: `mutation { expireApiKey(id: "${revocable}") { status } }` }) },
};

// Keys: for each action, one on A, one on B, and one on A with every other action; plus one with all.
const keys = { on: new Map<ApiAction, Record<'A' | 'B', string>>(), allBut: new Map<ApiAction, string>(), everything: '' };
let revocable = '';

beforeAll(async () => {
  const logger = createLogger('info', logs);
  // Its own index prefix: reindexImages (an operation like the others here) swaps only this alias.
  // And so its own database: its relay would otherwise drain the other files' outbox events into
  // this alias, and their documents would never appear in the run's.
  // Rate limits are abuseLimits.test.ts's subject; here they stay out of the way of the matrix.
  const databaseUrl = await isolatedDatabase('acl');
  server = await startTestServer(
    {
      DATABASE_URL: databaseUrl,
      FILE_ROOTS: `${sharedDir}/images`,
      ES_INDEX_PREFIX: `${process.env.ES_INDEX_PREFIX}-acl`,
      RATE_LIMIT_ANONYMOUS_QPS: '10000',
      RATE_LIMIT_KEY_QPS: '10000',
      TASK_MAX_ACTIVE_PER_PROJECT: '1000',
    },
    logger,
  );
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  for (const f of [A, B]) {
    await server.gql(
      `mutation { createProject(input: { name: "${f.project}", sources: { fileRoots: ["${sharedDir}/images"] } }) { name } }`,
    );
    f.imageId = await detect(f.project);
  }
  for (const action of API_ACTIONS) {
    const on = (f: Fixture) => createKey({ actions: [action], projectNames: [f.project, f.spare] });
    keys.on.set(action, { A: await on(A), B: await on(B) });
    keys.allBut.set(action, await createKey({ actions: API_ACTIONS.filter((a) => a !== action), projectNames: [A.project, A.spare] }));
  }
  keys.everything = await createKey({ actions: API_ACTIONS, allProjects: true });
  revocable = keyId(await createKey({ actions: [ApiAction.ReadProjects], projectNames: [A.project] }));
}, 120_000);

afterAll(async () => {
  for (const f of [A, B])
    for (const name of [f.project, f.spare]) await server?.gql(`mutation { deleteProject(name: "${name}") { name } }`);
  await pg?.end();
  await server?.close();
});

const keyId = (key: string) => key.split('_')[1];

/** Every key id apiKeys lists, page by page (the test database holds other files' keys too). */
async function listedKeyIds(includeRevoked = false): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  do {
    const page: GraphQLResult = await server.gql(
      'query($after: String, $r: Boolean) { apiKeys(first: 100, after: $after, includeRevoked: $r) { pageInfo { hasNextPage endCursor } nodes { id } } }',
      { after, r: includeRevoked },
    );
    const { pageInfo, nodes } = page.body.data!.apiKeys;
    ids.push(...nodes.map((node: { id: string }) => node.id));
    after = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  } while (after);
  return ids;
}
/** The secret part of a key (lg_<16-char id>_<secret>); the admin key is all secret. */
const secretOf = (key: string) => (key.startsWith('lg_') ? key.slice('lg_'.length + 17) : key);

async function call(name: string, f: Fixture, headers: Record<string, string>): Promise<GraphQLResult> {
  const { query, variables } = await operations[name].call(f);
  return server.gql(query, variables, headers);
}

describe('every operation has an access rule and a row in this matrix', () => {
  it('covers every Query and Mutation field', async () => {
    const schema = await buildLabelgateSchema();
    const fields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.keys(type.getFields()));
    expect(fields.sort()).toEqual(Object.keys(operations).sort());
  });
});

describe.each(Object.keys(operations))('%s', (name) => {
  const op = operations[name];

  it('refuses a caller without a key (InvalidAccessKeyId)', async () => {
    const result = await call(name, A, anonymous);
    expect(codeOf(result)).toBe('InvalidAccessKeyId');
    expect(result.body.data?.[name] ?? null).toBeNull();
  });

  it('lets the admin key in', async () => {
    const result = await call(name, A, asAdmin());
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.[name]).toBeTruthy();
  });

  if (op.need === 'admin') {
    it('refuses every other key, even one with every action on every project (AccessDenied)', async () => {
      for (const key of [keys.everything, keys.on.get(ApiAction.ManageProjects)!.A]) {
        expect(codeOf(await call(name, A, bearer(key)))).toBe('AccessDenied');
      }
    });
    return;
  }

  if (op.need === 'anyKey') {
    it('lets any valid key in', async () => {
      const result = await call(name, A, bearer(keys.on.get(ApiAction.ReadImages)!.B));
      expect(result.body.errors).toBeUndefined();
    });
    return;
  }

  const action = op.need;
  it(`lets a key with ${action} on the project in`, async () => {
    const result = await call(name, A, bearer(keys.on.get(action)!.A));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.[name]).toBeTruthy();
    if (op.otherProject === 'itemNotFound') expect(result.body.data![name][0].error).toBeNull();
  });

  it('lets a key with every action on all projects in', async () => {
    const result = await call(name, A, bearer(keys.everything));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.[name]).toBeTruthy();
  });

  it(`refuses a key with every action but ${action} (AccessDenied)`, async () => {
    const result = await call(name, A, bearer(keys.allBut.get(action)!));
    expect(codeOf(result)).toBe('AccessDenied');
  });

  it(`does not even show the project to a key with ${action} on another project`, async () => {
    const result = await call(name, A, bearer(keys.on.get(action)!.B));
    switch (op.otherProject ?? 'notFound') {
      case 'notFound':
        expect(codeOf(result)).toBe('ResourceNotFound');
        expect([`Project "${A.project}" does not exist.`, `Project "${A.spare}" does not exist.`]).toContain(
          result.body.errors![0].message,
        );
        break;
      case 'imageNotFound':
        expect(codeOf(result)).toBe('ResourceNotFound');
        expect(result.body.errors![0].message).toMatch(/^Image "[0-9a-f-]+" does not exist\.$/);
        break;
      case 'accessDenied':
        expect(codeOf(result)).toBe('AccessDenied');
        break;
      case 'filtered': {
        const names = result.body.data![name].nodes.map((node: { name: string }) => node.name);
        expect(names).toContain(B.project);
        expect(names).not.toContain(A.project);
        expect(result.body.data![name].totalCount).toBe(1);
        break;
      }
      case 'itemNotFound':
        expect(result.body.errors).toBeUndefined();
        expect(result.body.data![name][0].error).toEqual({ code: 'ResourceNotFound', message: `Project "${A.project}" does not exist.` });
        break;
    }
  });
});

describe('projects a key does not cover', () => {
  it('answer exactly as projects that do not exist', async () => {
    const key = bearer(keys.on.get(ApiAction.SearchImages)!.B);
    const hidden = await server.gql(`{ searchImages(projectName: "${A.project}") { totalCount } }`, undefined, key);
    const missing = await server.gql(`{ searchImages(projectName: "${A.project}-none") { totalCount } }`, undefined, asAdmin());
    const strip = (result: GraphQLResult) =>
      JSON.stringify({ ...result.body, extensions: undefined }).replaceAll(`${A.project}-none`, A.project);
    expect(strip(hidden)).toBe(strip(missing));
  });

  it('keep their images out of reach, even by id', async () => {
    const result = await server.gql(`{ image(id: "${A.imageId}") { id } }`, undefined, bearer(keys.on.get(ApiAction.ReadImages)!.B));
    expect(result.body.errors![0]).toMatchObject({
      message: `Image "${A.imageId}" does not exist.`,
      extensions: { code: 'ResourceNotFound' },
    });
  });
});

describe('batches and project settings', () => {
  it('a batch checks each item: the covered project is labelled, the hidden one fails alone', async () => {
    const result = await server.gql(
      'mutation($a: String!, $b: String!, $u: String!) { detectImageLabelsBatch(inputs: [{ projectName: $a, sourceURI: $u }, { projectName: $b, sourceURI: $u }]) { result { image { id } } error { code message } } }',
      { a: A.project, b: B.project, u: IMAGE_URI },
      bearer(keys.on.get(ApiAction.DetectImageLabels)!.A),
    );
    const [covered, hidden] = result.body.data!.detectImageLabelsBatch;
    expect(covered.error).toBeNull();
    expect(covered.result.image.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hidden).toEqual({ result: null, error: { code: 'ResourceNotFound', message: `Project "${B.project}" does not exist.` } });
  });

  it("only the admin key sets a project's rate limit", async () => {
    const key = bearer(keys.on.get(ApiAction.ManageProjects)!.A);
    const refused = await server.gql(
      `mutation { updateProject(input: { name: "${A.project}", queriesPerSecond: 1000000 }) { queriesPerSecond } }`,
      undefined,
      key,
    );
    expect(codeOf(refused)).toBe('AccessDenied');
    const allowed = await server.gql(
      `mutation { updateProject(input: { name: "${A.project}", queriesPerSecond: 500 }) { queriesPerSecond } }`,
    );
    expect(allowed.body.data!.updateProject.queriesPerSecond).toBe(500);
    await server.gql(`mutation { updateProject(input: { name: "${A.project}", queriesPerSecond: 0 }) { queriesPerSecond } }`);
  });
});

describe('API keys', () => {
  it('are shown once, stored only as a hash, and listed without secrets', async () => {
    const created =
      await server.gql(`mutation { createApiKey(input: { name: "shown once", actions: [SearchImages], projectNames: ["${A.project}"] }) {
      key apiKey { id name actions projectNames allProjects status createdAt expiresAt revokedAt } } }`);
    const { key, apiKey } = created.body.data!.createApiKey;
    expect(key).toMatch(/^lg_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      id: keyId(key),
      name: 'shown once',
      actions: ['SearchImages'],
      projectNames: [A.project],
      allProjects: false,
      status: 'ACTIVE',
    });
    const secret = secretOf(key);

    const row = (await pg.query('SELECT * FROM api_keys WHERE id = $1', [apiKey.id])).rows[0];
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    expect(await listedKeyIds()).toContain(apiKey.id);
    const listed = await server.gql(
      `{ apiKey(id: "${apiKey.id}") { id name status } apiKeys(first: 100) { nodes { id name actions projectNames status } } }`,
    );
    expect(listed.body.data!.apiKey).toEqual({ id: apiKey.id, name: 'shown once', status: 'ACTIVE' });
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const me = await server.gql('{ currentApiKey { id actions projectNames lastUsedAt } }', undefined, bearer(key));
    expect(me.body.data!.currentApiKey).toMatchObject({ id: apiKey.id, actions: ['SearchImages'], projectNames: [A.project] });
  });

  it('stop working when revoked, at once, and revoking again changes nothing', async () => {
    const key = await createKey({ actions: [ApiAction.ReadProjects], projectNames: [A.project] });
    const query = `{ project(name: "${A.project}") { name } }`;
    expect((await server.gql(query, undefined, bearer(key))).body.errors).toBeUndefined();
    const revoked = await server.gql(`mutation { revokeApiKey(id: "${keyId(key)}") { status revokedAt } }`);
    expect(revoked.body.data!.revokeApiKey.status).toBe('REVOKED');
    const again = await server.gql(`mutation { revokeApiKey(id: "${keyId(key)}") { status revokedAt } }`);
    expect(again.body.data!.revokeApiKey).toEqual(revoked.body.data!.revokeApiKey);

    const refused = await server.gql(query, undefined, bearer(key));
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0]).toMatchObject({
      message: `The API key ${keyId(key)} has been revoked.`,
      extensions: { code: 'InvalidAccessKeyId' },
    });
    expect(await listedKeyIds()).not.toContain(keyId(key));
    expect(await listedKeyIds(true)).toContain(keyId(key));
  });

  it('stop working when expired', async () => {
    const key = await createKey({
      actions: [ApiAction.ReadProjects],
      projectNames: [A.project],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await server.gql(`{ project(name: "${A.project}") { name } }`, undefined, bearer(key))).body.errors).toBeUndefined();
    const expired = await server.gql(`mutation { expireApiKey(id: "${keyId(key)}") { status expiresAt } }`);
    expect(expired.body.data!.expireApiKey.status).toBe('EXPIRED');
    const refused = await server.gql(`{ project(name: "${A.project}") { name } }`, undefined, bearer(key));
    expect(refused.body.errors![0].extensions.code).toBe('InvalidAccessKeyId');
    expect(refused.body.errors![0].message).toMatch(/expired at/);
  });

  it.each([
    ['a key this server never issued', `lg_0000000000000000_${'A'.repeat(43)}`],
    ['a right id with a wrong secret', () => `lg_${keyId(keys.everything)}_${'B'.repeat(43)}`],
    ['something that is not a key at all', 'hello'],
  ])('refuse %s with 401 InvalidAccessKeyId', async (_label, key) => {
    const result = await server.gql('{ taxonomyVersion }', undefined, bearer(typeof key === 'function' ? key() : key));
    expect(result.status).toBe(401);
    expect(result.body.errors![0]).toMatchObject({
      message: 'The API key is not one this server issued.',
      extensions: { code: 'InvalidAccessKeyId' },
    });
  });

  it('are also accepted in an x-api-key header', async () => {
    const result = await server.gql('{ currentApiKey { id } }', undefined, { authorization: '', 'x-api-key': keys.everything });
    expect(result.body.data!.currentApiKey.id).toBe(keyId(keys.everything));
  });

  it.each([
    ['no actions', { actions: [], projectNames: ['x'] }, 'MissingParameter'],
    ['no projects', { actions: ['SearchImages'] }, 'MissingParameter'],
    ['projects and allProjects', { actions: ['SearchImages'], projectNames: ['x'], allProjects: true }, 'InvalidArgument'],
    ['a bad project name', { actions: ['SearchImages'], projectNames: ['Not A Name'] }, 'InvalidArgument'],
    ['an expiry in the past', { actions: ['SearchImages'], projectNames: ['x'], expiresAt: '2020-01-01T00:00:00Z' }, 'InvalidArgument'],
    ['an unknown action', { actions: ['FlyToTheMoon'], projectNames: ['x'] }, 'InvalidArgument'],
  ])('are refused with %s, and nothing is stored', async (_label, input, code) => {
    const before = Number((await pg.query('SELECT count(*) FROM api_keys')).rows[0].count);
    const result = await server.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }', {
      input: { name: 'bad', ...input },
    });
    expect(codeOf(result)).toBe(code);
    expect(Number((await pg.query('SELECT count(*) FROM api_keys')).rows[0].count)).toBe(before);
  });

  it('schema introspection stays open, so GraphiQL can show the docs before a key is pasted', async () => {
    const result = await server.gql('{ __schema { queryType { name } } }', undefined, anonymous);
    expect(result.body.data!.__schema.queryType.name).toBe('Query');
  });
});

describe('audit log', () => {
  it('records who did what to which project, with the request id, and never a secret', async () => {
    const key = keys.on.get(ApiAction.SearchImages)!.A;
    const allowed = await server.gql(`{ searchImages(projectName: "${A.project}") { totalCount } }`, undefined, bearer(key));
    const denied = await server.gql(`{ searchImages(projectName: "${B.project}") { totalCount } }`, undefined, bearer(key));
    const entries = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.audit);
    const entryFor = (result: GraphQLResult) => entries.find((entry) => entry.requestId === result.body.extensions?.requestId);
    expect(entryFor(allowed)).toMatchObject({
      apiKeyId: keyId(key),
      operation: 'Query.searchImages',
      action: 'SearchImages',
      projects: [A.project],
      outcome: 'ok',
    });
    expect(entryFor(denied)).toMatchObject({
      apiKeyId: keyId(key),
      operation: 'Query.searchImages',
      projects: [B.project],
      outcome: 'ResourceNotFound',
    });

    const everything = logLines.join('\n');
    for (const secret of [adminKey(), ...[...keys.on.values()].flatMap((pair) => [pair.A, pair.B]), keys.everything]) {
      expect(everything).not.toContain(secretOf(secret));
    }
  });
});
