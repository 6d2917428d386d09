// `npm run model:pull` end to end: the compiled script fetches real packs from a real HTTP server on
// loopback standing in for the internet (LABELGATE_MODEL_MIRROR), and the CLI then labels a photo
// with what it fetched.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot, sharedDir } from '../../src/config/projectRoot';
import { closedPort } from '../support/net';

const pullScript = join(projectRoot, 'dist', 'scripts', 'modelPull.js');
const cli = join(projectRoot, 'bin', 'labelgate.js');

let server: Server;
let mirror: string;
let work: string;
const requested: string[] = [];

beforeAll(async () => {
  // Serves <pack>/<file> from the shared packs, as a mirror of the public sources would.
  // Under /swapped/ it answers every file with another model's bytes, as a tampered mirror would.
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url?.startsWith('/swapped/'))
      return void createReadStream(join(sharedDir, 'models', 'mobilenetv2-12-int8', 'mobilenetv2-12-int8.onnx')).pipe(res);
    const [, pack, file] = (req.url ?? '').split('/');
    const path = join(sharedDir, 'models', pack ?? '', file ?? '');
    if (!pack || !file || file.includes('..') || !existsSync(path)) return void res.writeHead(404).end();
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'labelgate-pull-'));
  requested.length = 0;
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs node on a script with the pull folder in `work` and no shared packs to fall back on. Not
 * spawnSync: the mirror runs in this process and must keep answering meanwhile.
 */
function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const child = spawn(process.execPath, [script, ...args], {
    env: {
      ...process.env,
      LABELGATE_MODEL_MIRROR: mirror,
      LABELGATE_PULL_DIR: join(work, 'models'),
      LABELGATE_SHARED_DIR: join(work, 'no-shared'),
      MODEL_DIR: '',
      ...env,
    },
  });
  const outcome: Outcome = { status: null, stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (outcome.stdout += chunk));
  child.stderr.on('data', (chunk) => (outcome.stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ ...outcome, status })));
}

describe('npm run model:pull', () => {
  it('fetches the named packs, verified, and the CLI labels a photo with them', async () => {
    const pulled = await run(pullScript, ['mobilenetv2-12-int8', 'yolox-nano']);
    expect(pulled.stderr).toBe('mobilenetv2-12-int8.onnx: done (3.7 MB)\nyolox_nano.onnx: done (3.7 MB)\n');
    expect(pulled.stdout.trim()).toBe(
      `Ready in ${join(work, 'models')}: mobilenetv2-12-int8, yolox-nano. Labelgate loads them when MODEL_DIR is unset.`,
    );
    expect(pulled.status).toBe(0);
    expect(readdirSync(join(work, 'models')).sort()).toEqual(['mobilenetv2-12-int8', 'yolox-nano']);

    // MODEL_DIR unset and no shared packs: the CLI finds the pulled ones.
    const detected = await run(cli, ['detect', join(sharedDir, 'images', 'darknet', 'dog.jpg'), '--language', 'en']);
    expect(detected.status).toBe(0);
    const labels = (JSON.parse(detected.stdout) as { Labels: { LabelName: string }[]; ModelVersion: string }).Labels.map(
      (l) => l.LabelName,
    );
    expect(labels).toContain('dog');
    expect(JSON.parse(detected.stdout).ModelVersion).toMatch(
      /^mobilenetv2-12-int8@onnx-model-zoo-12-int8\+yolox-nano@megvii-yolox-nano-0\.1\.1rc0\+rules@\S+$/,
    );

    // Again: the files are there with the right hashes, so nothing is fetched.
    requested.length = 0;
    expect((await run(pullScript, ['yolox-nano'])).status).toBe(0);
    expect(requested).toEqual([]);
  });

  it('pulls the default set without the scene pack when Python cannot build it, and says how', async () => {
    const pulled = await run(pullScript, [], { LABELGATE_PYTHON: join(work, 'no-python') });
    expect(pulled.status).toBe(0);
    expect(pulled.stdout.trim().split('\n')).toEqual([
      `Ready in ${join(work, 'models')}: mobilenetv2-12-int8, yolox-nano. Labelgate loads them when MODEL_DIR is unset.`,
      'Skipped squeezenet-places365: building the scene pack needs Python 3 with numpy and onnx (apt-get install python3-numpy python3-onnx, or pip install numpy onnx; LABELGATE_PYTHON names another python); then run npm run model:pull -- squeezenet-places365.',
    ]);
    expect(requested.sort()).toEqual(['/mobilenetv2-12-int8/mobilenetv2-12-int8.onnx', '/yolox-nano/yolox_nano.onnx']);
  });

  it('refuses to go on when the scene pack is named and cannot be built', async () => {
    const pulled = await run(pullScript, ['squeezenet-places365'], { LABELGATE_PYTHON: join(work, 'no-python') });
    expect(pulled.status).toBe(1);
    expect(pulled.stderr.trim()).toMatch(
      /^Cannot build squeezenet-places365: building the scene pack needs Python 3 with numpy and onnx \(.*\)\.$/,
    );
  });

  it('refuses a file that does not match its size and SHA-256, and keeps nothing of it', async () => {
    const pulled = await run(pullScript, ['yolox-nano'], { LABELGATE_MODEL_MIRROR: `${mirror}swapped/` });
    expect(pulled.status).toBe(1);
    expect(pulled.stderr.trim()).toBe(
      'yolox_nano.onnx arrived damaged (3655640 bytes, SHA-256 83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f; expected 3713911 bytes, d39bee73564e338080378b0ad567fbb40e818b55bbfaf971de82a0267ed16b8a); nothing was kept, run it again.',
    );
    expect(readdirSync(join(work, 'models', 'yolox-nano'))).toEqual([]);
  });

  it('says which file a mirror lacks', async () => {
    const pulled = await run(pullScript, ['clip-vit-b32']);
    expect(pulled.status).toBe(1);
    expect(pulled.stderr.trim()).toMatch(/^Cannot download config\.json: 127\.0\.0\.1:\d+ answered HTTP 404\.$/);
  });

  it('says in one sentence when the internet cannot be reached', async () => {
    const pulled = await run(pullScript, ['yolox-nano'], { LABELGATE_MODEL_MIRROR: `http://127.0.0.1:${await closedPort()}/` });
    expect(pulled.status).toBe(1);
    expect(pulled.stderr.trim()).toMatch(
      /^Cannot download the model pack: 127\.0\.0\.1:\d+ is unreachable from this machine \(ECONNREFUSED\); place a pack in a folder and set MODEL_DIR instead\.$/,
    );
  });

  it('names the packs it knows when asked for another', async () => {
    const pulled = await run(pullScript, ['resnet']);
    expect(pulled.status).toBe(2);
    expect(pulled.stderr).toContain('Unknown pack resnet.');
    expect(pulled.stderr).toContain('* squeezenet-places365');
    expect(pulled.stderr).toContain('  clip-vit-b32');
  });
});

describe('the CLI checks what it is given before any model loads', () => {
  // No pack exists here: each answer below comes before loading would have said so.
  it.each([
    ['a missing file', ['detect', '/no/such/photo.jpg'], 'InvalidArgument: /no/such/photo.jpg: no such file.'],
    ['a folder', ['detect', '/tmp'], 'InvalidArgument: /tmp is not a file (a folder? label a folder with `labelgate label`).'],
    [
      'a threshold that is no number',
      ['detect', '/tmp', '--threshold', 'abc'],
      'InvalidArgument: --threshold must be a number from 0 to 1 (got abc).',
    ],
    [
      'max-labels 0',
      ['detect', '/tmp', '--max-labels', '0'],
      'InvalidArgument: --max-labels must be a whole number from 1 to 1000 (got 0).',
    ],
    [
      'an unknown language for label',
      ['label', '/tmp/', '--project', 'p', '--language', 'xx'],
      'InvalidArgument: --language must be zh-Hans or en (got xx).',
    ],
    [
      'a --url that is no http address',
      ['detect', join(sharedDir, 'images', 'darknet', 'dog.jpg'), '--upload', '--project', 'p', '--url', 'notaurl', '--key', 'k'],
      "InvalidArgument: --url must be the server's http:// or https:// address (got notaurl).",
    ],
  ])('%s', async (_label, args, message) => {
    const outcome = await run(cli, args);
    expect(outcome.stderr.trim()).toBe(message);
    expect(outcome.status).toBe(1);
  });

  it('a file over 20 MB is refused without being read', async () => {
    const big = join(work, 'big.jpg');
    writeFileSync(big, Buffer.alloc(0));
    truncateSync(big, 300 * 1024 * 1024);
    const outcome = await run(cli, ['detect', big]);
    expect(outcome.stderr.trim()).toMatch(
      /^LimitExceeded: .*big\.jpg has 314572800 bytes; an image may have at most 20971520 \(20 MB\)\.$/,
    );
  });
});

describe('without any pack', () => {
  it('the CLI says in one sentence how to get one', async () => {
    const detected = await run(cli, ['detect', join(sharedDir, 'images', 'darknet', 'dog.jpg')]);
    expect(detected.status).toBe(1);
    expect(detected.stderr.trim()).toBe(
      'ServiceUnavailable: No model pack is available: run `npm run model:pull` (needs internet) or set MODEL_DIR to a pack folder.',
    );
  });
});
