import { MicroBatcher } from '../../src/detection/microBatcher';

/** A real batch function: squares numbers and records the batches it was given. */
function squaring(delayMs = 5) {
  const batches: number[][] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return items.map((x) => x * x);
  };
  return { batches, run };
}

describe('MicroBatcher', () => {
  it('answers each caller with its own result', async () => {
    const { run } = squaring();
    const batcher = new MicroBatcher(run, { maxBatch: 4, maxWaitMs: 2 });
    expect(await Promise.all([1, 2, 3, 4, 5, 6].map((x) => batcher.submit(x)))).toEqual([1, 4, 9, 16, 25, 36]);
  });

  it('groups concurrent requests up to maxBatch', async () => {
    const { batches, run } = squaring();
    const batcher = new MicroBatcher(run, { maxBatch: 4, maxWaitMs: 50 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(i)));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
  });

  it('runs a lone request after maxWaitMs', async () => {
    const { batches, run } = squaring();
    const batcher = new MicroBatcher(run, { maxBatch: 8, maxWaitMs: 1 });
    expect(await batcher.submit(3)).toBe(9);
    expect(batches).toEqual([[3]]);
  });

  it('without a wait, still runs what is submitted in the same turn as one batch', async () => {
    const { batches, run } = squaring();
    const batcher = new MicroBatcher(run, { maxBatch: 8, maxWaitMs: 0 });
    expect(await Promise.all([1, 2, 3].map((x) => batcher.submit(x)))).toEqual([1, 4, 9]);
    expect(await batcher.submit(4)).toBe(16);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('gathers what arrives while a batch runs into the next one', async () => {
    const { batches, run } = squaring(30);
    const batcher = new MicroBatcher(run, { maxBatch: 8, maxWaitMs: 1 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const rest = [2, 3, 4].map((x) => batcher.submit(x));
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every caller of a failed batch and keeps serving', async () => {
    let fail = true;
    const batcher = new MicroBatcher(
      async (items: number[]) => {
        if (fail) throw new Error('model failed');
        return items;
      },
      { maxBatch: 2, maxWaitMs: 1 },
    );
    await expect(Promise.all([batcher.submit(1), batcher.submit(2)])).rejects.toThrow('model failed');
    fail = false;
    expect(await batcher.submit(7)).toBe(7);
  });
});
