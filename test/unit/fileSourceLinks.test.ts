import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FileSource } from '../../src/storage/fileSource';

// A folder inside a root swapped, again and again, for a link to a folder outside it: a read of a
// photo below it must never return the file outside, however the swap falls between checking the
// real path and opening the file.
let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'labelgate-links-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

it('never reads through a folder swapped for a link out of the root', async () => {
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'd'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'd', 'photo.jpg'), 'inside');
  writeFileSync(join(outside, 'photo.jpg'), 'outside');
  symlinkSync(outside, join(root, 'link'));
  // Another thread swaps root/d and root/link by renames (each atomic) for as long as the test reads.
  const swapper = new Worker(
    `const { renameSync } = require('node:fs');
     const { join } = require('node:path');
     const { root, until } = require('node:worker_threads').workerData;
     const swap = (a, b) => { renameSync(join(root, a), join(root, 'spare')); renameSync(join(root, b), join(root, a)); renameSync(join(root, 'spare'), join(root, b)); };
     while (Date.now() < until) swap('d', 'link');`,
    { eval: true, workerData: { root, until: Date.now() + 4_000 } },
  );
  const files = new FileSource([root]);
  const seen = new Map<string, number>();
  const until = Date.now() + 3_000;
  while (Date.now() < until) {
    const outcome = await files.read(join(root, 'd', 'photo.jpg'), 1_000).then(
      (bytes) => bytes.toString(),
      (error: { code?: string }) => error.code ?? 'other',
    );
    seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
  }
  await swapper.terminate();
  // The swaps did land between reads (the link was seen and refused), and the inside file was read.
  expect(seen.get('AccessDenied')).toBeGreaterThan(0);
  expect(seen.get('inside')).toBeGreaterThan(0);
  expect(seen.get('outside')).toBeUndefined();
});
