import { constants } from 'node:fs';
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

    // Non-blocking: opening a FIFO or a device the usual way can block a thread-pool thread for
    // ever, and a few such requests would stall every detection. Only regular files are read.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => {
      throw new ApiError('AccessDenied', 'The file sourceURI names cannot be read.');
    });
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw invalidArgument('sourceURI names a folder, pipe or device, not a regular file.', 'sourceURI');
      if (stat.size > maxBytes) throw new ApiError('LimitExceeded', `The file is ${stat.size} bytes; at most ${maxBytes} bytes (20 MB) are accepted.`);
      // Read no more than the cap even if the file grows after the size check.
      const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      if (length > maxBytes) throw new ApiError('LimitExceeded', `The file is larger than ${maxBytes} bytes (20 MB).`);
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  }
}
