import { adminKey, bearer, startTestServer, TestServer } from '../support/testServer';

const ALLOWED = 'http://app.example:5173';
const REFUSED = 'http://evil.example';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ CORS_ORIGINS: `${ALLOWED}, https://other.example` });
});
afterAll(async () => {
  await server.close();
});

const preflight = (origin: string) =>
  fetch(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

const post = (origin: string, headers: Record<string, string>, body: string) =>
  fetch(`${server.url}/graphql`, { method: 'POST', headers: { origin, ...bearer(adminKey()), ...headers }, body });

describe('CORS', () => {
  it('a preflight from an allowed origin may send authorization and content-type', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-headers')?.split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type']),
    );
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a preflight from another origin gets no allowance, so its browser blocks the request', async () => {
    const response = await preflight(REFUSED);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('answers from an allowed origin are readable, with x-request-id exposed', async () => {
    const response = await post(
      ALLOWED,
      { 'content-type': 'application/json' },
      JSON.stringify({ query: '{ projects(first: 1) { totalCount } }' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers to a refused origin carry no allowance', async () => {
    const response = await post(
      REFUSED,
      { 'content-type': 'application/json' },
      JSON.stringify({ query: '{ projects(first: 1) { totalCount } }' }),
    );
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention: a simple (preflight-free) POST is refused even from an allowed origin', async () => {
    const response = await post(
      ALLOWED,
      { 'content-type': 'text/plain' },
      JSON.stringify({ query: '{ projects(first: 1) { totalCount } }' }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it('no origin is allowed by default', async () => {
    const plain = await startTestServer();
    try {
      const response = await fetch(`${plain.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });
});
