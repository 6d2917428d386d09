import { BufferGarbage } from '../../src/detection/bufferGarbage';

const MiB = 1024 * 1024;

it('collects past the budget, not before, and not again within the interval', () => {
  let bytes = 100 * MiB;
  const guard = new BufferGarbage({ budgetBytes: 256 * MiB, minIntervalMs: 60_000 }, () => bytes);
  guard.check();
  expect(guard.collections).toBe(0);
  bytes = 300 * MiB;
  guard.check();
  expect(guard.collections).toBe(1);
  guard.check();
  expect(guard.collections).toBe(1); // within the interval
});

it('waits for twice what was live after a collection when that is past the budget', () => {
  let bytes = 300 * MiB;
  const guard = new BufferGarbage({ budgetBytes: 256 * MiB, minIntervalMs: 0 }, () => bytes);
  guard.check(); // collects; 300 MiB stay live
  expect(guard.collections).toBe(1);
  bytes = 500 * MiB;
  guard.check();
  expect(guard.collections).toBe(1);
  bytes = 700 * MiB;
  guard.check();
  expect(guard.collections).toBe(2);
});

it('counts what a collection left live from the least read since, as V8 frees dead buffers after it returns', () => {
  let bytes = 300 * MiB;
  const guard = new BufferGarbage({ budgetBytes: 256 * MiB, minIntervalMs: 0 }, () => bytes);
  guard.check(); // collects; the count read at once still holds the dead buffers
  bytes = 40 * MiB; // freed meanwhile
  guard.check();
  bytes = 300 * MiB; // past the budget again, though less than twice the count read after the collection
  guard.check();
  expect(guard.collections).toBe(2);
});

it('frees dead buffers V8 had not collected yet', async () => {
  const guard = new BufferGarbage({ budgetBytes: 64 * MiB, minIntervalMs: 0 });
  // Buffers that survive young collections first, as a labelling process's do while their images are in flight.
  const held: Buffer[] = Array.from({ length: 128 }, () => Buffer.alloc(MiB, 1));
  const refs = held.map((buffer) => new WeakRef(buffer));
  const before = process.memoryUsage().arrayBuffers;
  expect(before).toBeGreaterThan(128 * MiB);
  // A WeakRef keeps its target until the turn that made it ends.
  await new Promise((resolve) => setImmediate(resolve));
  held.length = 0; // dead now, not yet collected
  guard.check();
  expect(held).toHaveLength(0);
  expect(guard.collections).toBe(1);
  expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  // V8 frees the collected buffers on other threads, after the collection returns.
  const deadline = Date.now() + 2_000;
  while (process.memoryUsage().arrayBuffers >= before - 100 * MiB && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(process.memoryUsage().arrayBuffers).toBeLessThan(before - 100 * MiB);
});
