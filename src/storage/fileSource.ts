import { randomUUID } from 'node:crypto';
import { constants, existsSync } from 'node:fs';
import { mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ApiError, invalidArgument, notFound } from '../api/errors';
import { isWithin, sourceDenied } from './sourceGrant';

/** Roots by their real paths; a missing root simply matches nothing. */
const realRoots = (roots: string[]): Promise<string[]> =>
  Promise.all(roots.map((root) => realpath(root).catch(() => null))).then((paths) => paths.filter((p): p is string => p !== null));

/** A decoded file path may not climb out of a folder it names ("%2E%2E" decodes to ".."). */
export function checkFilePath(path: string): void {
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw invalidArgument('sourceURI must not contain "." or ".." path segments.', 'sourceURI');
  }
}

/** Whether this system names an open descriptor's file in /proc (Linux). */
const HAS_PROC_FD = existsSync('/proc/self/fd');

/**
 * Where the file behind an open descriptor really is: what a check by name cannot promise, since a
 * folder on the way may have been swapped for a link since. null when it is gone; undefined where
 * the system cannot say (no /proc), and only the check by name stands.
 */
function openedPath(fd: number): Promise<string | null | undefined> {
  return HAS_PROC_FD ? realpath(`/proc/self/fd/${fd}`).catch(() => null) : Promise.resolve(undefined);
}

/** Whether an opened file (openedPath) lies outside the roots, by `inside`, or cannot be placed. */
const escaped = (opened: string | null | undefined, inside: (path: string) => boolean) =>
  opened !== undefined && (opened === null || !inside(opened));

/**
 * Reads file:// sources, only below the configured roots: no ".." segments, and the real path
 * (symlinks resolved) must stay inside a root, so a link cannot lead out of it.
 */
export class FileSource {
  private readonly roots: Promise<string[]>;

  constructor(roots: string[]) {
    this.roots = realRoots(roots);
  }

  /**
   * The real paths a project with `grantedRoots` (null: every server root) may read below: a granted
   * root counts only as far as its real path stays inside a server root (a link in it could lead out).
   */
  async readableRoots(grantedRoots: string[] | null): Promise<string[]> {
    const serverRoots = await this.roots;
    if (grantedRoots === null) return serverRoots;
    return (await realRoots(grantedRoots)).filter((root) => serverRoots.some((server) => isWithin(root, server)));
  }

  /**
   * Reads `path`, which must lie in one of `grantedRoots` (a project's file roots; null: every
   * server root) and in a server root, by its name and by its real path.
   */
  async read(path: string, maxBytes: number, grantedRoots: string[] | null = null): Promise<Buffer> {
    checkFilePath(path);
    // Nothing outside the server's roots is touched, not even resolved: a path on a hung mount
    // would hold a thread-pool thread. Within them, the path and the project's roots are resolved
    // at once (each a trip through libuv's thread pool); the real path is only looked at, and its
    // failure only told, once the path itself was found inside a root the project may read.
    if (!(await this.roots).some((root) => isWithin(path, root))) throw sourceDenied();
    const resolved = realpath(path).then(
      (real) => ({ real }),
      () => null,
    );
    const roots = await this.readableRoots(grantedRoots);
    const inside = (p: string) => roots.some((root) => isWithin(p, root));
    if (!inside(path)) throw sourceDenied();

    const real = (await resolved)?.real;
    if (real === undefined) throw notFound('The file sourceURI names does not exist.');
    if (!inside(real)) throw sourceDenied();

    // Non-blocking: opening a FIFO or a device the usual way can block a thread-pool thread for
    // ever, and a few such requests would stall every detection. Only regular files are read.
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => {
      throw new ApiError('AccessDenied', 'The file sourceURI names cannot be read.');
    });
    try {
      // What was opened, by the descriptor: a folder on the path swapped for a link out of the
      // root after the real path was checked would otherwise be followed.
      const [stat, opened] = await Promise.all([handle.stat(), openedPath(handle.fd)]);
      if (escaped(opened, inside)) throw sourceDenied();
      if (!stat.isFile()) throw invalidArgument('sourceURI names a folder, pipe or device, not a regular file.', 'sourceURI');
      if (stat.size > maxBytes)
        throw new ApiError('LimitExceeded', `The file is ${stat.size} bytes; at most ${maxBytes} bytes (20 MB) are accepted.`);
      // The size it had when checked, and no more, even if it grows meanwhile (a file that shrank
      // ends early). Unfilled, as only the bytes read are returned.
      const buffer = Buffer.allocUnsafe(stat.size);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      return buffer.subarray(0, length);
    } finally {
      // The answer need not wait for the descriptor to close (one more trip through the pool).
      void handle.close().catch(() => undefined);
    }
  }

  /**
   * Writes `bytes` as `path`, which must lie in a readable root (as for read) by its name, and its
   * folder by its real path; missing folders are made (below an existing one that is inside, since
   * mkdir follows links). The bytes go to a temporary name first and are renamed, so no reader sees
   * part of a file. `created` is false when a file of that name was there (the same bytes: uploads
   * are named by their content).
   */
  async write(path: string, bytes: Buffer, grantedRoots: string[] | null = null): Promise<{ created: boolean }> {
    checkFilePath(path);
    const roots = await this.readableRoots(grantedRoots);
    const inside = (p: string) => roots.some((root) => isWithin(p, root));
    if (!inside(path)) throw sourceDenied();
    const folder = dirname(path);
    let existing = folder;
    while (
      !(await stat(existing).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      existing = dirname(existing);
    if (!inside(await realpath(existing))) throw sourceDenied();
    const temporary = join(folder, `.${basename(path)}.${randomUUID()}.part`);
    try {
      await mkdir(folder, { recursive: true });
      if (!inside(await realpath(folder))) throw sourceDenied();
      const created = !(await stat(path).then(
        () => true,
        () => false,
      ));
      const file = await open(temporary, 'wx');
      try {
        // As for read: the folder swapped for a link out of the root since it was checked would
        // take the file outside (the rename below then finds no such file, and fails).
        const opened = await openedPath(file.fd);
        if (escaped(opened, inside)) {
          if (opened) await rm(opened, { force: true });
          throw sourceDenied();
        }
        await file.writeFile(bytes);
      } finally {
        await file.close();
      }
      await rename(temporary, path);
      return { created };
    } catch (error) {
      // Where the folder could not be made (a file on its path) the temporary file's path is not one
      // either: removing it fails too, and that must not hide why the write failed.
      await rm(temporary, { force: true }).catch(() => undefined);
      if (error instanceof ApiError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'ENOTDIR' || code === 'EEXIST')
        throw invalidArgument("The project's upload folder (uploadTo) cannot be made: a file lies on its path.", 'uploadTo');
      const denied = ['EACCES', 'EPERM', 'EROFS'].includes(code);
      throw new ApiError(
        denied ? 'AccessDenied' : 'ServiceUnavailable',
        denied
          ? "The server may not write to the project's upload folder."
          : "The project's upload folder could not be written; try again later.",
      );
    }
  }
}
