import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FileSource } from '../../src/storage/fileSource';

// A folder inside a root swapped, again and again, for a link to a folder outside it: a read below
// it must never return the file outside, nor a write put a file there, however the swap falls
// between checking the real path and opening the file.
let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'labelgate-links-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** root/d, root/link → outside; another thread swaps d and link by renames (each atomic) for 4 s. */
function swappingFolders(): { root: string; outside: string; swapper: Worker } {
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'd'), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, join(root, 'link'));
  const swapper = new Worker(
    `const { renameSync, rmSync } = require('node:fs');
     const { join } = require('node:path');
     const { root, until } = require('node:worker_threads').workerData;
     const [d, link, spare] = ['d', 'link', 'spare'].map((name) => join(root, name));
     const swap = () => { renameSync(d, spare); renameSync(link, d); renameSync(spare, link); };
     // A writer's mkdir may make d again while it is away: that one goes, and the swap goes on.
     const recover = () => { rmSync(d, { recursive: true, force: true }); renameSync(link, d); renameSync(spare, link); };
     while (Date.now() < until) try { swap(); } catch { try { recover(); } catch {} }`,
    { eval: true, workerData: { root, until: Date.now() + 4_000 } },
  );
  return { root, outside, swapper };
}

it('never reads through a folder swapped for a link out of the root', async () => {
  const { root, outside, swapper } = swappingFolders();
  writeFileSync(join(root, 'd', 'photo.jpg'), 'inside');
  writeFileSync(join(outside, 'photo.jpg'), 'outside');
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

it('never writes through a folder swapped for a link out of the root', async () => {
  const { root, outside, swapper } = swappingFolders();
  const files = new FileSource([root]);
  const seen = new Map<string, number>();
  const until = Date.now() + 3_000;
  for (let n = 0; Date.now() < until; n++) {
    const outcome = await files.write(join(root, 'd', `${n}.jpg`), Buffer.from('upload')).then(
      () => 'written',
      (error: { code?: string }) => error.code ?? 'other',
    );
    seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
  }
  await swapper.terminate();
  // The swaps landed between writes (the link was seen and refused), and files were written inside.
  expect(seen.get('AccessDenied')).toBeGreaterThan(0);
  expect(seen.get('written')).toBeGreaterThan(0);
  expect(readdirSync(outside)).toEqual([]);
});
