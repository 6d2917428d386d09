import { readFileSync } from 'node:fs';
import { ApiError } from '../../src/api/errors';
import { HttpsSource } from '../../src/storage/httpsSource';
import { selfSignedCertificate, startLocalTlsServer } from '../support/localTls';
import { sharedImage } from '../support/sharedData';

// https sources end to end against a local TLS server that stands in for the internet: only these
// tests exempt its address from the public-address rule and resolve the host name to it.
const HOST = 'images.test';
const coffee = readFileSync(sharedImage('photos/coffee.png'));
const certificate = selfSignedCertificate([HOST]);
let local: Awaited<ReturnType<typeof startLocalTlsServer>>;
let base: string;

const source = (overrides: { timeoutMs?: number; maxBytes?: number } = {}) =>
  new HttpsSource({
    enabled: true,
    timeoutMs: overrides.timeoutMs ?? 3000,
    maxBytes: overrides.maxBytes ?? 20 * 1024 * 1024,
    testing: {
      allowAddresses: ['127.0.0.1'],
      resolve: async (host) => (host === HOST ? [{ address: '127.0.0.1', family: 4 }] : []),
      ca: certificate.cert,
    },
  });

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the read to fail');
};

beforeAll(async () => {
  local = await startLocalTlsServer(certificate, (req, res) => {
    const path = req.url ?? '/';
    if (path === '/coffee.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(coffee);
    if (path === '/moved') return res.writeHead(302, { location: '/coffee.png' }).end();
    if (path === '/malformed') return res.writeHead(302, { location: 'https://[not-an-address/x' }).end();
    if (path === '/to-private') return res.writeHead(302, { location: 'https://10.1.2.3/x.png' }).end();
    if (path === '/to-http') return res.writeHead(302, { location: `http://${HOST}/coffee.png` }).end();
    if (path === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (path === '/declared-huge') return res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }).end();
    if (path === '/streamed-huge') {
      res.writeHead(200);
      for (let i = 0; i < 64; i += 1) res.write(Buffer.alloc(64 * 1024));
      return res.end();
    }
    if (path === '/drip') {
      // One byte every 200 ms: never idle long enough for an idle timeout to fire.
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 200);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(404).end();
  });
  base = `https://${HOST}:${local.port}`;
});

afterAll(() => local.close());

describe('https sources through a local TLS server', () => {
  it('fetches by host name (the pinned lookup answers in the shape Node asks for)', async () => {
    expect((await source().read(new URL(`${base}/coffee.png`))).equals(coffee)).toBe(true);
  });

  it('follows a good redirect', async () => {
    expect((await source().read(new URL(`${base}/moved`))).equals(coffee)).toBe(true);
  });

  it('refuses a malformed redirect without crashing the process', async () => {
    const error = await failure(source().read(new URL(`${base}/malformed`)));
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toMatch(/malformed/);
  });

  it.each([
    ['a private address', '/to-private', 'AccessDenied'],
    ['plain http', '/to-http', 'InvalidArgument'],
    ['itself, for ever', '/loop', 'InvalidArgument'],
    ['a missing object', '/missing.png', 'ResourceNotFound'],
  ])('refuses a redirect to %s', async (_what, path, code) => {
    expect((await failure(source().read(new URL(`${base}${path}`)))).code).toBe(code);
  });

  it('refuses bodies over the size limit, declared or streamed', async () => {
    expect((await failure(source({ maxBytes: 1024 * 1024 }).read(new URL(`${base}/declared-huge`)))).code).toBe('LimitExceeded');
    expect((await failure(source({ maxBytes: 1024 * 1024 }).read(new URL(`${base}/streamed-huge`)))).code).toBe('LimitExceeded');
  });

  it('ends a slow-drip body at the total deadline, not an idle timeout', async () => {
    const started = Date.now();
    const error = await failure(source({ timeoutMs: 1000 }).read(new URL(`${base}/drip`)));
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toMatch(/longer than 1000 ms/);
    // The drip never pauses for 1 s, so only a total deadline can end it; bounded well below "never".
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('still refuses the local server without the test-only allowance', async () => {
    const plain = new HttpsSource({ enabled: true, timeoutMs: 3000, maxBytes: 1024 });
    expect((await failure(plain.read(new URL(`https://127.0.0.1:${local.port}/coffee.png`)))).code).toBe('AccessDenied');
  });
});
