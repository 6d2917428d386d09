import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThumbnailCache } from '../../src/delivery/thumbnailCache';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lg-thumbcache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('the thumbnail disk cache', () => {
  it('renders a miss once, then serves the file', async () => {
    const cache = new ThumbnailCache(dir, 1000);
    let renders = 0;
    const render = async () => {
      renders += 1;
      return bytes(100, 1);
    };
    const [a, b] = await Promise.all([cache.get('k1', render), cache.get('k1', render)]);
    expect(a.equals(b)).toBe(true);
    expect((await cache.get('k1', render)).equals(bytes(100, 1))).toBe(true);
    expect(renders).toBe(1);
    expect(readdirSync(dir)).toEqual(['k1']);
  });

  it('stays within its bound, deleting the least recently used files', async () => {
    const cache = new ThumbnailCache(dir, 250);
    await cache.get('a', async () => bytes(100, 1));
    await cache.get('b', async () => bytes(100, 2));
    await cache.get('a', async () => bytes(100, 9)); // a is used again: b is now the oldest
    await cache.get('c', async () => bytes(100, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(dir).sort()).toEqual(['a', 'c']);
    expect(cache.size).toBe(200);
  });

  it('counts the files it finds at start, so a restart keeps the bound', async () => {
    const first = new ThumbnailCache(dir, 250);
    await first.get('a', async () => bytes(100, 1));
    await first.get('b', async () => bytes(100, 2));
    const second = new ThumbnailCache(dir, 250);
    await second.get('c', async () => bytes(100, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(second.size).toBe(200);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('a file removed behind its back is a miss, not an error', async () => {
    const cache = new ThumbnailCache(dir, 1000);
    await cache.get('a', async () => bytes(10, 1));
    rmSync(join(dir, 'a'));
    expect((await cache.get('a', async () => bytes(10, 2)))[0]).toBe(2);
  });
});
