import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import { closedPort } from '../support/net';
import { startTestServer, TestServer } from '../support/testServer';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('request ids', () => {
  it('every response carries one, in the header and in extensions', async () => {
    const ok = await server.gql('{ projects(first: 1) { totalCount } }');
    const id = ok.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9A-F-]{36}$/);
    expect(ok.body.extensions?.requestId).toBe(id);

    const failed = await server.gql('{ project(name: "nope-nope") { name } }');
    expect(failed.body.extensions?.requestId).toBe(failed.headers.get('x-request-id'));
    expect(failed.body.extensions?.requestId).not.toBe(id);
  });

  it("keeps a caller's own id", async () => {
    const result = await server.gql('{ projects { totalCount } }', undefined, { 'x-request-id': 'caller-trace-0001' });
    expect(result.headers.get('x-request-id')).toBe('caller-trace-0001');
    expect(result.body.extensions?.requestId).toBe('caller-trace-0001');
  });

  it('replaces an unsafe incoming id', async () => {
    const result = await server.gql('{ projects { totalCount } }', undefined, { 'x-request-id': 'bad id <script>' });
    expect(result.headers.get('x-request-id')).toMatch(/^[0-9A-F-]{36}$/);
  });
});

describe('malformed requests', () => {
  it.each([
    ['a syntax error', '{ projects { ', 'InvalidArgument'],
    ['an unknown field', '{ nothingHere }', 'InvalidArgument'],
    ['a missing argument', '{ project { name } }', 'MissingParameter'],
  ])('%s gets an IMM code', async (_label, query, code) => {
    const result = await server.gql(query);
    expect(result.body.errors![0].extensions.code).toBe(code);
  });

  it('a body that is not JSON is InvalidArgument', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[]; extensions: { requestId: string } };
    expect(response.status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('InvalidArgument');
    expect(body.extensions.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('an oversized body is LimitExceeded', async () => {
    const query = `{ projects { totalCount } } # ${'x'.repeat(1_100_000)}`;
    const result = await server.gql(query);
    expect(result.status).toBe(413);
    expect(result.body.errors![0].extensions.code).toBe('LimitExceeded');
  });
});

describe('health', () => {
  it('/healthz answers while the process is up', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is ready when Postgres and Elasticsearch answer', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { postgres: { ok: true }, elasticsearch: { ok: true } } });
  });
});

describe('with Postgres unreachable', () => {
  let broken: TestServer;
  beforeAll(async () => {
    broken = await startTestServer({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${await closedPort()}/labelgate_test` });
  });
  afterAll(async () => {
    await broken.close();
  });

  it('/readyz says not ready, naming which dependency failed and nothing more', async () => {
    const response = await fetch(`${broken.url}/readyz`);
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'not ready', checks: { postgres: { ok: false }, elasticsearch: { ok: true } } });
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|postgresql:/);
  });

  it('queries fail with ServiceUnavailable and no driver or SQL text', async () => {
    const result = await broken.gql('{ projects { totalCount } }');
    expect(result.body.errors![0].extensions.code).toBe('ServiceUnavailable');
    expect(result.body.errors![0].message).toMatch(/try again/);
    expect(result.body.extensions?.requestId).toBe(result.headers.get('x-request-id'));
    expect(JSON.stringify(result.body)).not.toMatch(/ECONNREFUSED|prisma|SELECT|stack/i);
  });
});

describe('starting on a port in use', () => {
  it('stops with one sentence naming the port, and nothing else on stderr', async () => {
    const port = new URL(server.url).port;
    // The built server (`npm test` builds it) as `npm start` runs it, on the port this test's server holds.
    const child = spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
      env: { ...process.env, ROLE: 'api', HOST: '127.0.0.1', PORT: port },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `Labelgate failed to start: port ${port} on 127.0.0.1 is already in use: stop what listens there, or set PORT to another port.\n`,
    );
  });
});
