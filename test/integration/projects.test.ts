import { Client as PgClient } from 'pg';
import { GraphQLResult, startTestServer, TestServer, uniqueName } from '../support/testServer';

const PROJECT_FIELDS = 'id name description defaultThreshold imageCount createdAt updatedAt';
const CREATE = `mutation($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT_FIELDS} } }`;
const GET = `query($name: String!) { project(name: $name) { ${PROJECT_FIELDS} } }`;
const UPDATE = `mutation($input: UpdateProjectInput!) { updateProject(input: $input) { ${PROJECT_FIELDS} } }`;
const DELETE = `mutation($name: String!) { deleteProject(name: $name) { name } }`;
const LIST = `query($first: Int, $after: String) { projects(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } nodes { name } } }`;

let server: TestServer;
let pg: PgClient;

beforeAll(async () => {
  server = await startTestServer();
  pg = new PgClient({ connectionString: process.env.DATABASE_URL });
  await pg.connect();
});

afterAll(async () => {
  await pg.end();
  await server.close();
});

const projectCount = async () => Number((await pg.query('SELECT count(*) FROM projects')).rows[0].count);

describe('projects over GraphQL, stored in the real Postgres', () => {
  it('creates, reads, updates and deletes a project', async () => {
    const name = uniqueName('crud');
    const created = await server.gql(CREATE, { input: { name, description: 'holiday photos', defaultThreshold: 0.7 } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data!.createProject).toMatchObject({ name, description: 'holiday photos', defaultThreshold: 0.7, imageCount: 0 });

    const row = await pg.query('SELECT name, description, default_threshold FROM projects WHERE name = $1', [name]);
    expect(row.rows).toEqual([{ name, description: 'holiday photos', default_threshold: 0.7 }]);

    const read = await server.gql(GET, { name });
    expect(read.body.data!.project.id).toBe(created.body.data!.createProject.id);

    const updated = await server.gql(UPDATE, { input: { name, defaultThreshold: 0.25 } });
    expect(updated.body.data!.updateProject).toMatchObject({ name, description: 'holiday photos', defaultThreshold: 0.25 });
    expect(new Date(updated.body.data!.updateProject.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(created.body.data!.createProject.updatedAt).getTime(),
    );

    const deleted = await server.gql(DELETE, { name });
    expect(deleted.body.data!.deleteProject.name).toBe(name);
    const gone = await server.gql(GET, { name });
    expect(gone.body.errors![0].extensions.code).toBe('ResourceNotFound');
  });

  it('uses the server default threshold when none is given', async () => {
    const name = uniqueName('default-threshold');
    const created = await server.gql(CREATE, { input: { name } });
    expect(created.body.data!.createProject).toMatchObject({ defaultThreshold: 0.5, description: '' });
    await server.gql(DELETE, { name });
  });

  it('deleting a project deletes its images', async () => {
    const name = uniqueName('cascade');
    const created = await server.gql(CREATE, { input: { name } });
    const projectId = created.body.data!.createProject.id;
    const image = (uri: string) =>
      pg.query(
        `INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, detected_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, repeat('0', 64), 1, 1, 'png', 1, 'm', 't', now(), now())`,
        [projectId, uri],
      );
    await image('file:///a.jpg');
    await image('file:///b.jpg');
    expect((await server.gql(GET, { name })).body.data!.project.imageCount).toBe(2);

    // What was deleted: the project with the images that went with it.
    const deleted = await server.gql(`mutation($name: String!) { deleteProject(name: $name) { name imageCount } }`, { name });
    expect(deleted.body.data!.deleteProject).toEqual({ name, imageCount: 2 });
    const images = await pg.query('SELECT count(*) FROM images WHERE project_id = $1', [projectId]);
    expect(Number(images.rows[0].count)).toBe(0);
    // ...and their search documents are queued for removal in the same transaction.
    const queued = await pg.query(`SELECT count(*) FROM outbox_events WHERE project_id = $1 AND operation = 'delete'`, [projectId]);
    expect(Number(queued.rows[0].count)).toBe(2);
  });

  it('pages through every project once, in name order, with stable cursors', async () => {
    const stem = uniqueName('page');
    const names = Array.from({ length: 7 }, (_, i) => `${stem}-${i}`);
    for (const name of names) await server.gql(CREATE, { input: { name } });

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const countBefore = await projectCount();
      const result: GraphQLResult = await server.gql(LIST, { first: 3, after });
      const countAfter = await projectCount();
      expect(result.body.errors).toBeUndefined();
      const connection = result.body.data!.projects;
      expect(connection.nodes.map((n: { name: string }) => n.name)).toEqual(
        connection.edges.map((e: { node: { name: string } }) => e.node.name),
      );
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
      // Other test files create and delete projects meanwhile: compared when none did during the request.
      if (countBefore === countAfter) expect(connection.totalCount).toBe(countAfter);
      seen.push(...connection.nodes.map((n: { name: string }) => n.name));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 100);

    const ours = seen.filter((n) => n.startsWith(stem));
    expect(ours).toEqual(names);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    for (const name of names) await server.gql(DELETE, { name });
  });
});

describe('bad input gets an IMM code and changes nothing', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['empty name', CREATE, { input: { name: '' } }, 'MissingParameter'],
    ['overlong name', CREATE, { input: { name: 'a'.repeat(129) } }, 'InvalidArgument'],
    ['upper case name', CREATE, { input: { name: 'Photos' } }, 'InvalidArgument'],
    ['underscore in name', CREATE, { input: { name: 'my_photos' } }, 'InvalidArgument'],
    ['threshold above 1', CREATE, { input: { name: 'ok-name-threshold', defaultThreshold: 1.5 } }, 'InvalidArgument'],
    ['negative threshold', CREATE, { input: { name: 'ok-name-negative', defaultThreshold: -0.5 } }, 'InvalidArgument'],
    ['overlong description', CREATE, { input: { name: 'ok-name-description', description: 'd'.repeat(1025) } }, 'InvalidArgument'],
    ['name missing from input', CREATE, { input: {} }, 'MissingParameter'],
    ['wrong type', CREATE, { input: { name: 42 } }, 'InvalidArgument'],
    ['unknown project', GET, { name: 'no-such-project-anywhere' }, 'ResourceNotFound'],
    ['update of unknown project', UPDATE, { input: { name: 'no-such-project-anywhere', description: 'x' } }, 'ResourceNotFound'],
    ['delete of unknown project', DELETE, { name: 'no-such-project-anywhere' }, 'ResourceNotFound'],
    ['malformed cursor', LIST, { after: 'definitely-not-a-cursor' }, 'InvalidArgument'],
    ['page size too large', LIST, { first: 1000 }, 'InvalidArgument'],
    ['page size zero', LIST, { first: 0 }, 'InvalidArgument'],
  ];

  // The projects these requests name: other test files create and delete projects of their own
  // meanwhile, so only these are counted.
  const named = [...new Set(cases.map(([, , v]) => JSON.stringify(v).match(/"name":"([^"]*)"/)?.[1] ?? ''))];
  const namedCount = async () => Number((await pg.query('SELECT count(*) FROM projects WHERE name = ANY($1)', [named])).rows[0].count);

  it.each(cases)('%s', async (_label, query, variables, code) => {
    expect(await namedCount()).toBe(0);
    const result = await server.gql(query, variables);
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0].extensions.code).toBe(code);
    expect(result.body.errors![0].message).not.toMatch(/prisma|SELECT|INSERT|at .*\.ts:\d+/i);
    expect(await namedCount()).toBe(0);
  });

  it('a duplicate name is ResourceAlreadyExists and leaves the first project as it was', async () => {
    const name = uniqueName('dup');
    await server.gql(CREATE, { input: { name, description: 'first' } });
    const again = await server.gql(CREATE, { input: { name, description: 'second' } });
    expect(again.body.errors![0].extensions.code).toBe('ResourceAlreadyExists');
    expect(Number((await pg.query('SELECT count(*) FROM projects WHERE name = $1', [name])).rows[0].count)).toBe(1);
    expect((await server.gql(GET, { name })).body.data!.project.description).toBe('first');
    await server.gql(DELETE, { name });
  });

  it('an invalid update changes nothing', async () => {
    const name = uniqueName('bad-update');
    await server.gql(CREATE, { input: { name, description: 'kept', defaultThreshold: 0.4 } });
    const result = await server.gql(UPDATE, { input: { name, description: 'changed', defaultThreshold: 7 } });
    expect(result.body.errors![0].extensions.code).toBe('InvalidArgument');
    expect((await server.gql(GET, { name })).body.data!.project).toMatchObject({ description: 'kept', defaultThreshold: 0.4 });
    await server.gql(DELETE, { name });
  });
});
