import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { ConfigError } from '../config/env';

/** Cache keys become file names: letters, digits, "-", "_" and "." only, never leading "." (temporary files). */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * Creates the thumbnail folder when missing and checks that it is a folder this process may write,
 * at start: a file there used to pass the start and then crash the process with an unhandled EEXIST.
 */
export function checkThumbnailDir(dir: string): void {
  const refuse = (what: string) => {
    throw new ConfigError(`Invalid configuration: THUMBNAIL_CACHE_DIR: ${dir} ${what}; point it at a folder this process may write.`);
  };
  try {
    if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() === false) refuse('is not a folder');
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    refuse(`cannot be created or written (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/**
 * Thumbnails on disk, bounded in bytes: an in-memory index (lru-cache, sized by the files' lengths)
 * deletes the least recently used file when a new one would go past the bound. Files found at start
 * are indexed oldest first, so a restart keeps the bound. Concurrent misses of one key render once.
 * Several processes may share the folder: a file another one removed is simply a miss.
 */
export class ThumbnailCache {
  private readonly index: LRUCache<string, number>;
  private readonly ready: Promise<void>;
  private readonly rendering = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly dir: string,
    readonly maxBytes: number,
  ) {
    this.index = new LRUCache<string, number>({
      maxSize: maxBytes,
      sizeCalculation: (bytes) => Math.max(1, bytes),
      // Replacing a key rewrote its file already; only evictions and deletions remove one.
      dispose: (_bytes, key, reason) => {
        if (reason !== 'set') void unlink(this.pathOf(key)).catch(() => undefined);
      },
    });
    this.ready = this.indexExisting();
    // Handled here so that a folder gone bad after start fails the image requests (which await it),
    // never the process with an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  private pathOf(key: string): string {
    return join(this.dir, key);
  }

  private async indexExisting(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((name) => KEY.test(name));
    const files = await Promise.all(names.map(async (name) => ({ name, stat: await stat(join(this.dir, name)).catch(() => null) })));
    files
      .filter((file) => file.stat?.isFile())
      .sort((a, b) => a.stat!.mtimeMs - b.stat!.mtimeMs)
      .forEach((file) => this.index.set(file.name, file.stat!.size));
  }

  /** Bytes the cached files take, as indexed. */
  get size(): number {
    return this.index.calculatedSize;
  }

  /** The cached bytes of `key`, else those `render` makes (then kept). */
  async get(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    if (!KEY.test(key)) throw new Error(`Not a cache key: ${key}`);
    await this.ready;
    if (this.index.get(key) !== undefined) {
      const cached = await readFile(this.pathOf(key)).catch(() => null);
      if (cached) return cached;
      this.index.delete(key);
    }
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = render()
        .then(async (bytes) => {
          await this.put(key, bytes);
          return bytes;
        })
        .finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    return pending;
  }

  private async put(key: string, bytes: Buffer): Promise<void> {
    if (bytes.length > this.maxBytes) return;
    // Written aside, then renamed: a reader never sees half a file.
    const temporary = this.pathOf(`.${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, this.pathOf(key));
      this.index.set(key, bytes.length);
    } catch {
      await unlink(temporary).catch(() => undefined);
    }
  }
}
