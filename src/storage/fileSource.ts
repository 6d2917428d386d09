import { open, realpath } from 'node:fs/promises';
import { sep } from 'node:path';
import { ApiError, invalidArgument, notFound } from '../errors';

/**
 * Reads file:// sources, only below the configured roots: no ".." segments, and the real path
 * (symlinks resolved) must stay inside a root, so a link cannot lead out of it.
 */
export class FileSource {
  private readonly roots: Promise<string[]>;

  constructor(roots: string[]) {
    // Roots are compared by their real paths too; a missing root simply matches nothing.
    this.roots = Promise.all(roots.map((root) => realpath(root).catch(() => null))).then((paths) => paths.filter((p): p is string => p !== null));
  }

  async read(path: string, maxBytes: number): Promise<Buffer> {
    if (path.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw invalidArgument('sourceURI must not contain "." or ".." path segments.', 'sourceURI');
    }
    const roots = await this.roots;
    if (roots.length === 0) throw new ApiError('AccessDenied', 'file:// sources are disabled on this server (FILE_ROOTS is empty).');
    const inside = (p: string) => roots.some((root) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep));
    if (!inside(path)) throw new ApiError('AccessDenied', 'sourceURI is outside the folders this server may read.');

    let real: string;
    try {
      real = await realpath(path);
    } catch {
      throw notFound('The file sourceURI names does not exist.');
    }
    if (!inside(real)) throw new ApiError('AccessDenied', 'sourceURI leads (through a link) outside the folders this server may read.');

    const handle = await open(real, 'r').catch(() => {
      throw new ApiError('AccessDenied', 'The file sourceURI names cannot be read.');
    });
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw invalidArgument('sourceURI names a folder or device, not a file.', 'sourceURI');
      if (stat.size > maxBytes) throw new ApiError('LimitExceeded', `The file is ${stat.size} bytes; at most ${maxBytes} bytes (20 MB) are accepted.`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }
}
