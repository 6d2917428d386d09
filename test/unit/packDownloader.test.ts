import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadVerified, Progress } from '../../src/detection/packs/packDownloader';
import { closedPort } from '../support/net';

const content = Buffer.from('model weights '.repeat(10_000));
const sha256 = createHash('sha256').update(content).digest('hex');

let server: Server;
let baseUrl: string;
let dir: string;

beforeAll(async () => {
  // A real HTTP server on loopback standing in for the model hub.
  server = createServer((req, res) => {
    // One connection per download: a kept-alive socket that the server closes just as the client
    // reuses it is reset (ECONNRESET), a race of this local setup and not what the test is about.
    res.setHeader('connection', 'close');
    if (req.url === '/ok/weights.onnx') res.end(content);
    else if (req.url === '/damaged/weights.onnx') res.end(content.subarray(0, 1000));
    // Takes the request and never answers; or answers, sends a little and then nothing more.
    else if (req.url === '/silent/weights.onnx') return;
    else if (req.url === '/stalls/weights.onnx') {
      res.writeHead(200, { 'content-length': content.length });
      res.write(content.subarray(0, 1000));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelgate-pull-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = (base: string) => [{ path: 'weights.onnx', bytes: content.length, sha256, url: `${base}weights.onnx` }];

describe('verified downloads', () => {
  it('downloads, reports progress and keeps a file whose SHA-256 matches', async () => {
    const progress: Progress[] = [];
    await downloadVerified(files(`${baseUrl}/ok/`), dir, (p) => progress.push(p));
    expect(readFileSync(join(dir, 'weights.onnx'))).toEqual(content);
    expect(progress.at(-1)).toEqual({ file: 'weights.onnx', received: content.length, total: content.length });
  });

  it('refuses a damaged download and leaves nothing behind', async () => {
    await expect(downloadVerified(files(`${baseUrl}/damaged/`), dir)).rejects.toThrow(/arrived damaged/);
    expect(existsSync(join(dir, 'weights.onnx'))).toBe(false);
    expect(existsSync(join(dir, 'weights.onnx.part'))).toBe(false);
  });

  it('gives up on a server that takes the connection but never answers, and leaves no folder', async () => {
    const into = join(dir, 'pack');
    await expect(downloadVerified(files(`${baseUrl}/silent/`), into, undefined, { answerMs: 500, stallMs: 500 })).rejects.toThrow(
      /did not answer within 0\.5 s/,
    );
    expect(existsSync(into)).toBe(false);
  });

  it('gives up on a download that stops arriving, and keeps nothing of it', async () => {
    await expect(downloadVerified(files(`${baseUrl}/stalls/`), dir, undefined, { answerMs: 500, stallMs: 500 })).rejects.toThrow(
      /stopped arriving .* nothing was kept/,
    );
    expect(existsSync(join(dir, 'weights.onnx.part'))).toBe(false);
  });

  it('says in one sentence when the hub cannot be reached', async () => {
    const port = await closedPort();
    await expect(downloadVerified(files(`http://127.0.0.1:${port}/`), dir)).rejects.toThrow(
      /^Cannot download the model pack: 127\.0\.0\.1:\d+ is unreachable from this machine \(ECONNREFUSED\); place a pack in a folder and set MODEL_DIR instead\.$/,
    );
  });
});
