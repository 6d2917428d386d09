import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { adminKey, bearer, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Bad input across the whole API: each gets a clear IMM code (never InternalError), a client-error
// HTTP status, the request id in the body, and writes nothing.
let server: TestServer;
let pg: PgClient;
let root: string;
const project = uniqueName('bad-input');
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'labelgate-bad-input-'));
  execFileSync('mkfifo', [join(root, 'pipe.jpg')]);
  server = await startTestServer({ FILE_ROOTS: root });
  pg = new PgClient({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  const created = await server.gql(
    'mutation($n: String!, $r: String!) { createProject(input: { name: $n, sources: { fileRoots: [$r] } }) { name } }',
    { n: project, r: root },
  );
  expect(created.body.errors).toBeUndefined();
});

afterAll(async () => {
  await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await pg.end();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const CREATE_PROJECT = 'mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }';
const UPDATE_PROJECT = 'mutation($input: UpdateProjectInput!) { updateProject(input: $input) { name } }';
const PROJECT = 'query($name: String!) { project(name: $name) { name } }';
const PROJECTS = 'query($after: String) { projects(after: $after) { totalCount } }';
const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }';
const API_KEY = 'query($id: ID!) { apiKey(id: $id) { id } }';
const API_KEYS = 'query($after: String, $first: Int) { apiKeys(after: $after, first: $first) { totalCount } }';
const EXPIRE_KEY = 'mutation($id: ID!, $at: DateTimeISO) { expireApiKey(id: $id, at: $at) { id } }';
const REVOKE_KEY = 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }';
const IMAGE = 'query($id: ID!) { image(id: $id) { id } }';
const DELETE_IMAGE = 'mutation($id: ID!) { deleteImage(id: $id) { id } }';
const IMAGES = 'query($p: String!, $after: String, $first: Int) { images(projectName: $p, after: $after, first: $first) { totalCount } }';
const LABEL = 'query($id: ID, $name: String) { label(id: $id, name: $name) { id } }';
const SUGGEST = 'query($prefix: String!, $limit: Int! = 10) { suggestLabels(prefix: $prefix, limit: $limit) { id } }';
const TAXONOMY =
  'query($level: Int, $after: String, $parentId: ID) { labelTaxonomy(level: $level, after: $after, parentId: $parentId) { totalCount } }';
const SEARCH = `query($p: String!, $text: String, $after: String, $facetSize: Int, $first: Int, $filter: SearchImagesFilter) {
  searchImages(projectName: $p, text: $text, after: $after, facetSize: $facetSize, first: $first, filter: $filter) { totalCount } }`;
const STATS = 'query($p: String!) { labelStats(projectName: $p) { count } }';
const DETECT = 'mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { requestId } }';
const BATCH = 'mutation($inputs: [DetectImageLabelsInput!]!) { detectImageLabelsBatch(inputs: $inputs) { error { code } } }';

const detect = (extra: Record<string, unknown>) => ({ input: { projectName: project, sourceURI: `file://${root}/none.jpg`, ...extra } });
const keyInput = (extra: Record<string, unknown>) => ({
  input: { name: 'bad-input key', actions: ['SearchImages'], projectNames: [project], ...extra },
});

const cases: [string, string, () => Record<string, unknown>, string][] = [
  [
    'NUL in a project description',
    CREATE_PROJECT,
    () => ({ input: { name: uniqueName('nul-desc'), description: NUL } }),
    'InvalidArgument',
  ],
  [
    'a lone surrogate in a project description',
    CREATE_PROJECT,
    () => ({ input: { name: uniqueName('lone-desc'), description: LONE } }),
    'InvalidArgument',
  ],
  ['NUL in a project name', CREATE_PROJECT, () => ({ input: { name: NUL } }), 'InvalidArgument'],
  [
    'a lone surrogate in an updated description',
    UPDATE_PROJECT,
    () => ({ input: { name: project, description: LONE } }),
    'InvalidArgument',
  ],
  [
    'a negative project rate limit',
    CREATE_PROJECT,
    () => ({ input: { name: uniqueName('qps'), queriesPerSecond: -3 } }),
    'InvalidArgument',
  ],
  ['NUL in a project lookup', PROJECT, () => ({ name: NUL }), 'InvalidArgument'],
  ['a projects cursor of the wrong shape', PROJECTS, () => ({ after: cursor({ name: 5 }) }), 'InvalidArgument'],
  ['NUL in an API key name', CREATE_KEY, () => keyInput({ name: NUL }), 'InvalidArgument'],
  ['a lone surrogate in an API key name', CREATE_KEY, () => keyInput({ name: LONE }), 'InvalidArgument'],
  ['an API key expiring in year 0000', CREATE_KEY, () => keyInput({ expiresAt: '0000-01-01T00:00:00Z' }), 'InvalidArgument'],
  ['an API key expiring at no date', CREATE_KEY, () => keyInput({ expiresAt: 'not a date' }), 'InvalidArgument'],
  ['an API key expiring in the past', CREATE_KEY, () => keyInput({ expiresAt: '2001-01-01T00:00:00Z' }), 'InvalidArgument'],
  ['an API key with no actions', CREATE_KEY, () => keyInput({ actions: [] }), 'MissingParameter'],
  ['an API key with an unknown action', CREATE_KEY, () => keyInput({ actions: ['FLY'] }), 'InvalidArgument'],
  ['an API key for a malformed project name', CREATE_KEY, () => keyInput({ projectNames: ['Not_A_Name'] }), 'InvalidArgument'],
  ['an API key with neither projects nor allProjects', CREATE_KEY, () => keyInput({ projectNames: null }), 'MissingParameter'],
  ['NUL in an API key id', API_KEY, () => ({ id: NUL }), 'InvalidArgument'],
  ['an unknown API key id', API_KEY, () => ({ id: 'nosuchkey0000000' }), 'ResourceNotFound'],
  ['a forged apiKeys cursor (not a date)', API_KEYS, () => ({ after: cursor({ createdAt: 'not a date', id: 'x' }) }), 'InvalidArgument'],
  [
    'an apiKeys cursor with a forged id',
    API_KEYS,
    () => ({ after: cursor({ createdAt: '2026-01-01T00:00:00.000Z', id: "x' OR 1=1" }) }),
    'InvalidArgument',
  ],
  ['an apiKeys page of 0', API_KEYS, () => ({ first: 0 }), 'InvalidArgument'],
  ['expiring an API key in year 0000', EXPIRE_KEY, () => ({ id: 'nosuchkey0000000', at: '0000-01-01T00:00:00Z' }), 'InvalidArgument'],
  ['revoking an unknown API key', REVOKE_KEY, () => ({ id: 'nosuchkey0000000' }), 'ResourceNotFound'],
  ['NUL in an image id', IMAGE, () => ({ id: NUL }), 'InvalidArgument'],
  ['an image id that is no UUID', IMAGE, () => ({ id: 'not-a-uuid' }), 'ResourceNotFound'],
  ['a lone surrogate in an image id to delete', DELETE_IMAGE, () => ({ id: LONE }), 'InvalidArgument'],
  [
    'a forged images cursor (not a date)',
    IMAGES,
    () => ({ p: project, after: cursor({ createdAt: 'not a date', id: 'x' }) }),
    'InvalidArgument',
  ],
  [
    'an images cursor whose id is no UUID',
    IMAGES,
    () => ({ p: project, after: cursor({ createdAt: '2026-01-01T00:00:00.000Z', id: 'x' }) }),
    'InvalidArgument',
  ],
  [
    'an images cursor in year 0000',
    IMAGES,
    () => ({ p: project, after: cursor({ createdAt: '0000-01-01T00:00:00.000Z', id: '00000000-0000-0000-0000-000000000000' }) }),
    'InvalidArgument',
  ],
  ['a negative images page', IMAGES, () => ({ p: project, first: -1 }), 'InvalidArgument'],
  ['images of an unknown project', IMAGES, () => ({ p: 'no-such-project-bad-input' }), 'ResourceNotFound'],
  ['a label by both id and name', LABEL, () => ({ id: 'cat', name: 'cat' }), 'InvalidArgument'],
  ['NUL in a label name', LABEL, () => ({ name: NUL }), 'InvalidArgument'],
  ['NUL in a suggestion prefix', SUGGEST, () => ({ prefix: NUL }), 'InvalidArgument'],
  ['a suggestion limit of 0', SUGGEST, () => ({ prefix: 'ca', limit: 0 }), 'InvalidArgument'],
  ['a taxonomy level of 7', TAXONOMY, () => ({ level: 7 }), 'InvalidArgument'],
  ['a taxonomy cursor of another listing', TAXONOMY, () => ({ after: cursor({ id: 'no-such-label-anywhere' }) }), 'InvalidArgument'],
  ['an unknown taxonomy parent', TAXONOMY, () => ({ parentId: 'no-such-label-anywhere' }), 'ResourceNotFound'],
  ['NUL in search text', SEARCH, () => ({ p: project, text: NUL }), 'InvalidArgument'],
  ['a lone surrogate in search text', SEARCH, () => ({ p: project, text: LONE }), 'InvalidArgument'],
  ['a search cursor that is no cursor', SEARCH, () => ({ p: project, after: 'garbage!' }), 'InvalidArgument'],
  ['a facet size of 0', SEARCH, () => ({ p: project, facetSize: 0 }), 'InvalidArgument'],
  ['a search page of 1000', SEARCH, () => ({ p: project, first: 1000 }), 'InvalidArgument'],
  [
    'a search filter with an unknown label',
    SEARCH,
    () => ({ p: project, filter: { allOf: ['no-such-label-anywhere-x'] } }),
    'InvalidArgument',
  ],
  ['a search of an unknown project', SEARCH, () => ({ p: 'no-such-project-bad-input' }), 'ResourceNotFound'],
  ['label stats of an unknown project', STATS, () => ({ p: 'no-such-project-bad-input' }), 'ResourceNotFound'],
  ['a malformed %-escape in a file:// URI', DETECT, () => detect({ sourceURI: `file://${root}/%E0%A4%A.jpg` }), 'InvalidArgument'],
  ['a malformed %-escape in an oss:// URI', DETECT, () => detect({ sourceURI: 'oss://some-bucket/%E0%A4%A.jpg' }), 'InvalidArgument'],
  ['a lone surrogate in a sourceURI', DETECT, () => detect({ sourceURI: `file://${root}/${LONE}.jpg` }), 'InvalidArgument'],
  ['a FIFO under FILE_ROOTS', DETECT, () => detect({ sourceURI: `file://${root}/pipe.jpg` }), 'InvalidArgument'],
  ['a folder under FILE_ROOTS', DETECT, () => detect({ sourceURI: `file://${root}` }), 'InvalidArgument'],
  ['NUL in a credentialConfig', DETECT, () => detect({ credentialConfig: NUL }), 'InvalidArgument'],
  ['an empty batch item list item', BATCH, () => ({ inputs: [{ projectName: project }] }), 'MissingParameter'],
];

// What these requests could write: keys of their name, and projects of this worker's names (other
// test files write their own meanwhile).
const written = async () =>
  (
    await pg.query(
      'SELECT (SELECT count(*) FROM api_keys WHERE name = $1) AS keys, (SELECT count(*) FROM projects WHERE name LIKE $2) AS projects',
      ['bad-input key', `%-${process.pid.toString(36)}-%`],
    )
  ).rows[0];

describe('bad input through GraphQL: a clear code with the request id, nothing written', () => {
  it.each(cases)('%s', async (_label, query, variables, code) => {
    const before = await written();
    const result = await server.gql(query, variables());
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0].extensions.code).toBe(code);
    expect(result.status).toBeLessThan(500);
    expect(result.body.extensions?.requestId).toBe(result.headers.get('x-request-id'));
    expect(JSON.stringify(result.body.errors)).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts:\d+/i);
    expect(await written()).toEqual(before);
  });
});

describe('requests the HTTP parser refuses', () => {
  /** Sends raw bytes and reads the whole answer (the server closes the connection after it). */
  const raw = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.end(bytes));
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  const parsed = (answer: string) => {
    const [head, body] = answer.split('\r\n\r\n');
    const json = JSON.parse(body) as { errors: { extensions: { code: string } }[]; extensions: { requestId: string } };
    expect(head).toContain(`X-Request-Id: ${json.extensions.requestId}`);
    return { status: Number(head.split(' ')[1]), code: json.errors[0].extensions.code };
  };

  it('headers over the size limit: 431 LimitExceeded as JSON with a request id, not an empty answer', async () => {
    const answer = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'k'.repeat(20_000)}\r\n\r\n`);
    expect(parsed(answer)).toEqual({ status: 431, code: 'LimitExceeded' });
  });

  it('a request line that is no HTTP: 400 InvalidArgument as JSON', async () => {
    expect(parsed(await raw('HELLO THERE\r\n\r\n'))).toEqual({ status: 400, code: 'InvalidArgument' });
  });
});

describe('a long argument quoted in an error', () => {
  it('comes back cut to about a thousand characters, not whole', async () => {
    const result = await server.gql(LABEL, { name: '狗'.repeat(200_000) });
    expect(result.body.errors![0].extensions.code).toBe('ResourceNotFound');
    const { message } = result.body.errors![0];
    expect(message.length).toBeLessThan(1100);
    expect(message).toMatch(/more characters left out\)$/);
  });
});

describe('malformed requests are client errors (400) carrying the request id', () => {
  const post = async (body: string, contentType = 'application/json') => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...bearer(adminKey()) },
      body,
    });
    return {
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      body: (await response.json()) as { errors: { extensions: { code: string } }[]; extensions?: { requestId?: string } },
    };
  };

  it.each([
    ['a syntax error', JSON.stringify({ query: '{ projects( }' }), 'InvalidArgument'],
    [
      'a query over the token limit',
      JSON.stringify({ query: `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: taxonomyVersion`).join(' ')} }` }),
      'LimitExceeded',
    ],
    ['an unknown operationName', JSON.stringify({ query: 'query A { taxonomyVersion }', operationName: 'B' }), 'InvalidArgument'],
    [
      'two operations and no operationName',
      JSON.stringify({ query: 'query A { taxonomyVersion } query B { taxonomyVersion }' }),
      'InvalidArgument',
    ],
    ['a body that is no JSON', '{"query": ', 'InvalidArgument'],
    ['no query at all', JSON.stringify({ variables: {} }), 'InvalidArgument'],
    ['variables that are no object', JSON.stringify({ query: '{ taxonomyVersion }', variables: [1, 2] }), 'InvalidArgument'],
    ['an unknown field', JSON.stringify({ query: '{ noSuchField }' }), 'InvalidArgument'],
    [
      'a variable of the wrong type',
      JSON.stringify({ query: 'query($n: String!) { project(name: $n) { name } }', variables: { n: { a: 1 } } }),
      'InvalidArgument',
    ],
    // 20 KB: nested far deeper than any argument, and than a recursive walk of it could go.
    [
      'variables nested 10,000 deep',
      `{"query":"{ taxonomyVersion }","variables":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`,
      'InvalidArgument',
    ],
    [
      'a list literal nested 5,000 deep',
      JSON.stringify({ query: `{ taxonomyVersion(x: ${'['.repeat(5000)}${']'.repeat(5000)}) }` }),
      'LimitExceeded',
    ],
  ])('%s', async (_label, body, code) => {
    const result = await post(body);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect(result.body.errors[0].extensions.code).toBe(code);
    expect(result.body.extensions?.requestId).toBe(result.requestId);
  });
});
