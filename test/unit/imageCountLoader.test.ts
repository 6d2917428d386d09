import { imageCountLoader } from '../../src/projects/imageCountLoader';

describe('ImageCountLoader', () => {
  it('counts every project asked for in one turn with one query, each once per request', async () => {
    const queries: string[][] = [];
    const loader = imageCountLoader(async (ids) => {
      queries.push([...ids]);
      return new Map([
        ['a', 3],
        ['b', 1],
      ]);
    });
    // As resolvers of a page of projects under two aliases ask.
    const counts = await Promise.all(['a', 'b', 'c', 'a', 'b', 'c'].map((id) => loader.load(id)));
    expect(counts).toEqual([3, 1, 0, 3, 1, 0]);
    expect(queries).toEqual([['a', 'b', 'c']]);
    // Later in the same request: known counts come from memory, new ones make a new batch.
    expect(await Promise.all([loader.load('a'), loader.load('d')])).toEqual([3, 0]);
    expect(queries).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('fails the counts of a failed batch, not later ones', async () => {
    let fail = true;
    const loader = imageCountLoader(async () => {
      if (fail) throw new Error('database down');
      return new Map([['b', 2]]);
    });
    await expect(loader.load('a')).rejects.toThrow('database down');
    fail = false;
    expect(await loader.load('b')).toBe(2);
  });
});
