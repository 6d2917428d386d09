import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compareCodeUnits } from '../codeUnitOrder';
import { invalidArgument, notFound } from '../api/errors';
import type { AuthorizedSource, ImageSources } from '../storage/imageSources';
import { isWithin, sourceDenied } from '../storage/sourceGrant';
import { fileUri, isImageName, objectUri } from '../storage/sourcePrefix';

/** A page of a source's images: their sourceURIs, where the next page starts, and whether there is one. */
export interface ListedPage {
  uris: string[];
  /** Resume after this (an object key or a file path); null when nothing was listed yet. */
  after: string | null;
  done: boolean;
}

/** Lists the images under one source, a page at a time, resumable from a page's `after`. */
export interface SourceLister {
  page(after: string | null, max: number): Promise<ListedPage>;
}

const S3_PAGE = 1000;

/** oss:// and s3:// prefixes: ListObjectsV2 pages (S3Proxy in tests), keys in S3's order; non-image keys are passed over. */
export class ObjectLister implements SourceLister {
  constructor(
    private readonly sources: ImageSources,
    private readonly source: Extract<AuthorizedSource, { kind: 'object' }>,
  ) {}

  async page(after: string | null, max: number): Promise<ListedPage> {
    const { scheme, bucket } = this.source.source;
    const uris: string[] = [];
    let last = after;
    // Pages of non-images (a folder of sidecar files) are read through until some images turn up.
    for (;;) {
      const page = await this.sources.listObjects(this.source, last ?? undefined, Math.min(S3_PAGE, max - uris.length));
      for (const { key } of page.keys) {
        last = key;
        if (!key.endsWith('/') && isImageName(key)) uris.push(objectUri(scheme, bucket, key));
      }
      if (!page.more) return { uris, after: last, done: true };
      if (uris.length >= max) return { uris, after: last, done: false };
    }
  }
}

/**
 * file:// folders: a walk below the folder (sorted, so a resumed listing sees the same order),
 * never leaving the project's readable roots: the folder's real path must lie inside one, and
 * linked folders are not entered. A linked file is listed; reading it checks where it leads.
 * The walk stops after `limit` images; pages are then cut from the sorted list.
 */
export class DirectoryLister implements SourceLister {
  private files: Promise<string[]> | null = null;

  constructor(
    private readonly sources: ImageSources,
    private readonly source: Extract<AuthorizedSource, { kind: 'file' }>,
    private readonly limit: number,
  ) {}

  private async walk(): Promise<string[]> {
    const folder = this.source.source.path;
    const roots = await this.sources.readableRoots(this.source);
    const real = await realpath(folder).catch(() => {
      throw notFound('The folder sourceURI names does not exist.');
    });
    if (!roots.some((root) => isWithin(real, root))) throw sourceDenied();
    if (!(await stat(real)).isDirectory())
      throw invalidArgument(
        'sourceURI names a file, not a folder: a task labels the images below a folder (file:///folder/).',
        'sourceURI',
      );
    const found: string[] = [];
    const visit = async (dir: string): Promise<void> => {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return; // a folder that cannot be read holds nothing this task can label
      }
      entries.sort((a, b) => compareCodeUnits(a.name, b.name));
      for (const entry of entries) {
        if (found.length > this.limit) return;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await visit(path);
        else if ((entry.isFile() || entry.isSymbolicLink()) && isImageName(entry.name)) found.push(path);
      }
    };
    await visit(folder);
    return found.sort(compareCodeUnits);
  }

  async page(after: string | null, max: number): Promise<ListedPage> {
    this.files ??= this.walk();
    const files = await this.files;
    let start = 0;
    if (after !== null) {
      // The first path after `after` (binary search in the sorted list).
      let high = files.length;
      while (start < high) {
        const middle = (start + high) >>> 1;
        if (compareCodeUnits(files[middle], after) <= 0) start = middle + 1;
        else high = middle;
      }
    }
    const slice = files.slice(start, start + max);
    return { uris: slice.map(fileUri), after: slice.at(-1) ?? after, done: start + slice.length >= files.length };
  }
}
