import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { readServicesState } from '../../tools/services/serviceUrls';
import { twoSourcesOf } from '../support/localS3';
import { migrateScratchDatabase } from '../support/scratchMigrations';
import { sharedImage } from '../support/sharedData';
import { bearer, GraphQLResult, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Projects read only the sources they list, end to end: the real gateway, models, Postgres, S3Proxy
// and folders. Project A and project B each list their own profile, bucket and folder; a key that
// may detect in A only tries B's sources (and ones that do not exist) through A.

const s3 = readServicesState().s3!;
const bucketA = `lg-src-a-${process.pid}`;
const bucketB = `lg-src-b-${process.pid}`;
const coffee = readFileSync(sharedImage('photos/coffee.png'));
const A = uniqueName('src-a');
const B = uniqueName('src-b');
const bare = uniqueName('src-none');
const SOURCES = 'sources { allServerSources storageProfiles { profile buckets } fileRoots https }';
const DETECT = 'mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id sourceURI } } }';
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { name ${SOURCES} } }`;
const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { name ${SOURCES} } }`;

let root: string;
let server: TestServer;
let pg: PgClient;
let detectKeyA: string;
let manageKeyA: string;

const grantA = () => ({ storageProfiles: [{ profile: 'alpha', buckets: [bucketA] }], fileRoots: [join(root, 'a')], https: false });
const grantB = () => ({ storageProfiles: [{ profile: 'beta' }], fileRoots: [join(root, 'b')], https: true });

const detectAs = (key: string, input: Record<string, unknown>) => server.gql(DETECT, { input: { projectName: A, ...input } }, bearer(key));
const errorOf = (result: GraphQLResult) => {
  expect(result.body.errors).toHaveLength(1);
  const [error] = result.body.errors!;
  return { code: error.extensions.code, message: error.message };
};
const imagesIn = async (project: string) =>
  Number(
    (await pg.query('SELECT count(*) FROM images i JOIN projects p ON p.id = i.project_id WHERE p.name = $1', [project])).rows[0].count,
  );

async function createKey(input: Record<string, unknown>): Promise<string> {
  const result = await server.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }', {
    input: { name: 'sources test', ...input },
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.createApiKey.key;
}

beforeAll(async () => {
  root = await twoSourcesOf([bucketA, bucketB], ['a', 'b'], 'coffee.png', coffee, 'labelgate-sources-');
  // Two profiles on the same S3Proxy (the "local" one is the default), and https enabled, so only
  // the projects' sources stand between a key and these reads.
  const profile = { endpoint: s3.url, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey };
  server = await startTestServer({
    FILE_ROOTS: root,
    HTTPS_SOURCES_ENABLED: 'true',
    STORAGE_CONFIG: JSON.stringify({ profiles: { alpha: profile, beta: profile } }),
  });
  pg = new PgClient({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
  for (const [name, sources] of [
    [A, grantA()],
    [B, grantB()],
  ] as const) {
    expect((await server.gql(CREATE, { input: { name, sources } })).body.errors).toBeUndefined();
  }
  detectKeyA = await createKey({ actions: ['DetectImageLabels', 'ReadProjects'], projectNames: [A] });
  manageKeyA = await createKey({ actions: ['ManageProjects', 'ReadProjects'], projectNames: [A, bare] });
}, 120_000);

afterAll(async () => {
  for (const name of [A, B, bare]) await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  await pg?.end();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("a key scoped to project A reads A's sources only", () => {
  it("detects from A's profile, bucket and folder", async () => {
    for (const input of [
      { sourceURI: `oss://${bucketA}/coffee.png`, credentialConfig: 'alpha' },
      { sourceURI: `file://${root}/a/coffee.png` },
    ]) {
      const result = await detectAs(detectKeyA, input);
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data!.detectImageLabels.image.sourceURI).toBe(input.sourceURI);
    }
  });

  const refused: [string, () => Record<string, unknown>][] = [
    ["B's profile", () => ({ sourceURI: `oss://${bucketA}/coffee.png`, credentialConfig: 'beta' })],
    ["B's bucket through A's profile", () => ({ sourceURI: `oss://${bucketB}/coffee.png`, credentialConfig: 'alpha' })],
    ["B's bucket through the server's default profile", () => ({ sourceURI: `oss://${bucketB}/coffee.png` })],
    ["B's folder", () => ({ sourceURI: `file://${root}/b/coffee.png` })],
    ['https, which A does not list', () => ({ sourceURI: 'https://example.com/coffee.png' })],
  ];
  it.each(refused)('%s is AccessDenied, and nothing is written', async (_label, input) => {
    const before = await imagesIn(A);
    expect(errorOf(await detectAs(detectKeyA, input())).code).toBe('AccessDenied');
    expect(await imagesIn(A)).toBe(before);
  });

  it('answers the same for sources that exist and sources that do not, naming none', async () => {
    const answers = await Promise.all(
      [
        { sourceURI: `oss://${bucketA}/coffee.png`, credentialConfig: 'beta' },
        { sourceURI: `oss://${bucketA}/coffee.png`, credentialConfig: 'no-such-profile' },
        { sourceURI: `oss://${bucketB}/coffee.png`, credentialConfig: 'alpha' },
        { sourceURI: 'oss://no-such-bucket-anywhere/coffee.png', credentialConfig: 'alpha' },
        { sourceURI: `file://${root}/b/coffee.png` },
        { sourceURI: `file://${root}/b/missing.png` },
        { sourceURI: `file://${root}/c/coffee.png` },
        { sourceURI: 'file:///etc/hostname' },
        { sourceURI: 'https://example.com/coffee.png' },
      ].map(async (input) => errorOf(await detectAs(detectKeyA, input))),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].code).toBe('AccessDenied');
    for (const secret of ['beta', 'alpha', 'local', bucketB, root]) expect(answers[0].message).not.toContain(secret);
  });

  it("a project that lists https passes the project's check (the server's own rules still hold)", async () => {
    const result = await server.gql(DETECT, { input: { projectName: B, sourceURI: 'https://127.0.0.1/coffee.png' } });
    const { code, message } = errorOf(result);
    expect(code).toBe('AccessDenied');
    expect(message).toMatch(/loopback/);
  });
});

describe("projects' sources through createProject and updateProject", () => {
  it('a new project lists no sources unless given, and reads nothing', async () => {
    const created = await server.gql(CREATE, { input: { name: bare } }, bearer(manageKeyA));
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createProject.sources).toEqual({ allServerSources: false, storageProfiles: [], fileRoots: [], https: false });
    for (const sourceURI of [`oss://${bucketA}/coffee.png`, `file://${root}/a/coffee.png`]) {
      expect(errorOf(await server.gql(DETECT, { input: { projectName: bare, sourceURI } })).code).toBe('AccessDenied');
    }
  });

  it('shows sources to keys that may manage the project, and null to the others', async () => {
    const query = `query($n: String!) { project(name: $n) { name ${SOURCES} } }`;
    expect((await server.gql(query, { n: A })).body.data!.project.sources).toEqual({
      allServerSources: false,
      ...grantA(),
      storageProfiles: [{ profile: 'alpha', buckets: [bucketA] }],
    });
    expect((await server.gql(query, { n: A }, bearer(manageKeyA))).body.data!.project.sources.fileRoots).toEqual([join(root, 'a')]);
    const reader = await server.gql(query, { n: A }, bearer(detectKeyA));
    expect(reader.body.errors).toBeUndefined();
    expect(reader.body.data!.project.sources).toBeNull();
  });

  it.each([
    ['a folder outside FILE_ROOTS', { fileRoots: ['/etc'] }],
    ['a relative folder', { fileRoots: ['a'] }],
    ['a bucket name that is not one', { storageProfiles: [{ profile: 'alpha', buckets: ['Not_A_Bucket'] }] }],
  ])('refuses %s, changing nothing', async (_label, sources) => {
    const result = await server.gql(UPDATE, { input: { name: A, sources } }, bearer(manageKeyA));
    expect(errorOf(result).code).toBe('InvalidArgument');
    expect(
      (await server.gql(`query($n: String!) { project(name: $n) { ${SOURCES} } }`, { n: A })).body.data!.project.sources.fileRoots,
    ).toEqual([join(root, 'a')]);
  });

  it('updateProject replaces the sources, and the next detection obeys at once', async () => {
    const input = { sourceURI: `file://${root}/b/coffee.png` };
    expect(errorOf(await detectAs(detectKeyA, input)).code).toBe('AccessDenied');
    const updated = await server.gql(UPDATE, { input: { name: A, sources: { fileRoots: [join(root, 'b')] } } }, bearer(manageKeyA));
    expect(updated.body.data!.updateProject.sources).toEqual({
      allServerSources: false,
      storageProfiles: [],
      fileRoots: [join(root, 'b')],
      https: false,
    });
    try {
      expect((await detectAs(detectKeyA, input)).body.errors).toBeUndefined();
      expect(errorOf(await detectAs(detectKeyA, { sourceURI: `file://${root}/a/coffee.png` })).code).toBe('AccessDenied');
    } finally {
      await server.gql(UPDATE, { input: { name: A, sources: grantA() } });
    }
  });
});

describe('the upgrade', () => {
  it('a project from before it reads every source the server serves', async () => {
    const old = uniqueName('src-old');
    await server.gql(CREATE, { input: { name: old } });
    // What the migration leaves in projects that existed before it.
    await pg.query(`UPDATE projects SET sources = '{"allServerSources":true}' WHERE name = $1`, [old]);
    try {
      for (const sourceURI of [`oss://${bucketB}/coffee.png`, `file://${root}/b/coffee.png`]) {
        expect((await server.gql(DETECT, { input: { projectName: old, sourceURI } })).body.errors).toBeUndefined();
      }
      expect(errorOf(await server.gql(DETECT, { input: { projectName: old, sourceURI: 'file:///etc/hostname' } })).code).toBe(
        'AccessDenied',
      );
    } finally {
      await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: old });
    }
  });

  it('gives projects that existed before it every source the server serves, and later ones none', async () => {
    // Later migrations run too: none may change what the upgrade gave the projects.
    const insert = (name: string) => async (db: PgClient) =>
      db.query(`INSERT INTO projects (id, name, updated_at) VALUES (gen_random_uuid(), $1, now())`, [name]);
    const db = await migrateScratchDatabase('upgrade', '20261210080000_project_sources', { before: insert('old'), after: insert('new') });
    try {
      const { rows } = await db.query(`SELECT name, sources FROM projects ORDER BY name`);
      expect(rows).toEqual([
        { name: 'new', sources: { allServerSources: false, storageProfiles: [], fileRoots: [], https: false } },
        { name: 'old', sources: { allServerSources: true, storageProfiles: [], fileRoots: [], https: false } },
      ]);
    } finally {
      await db.end();
    }
  });
});
