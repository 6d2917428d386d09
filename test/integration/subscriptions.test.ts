import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { sharedDir } from '../support/sharedData';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { adminKey, startTestServer, TestServer, uniqueName } from '../support/testServer';

// Subscriptions over WebSocket (graphql-ws) against the real gateway, models and Postgres: two
// gateway processes' worth of servers share events through Postgres NOTIFY.

const photos = join(sharedDir, 'images', 'photos');
const A = uniqueName('live-a');
const B = uniqueName('live-b');
const LABELED =
  'subscription($p: String!) { imageLabeled(projectName: $p) { projectName imageId labeledAt image { id sourceURI labels(language: EN) { labelId } thumbnailUrl(size: 128) } } }';

let server: TestServer;
let other: TestServer;
let readKeyA: string;
let readKeyB: string;
let searchOnlyKeyA: string;
const clients: Client[] = [];

type Message = { data?: Record<string, any> | null; errors?: { message: string; extensions: { code: string } }[] };

function connect(url: string, key: string | null, extra: Partial<Parameters<typeof createClient>[0]> = {}): Client {
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: true,
    ...extra,
  });
  clients.push(client);
  return client;
}

/** Subscribes and collects what arrives: results, an error, or the close. */
function subscribe(client: Client, query: string, variables: Record<string, unknown>) {
  const received: Message[] = [];
  let failure: unknown = null;
  let done = false;
  const dispose = client.subscribe<Record<string, any>>(
    { query, variables },
    {
      next: (message) => void received.push(message as Message),
      error: (error) => {
        failure = error;
        done = true;
      },
      complete: () => void (done = true),
    },
  );
  return { received, dispose, failure: () => failure, done: () => done };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function detect(projectName: string, photo: string): Promise<string> {
  const result = await server.gql('mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } } }', {
    input: { projectName, sourceURI: `file://${photos}/${photo}` },
  });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.detectImageLabels.image.id;
}

async function createKey(input: Record<string, unknown>): Promise<{ key: string; id: string }> {
  const result = await server.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }', {
    input: { name: 'live', ...input },
  });
  expect(result.body.errors).toBeUndefined();
  return { key: result.body.data!.createApiKey.key, id: result.body.data!.createApiKey.apiKey.id };
}

/** A subscription is running once the server has counted it (the ack comes before that). */
const subscribed = () => new Promise((resolve) => setTimeout(resolve, 300));

beforeAll(async () => {
  const settings = { FILE_ROOTS: photos, SUBSCRIPTION_KEY_RECHECK_SECONDS: '0.5', CORS_ORIGINS: 'http://app.example' };
  server = await startTestServer(settings);
  other = await startTestServer(settings);
  for (const name of [A, B]) {
    expect(
      (
        await server.gql('mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }', {
          input: { name, sources: { fileRoots: [photos] } },
        })
      ).body.errors,
    ).toBeUndefined();
  }
  readKeyA = (await createKey({ actions: ['ReadImages'], projectNames: [A] })).key;
  readKeyB = (await createKey({ actions: ['ReadImages'], projectNames: [B] })).key;
  searchOnlyKeyA = (await createKey({ actions: ['SearchImages'], projectNames: [A] })).key;
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  for (const name of [A, B]) await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: name });
  await other?.close();
  await server?.close();
});

describe('imageLabeled', () => {
  it("delivers the project's newly labelled images, and only those, to a key allowed ReadImages on it", async () => {
    const live = subscribe(connect(server.url, readKeyA), LABELED, { p: A });
    await subscribed();
    const inB = await detect(B, 'coffee.png');
    const inA = await detect(A, 'chelsea.png');
    await until(() => live.received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.received).toHaveLength(1);
    const event = live.received[0].data!.imageLabeled;
    expect(event.projectName).toBe(A);
    expect(event.imageId).toBe(inA);
    expect(event.imageId).not.toBe(inB);
    expect(event.image.sourceURI).toBe(`file://${photos}/chelsea.png`);
    expect(event.image.labels.map((label: { labelId: string }) => label.labelId)).toContain('cat');
    expect(event.image.thumbnailUrl).toMatch(new RegExp(`^${server.url}/images/${inA}/thumbnail\\?size=128&expires=\\d+&sig=`));
    live.dispose();
  });

  it('reaches subscribers of another gateway process (Postgres NOTIFY)', async () => {
    const live = subscribe(connect(other.url, readKeyA), LABELED, { p: A });
    await subscribed();
    const id = await detect(A, 'horse.png');
    await until(() => live.received.length >= 1);
    expect(live.received[0].data!.imageLabeled.imageId).toBe(id);
    live.dispose();
  });

  it.each([
    ['a key for another project: the project does not exist for it', () => readKeyB, () => A, 'ResourceNotFound'],
    ['a key not allowed ReadImages', () => searchOnlyKeyA, () => A, 'AccessDenied'],
    ['the admin key, to a project that does not exist', () => adminKey(), () => 'no-such-project-live', 'ResourceNotFound'],
  ])('%s', async (_label, key, project, code) => {
    const live = subscribe(connect(server.url, key()), LABELED, { p: project() });
    await until(() => live.done() || live.received.length > 0);
    const errors = live.received[0]?.errors ?? (live.failure() as Message['errors']);
    expect(errors![0].extensions.code).toBe(code);
  });

  it('taskProgress of a task the project does not have: ResourceNotFound', async () => {
    const live = subscribe(
      connect(server.url, adminKey()),
      'subscription($p: String!, $t: ID!) { taskProgress(projectName: $p, taskId: $t) { taskId } }',
      { p: A, t: '00000000-0000-4000-8000-000000000000' },
    );
    await until(() => live.done() || live.received.length > 0);
    const errors = live.received[0]?.errors ?? (live.failure() as Message['errors']);
    expect(errors![0].extensions.code).toBe('ResourceNotFound');
  });

  it('refuses a connection without a valid key', async () => {
    for (const key of [null, 'lg_notakey_000000000000000000000000']) {
      const live = subscribe(connect(server.url, key), LABELED, { p: A });
      await until(() => live.done());
      expect((live.failure() as { code: number }).code).toBe(4403);
    }
  });

  it('counts failed connections against the key id, like failed HTTP requests', async () => {
    const { key } = await createKey({ actions: ['ReadImages'], projectNames: [A] });
    const wrong = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    // The default allows 5 failures a second with a 2-second burst: 15 in a row go past it.
    for (let i = 0; i < 15; i += 1) {
      const live = subscribe(connect(server.url, wrong), LABELED, { p: A });
      await until(() => live.done());
    }
    // The very first HTTP request with that wrong key is already refused for the failures over WebSocket.
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${wrong}` },
      body: JSON.stringify({ query: '{ suggestLabels(prefix: "cat") { matched } }' }),
    });
    expect(response.status).toBe(429);
    expect(((await response.json()) as Message).errors![0].extensions.code).toBe('Throttling');
  });

  it('ends when the key is revoked', async () => {
    const { key, id } = await createKey({ actions: ['ReadImages'], projectNames: [A] });
    const live = subscribe(connect(server.url, key), LABELED, { p: A });
    await subscribed();
    expect(live.done()).toBe(false);
    expect((await server.gql('mutation($id: ID!) { revokeApiKey(id: $id) { status } }', { id })).body.errors).toBeUndefined();
    await until(() => live.done(), 10_000);
    expect((live.failure() as { code: number }).code).toBe(4401);
  });

  it("keeps queries' shape limits", async () => {
    const aliases = `subscription($p: String!) { imageLabeled(projectName: $p) { ${Array.from({ length: 20 }, (_, i) => `a${i}: imageId`).join(' ')} } }`;
    const live = subscribe(connect(server.url, readKeyA), aliases, { p: A });
    await until(() => live.done());
    expect((live.failure() as Message['errors'])![0].extensions.code).toBe('LimitExceeded');
  });
});

describe('taskProgress', () => {
  // A database of its own: every test gateway on the shared test database runs task workers too,
  // with its own FILE_ROOTS, and one of those could take this task's jobs (a deployment's workers
  // share one configuration; test files do not).
  let taskServer: TestServer;
  beforeAll(async () => {
    taskServer = await startTestServer({ FILE_ROOTS: photos, DATABASE_URL: await isolatedDatabase('live_tasks') });
  }, 120_000);
  afterAll(() => taskServer?.close());

  it("follows a task to its end, and the task's images arrive on imageLabeled", async () => {
    const server = taskServer;
    const C = uniqueName('live-task');
    expect(
      (
        await server.gql('mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }', {
          input: { name: C, sources: { fileRoots: [photos] } },
        })
      ).body.errors,
    ).toBeUndefined();
    try {
      const client = connect(server.url, adminKey());
      const labeled = subscribe(client, LABELED, { p: C });
      await subscribed();
      const created = await server.gql(
        'mutation($input: CreateDetectImageLabelsTaskInput!) { createDetectImageLabelsTask(input: $input) { taskId total } }',
        {
          input: { projectName: C, sourceURI: `file://${photos}/` },
        },
      );
      expect(created.body.errors).toBeUndefined();
      const { taskId } = created.body.data!.createDetectImageLabelsTask;
      const progress = subscribe(
        client,
        'subscription($p: String!, $t: ID!) { taskProgress(projectName: $p, taskId: $t) { taskId state progress total succeeded failed skipped code message } }',
        { p: C, t: taskId },
      );
      const last = () => progress.received.at(-1)?.data?.taskProgress;
      await until(() => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(last()?.state), 120_000);
      const photoCount = readdirSync(photos).filter((f) => /\.(jpe?g|png)$/i.test(f)).length;
      expect(last()).toMatchObject({
        taskId,
        state: 'SUCCEEDED',
        progress: 100,
        total: photoCount,
        succeeded: photoCount,
        failed: 0,
        skipped: 0,
        code: null,
      });
      const counts = progress.received.map((m) => m.data!.taskProgress.succeeded as number);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      await until(() => labeled.received.length >= photoCount);
      expect(new Set(labeled.received.map((m) => m.data!.imageLabeled.image.sourceURI)).size).toBe(photoCount);
      progress.dispose();
      labeled.dispose();
    } finally {
      await server.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: C });
    }
  }, 180_000);
});

describe('the WebSocket handshake', () => {
  const handshake = (origin: string | undefined) =>
    new Promise<number>((resolve) => {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws', origin ? { origin } : {});
      socket.on('open', () => {
        socket.close();
        resolve(101);
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('error', () => resolve(0));
    });

  it("lets the gateway's own pages, CORS_ORIGINS and non-browser clients connect; other origins are refused", async () => {
    expect(await handshake(undefined)).toBe(101);
    expect(await handshake(server.url)).toBe(101);
    expect(await handshake('http://app.example')).toBe(101);
    expect(await handshake('http://evil.example')).toBe(401);
  });
});

describe('over HTTP', () => {
  it('a subscription sent as a POST is refused: InvalidArgument, saying where subscriptions run', async () => {
    const result = await server.gql(LABELED, { p: A }, { authorization: `Bearer ${adminKey()}` });
    expect(result.status).toBe(400);
    expect(result.body.errors![0].extensions.code).toBe('InvalidArgument');
    expect(result.body.errors![0].message).toMatch(/WebSocket/);
  });
});
