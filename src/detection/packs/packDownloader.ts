import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sha256File } from './packLoader';
import type { RemoteFile } from './defaultPack';

export class DownloadError extends Error {}

export interface Progress {
  file: string;
  received: number;
  total: number;
}

type NetworkError = { code?: string; cause?: NetworkError; errors?: NetworkError[] };

/** fetch hides the system error (ENOTFOUND, ECONNREFUSED…) in cause, sometimes in an AggregateError. */
const describeNetworkError = (error: unknown) => {
  const e = error as NetworkError;
  const code = e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.code;
  return code ? ` (${code})` : '';
};

/**
 * Downloads files into dir, each to a .part file hashed on the way and renamed only when its size
 * and SHA-256 match: an interrupted or tampered download never looks complete. Files already there
 * with the right hash are kept.
 */
export async function downloadVerified(baseUrl: string, files: RemoteFile[], dir: string, onProgress: (p: Progress) => void = () => undefined): Promise<void> {
  const host = new URL(baseUrl).host;
  for (const file of files) {
    const target = join(dir, file.path);
    if (existsSync(target) && (await sha256File(target)) === file.sha256) {
      onProgress({ file: file.path, received: file.bytes, total: file.bytes });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    let response: Response;
    try {
      response = await fetch(new URL(file.path, baseUrl), { signal: AbortSignal.timeout(30 * 60_000) });
    } catch (error) {
      throw new DownloadError(`Cannot download the model pack: ${host} is unreachable from this machine${describeNetworkError(error)}; place a pack in a folder and set MODEL_DIR instead.`);
    }
    if (!response.ok || !response.body) throw new DownloadError(`Cannot download ${file.path}: ${host} answered HTTP ${response.status}.`);

    const part = `${target}.part`;
    const hash = createHash('sha256');
    let received = 0;
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    body.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      received += chunk.length;
      onProgress({ file: file.path, received, total: file.bytes });
    });
    await pipeline(body, createWriteStream(part));
    const digest = hash.digest('hex');
    if (received !== file.bytes || digest !== file.sha256) {
      rmSync(part, { force: true });
      throw new DownloadError(`${file.path} arrived damaged (${received} bytes, SHA-256 ${digest}; expected ${file.bytes} bytes, ${file.sha256}); nothing was kept, run it again.`);
    }
    renameSync(part, target);
  }
}

/** A one-line progress bar on a terminal; a line per item elsewhere (CI logs). */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, describe = (total: number) => `${(total / 1e6).toFixed(1)} MB`) {
  let lastFile = '';
  let lastDraw = 0;
  return (p: Progress) => {
    const done = p.received >= p.total;
    if (!stream.isTTY) {
      if (done && p.file !== lastFile) stream.write(`${p.file}: done (${describe(p.total)})\n`);
      if (done) lastFile = p.file;
      return;
    }
    const now = Date.now();
    if (!done && now - lastDraw < 100) return;
    lastDraw = now;
    const width = 30;
    const filled = Math.round((p.received / p.total) * width);
    stream.write(`\r${p.file.padEnd(36)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${((100 * p.received) / p.total).toFixed(0).padStart(3)}% of ${describe(p.total)}`);
    if (done) stream.write('\n');
  };
}
