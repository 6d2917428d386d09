import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
// undici's own fetch, not Node's: Node 22 and 24 bundle an undici whose HTTP/1 parser throws an
// uncatchable assertion when a server closes the connection while the body is paused under
// backpressure (nodejs/undici#5360, fixed in undici 8) — model:pull from Python's http.server, a
// common mirror, crashed 4 times in 12 pulls.
import { Agent, fetch, type Response } from 'undici';
import { sha256File } from './packLoader';
import type { PublicFile } from './publicPacks';

export class DownloadError extends Error {}

export interface Progress {
  file: string;
  received: number;
  total: number;
}

type NetworkError = { code?: string; cause?: NetworkError; errors?: NetworkError[] };

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const timedOut = (error: unknown) => {
  const e = error as NetworkError;
  return [e.code, e.cause?.code].some((code) => code !== undefined && TIMEOUT_CODES.has(code));
};

/** fetch hides the system error (ENOTFOUND, ECONNREFUSED…) in cause, sometimes in an AggregateError. */
const describeNetworkError = (error: unknown) => {
  const e = error as NetworkError;
  const code = e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.code;
  return code ? ` (${code})` : '';
};

/** How long a server may take to answer (headers), and to send the next piece of a file. */
export interface DownloadTimeouts {
  answerMs: number;
  stallMs: number;
}

// A mirror that takes the connection and then says nothing must not hold model:pull for ever
// (undici's own limits are 5 minutes each); a slow but moving download may take as long as it needs.
export const DEFAULT_DOWNLOAD_TIMEOUTS: DownloadTimeouts = { answerMs: 30_000, stallMs: 60_000 };

/**
 * Downloads each file from its URL into dir, to a .part file hashed on the way and renamed only when
 * its size and SHA-256 match: an interrupted or tampered download never looks complete. Files
 * already there with the right hash are kept.
 */
export async function downloadVerified(
  files: PublicFile[],
  dir: string,
  onProgress: (p: Progress) => void = () => undefined,
  timeouts: DownloadTimeouts = DEFAULT_DOWNLOAD_TIMEOUTS,
): Promise<void> {
  const dispatcher = new Agent({ connectTimeout: timeouts.answerMs, headersTimeout: timeouts.answerMs, bodyTimeout: timeouts.stallMs });
  try {
    for (const file of files) await downloadOne(file, dir, onProgress, dispatcher, timeouts);
  } finally {
    await dispatcher.close();
  }
}

async function downloadOne(
  file: PublicFile,
  dir: string,
  onProgress: (p: Progress) => void,
  dispatcher: Agent,
  timeouts: DownloadTimeouts,
): Promise<void> {
  const target = join(dir, file.path);
  if (existsSync(target) && (await sha256File(target)) === file.sha256) {
    onProgress({ file: file.path, received: file.bytes, total: file.bytes });
    return;
  }
  const host = new URL(file.url).host;
  let response: Response;
  try {
    response = await fetch(file.url, { dispatcher });
  } catch (error) {
    if (timedOut(error))
      throw new DownloadError(
        `Cannot download the model pack: ${host} took the connection but did not answer within ${timeouts.answerMs / 1000} s; try again, or place a pack in a folder and set MODEL_DIR instead.`,
      );
    throw new DownloadError(
      `Cannot download the model pack: ${host} is unreachable from this machine${describeNetworkError(error)}; place a pack in a folder and set MODEL_DIR instead.`,
    );
  }
  if (!response.ok || !response.body) throw new DownloadError(`Cannot download ${file.path}: ${host} answered HTTP ${response.status}.`);

  // Made only once the server answers: an offline pull leaves no empty pack folder behind.
  mkdirSync(dirname(target), { recursive: true });
  const part = `${target}.part`;
  const hash = createHash('sha256');
  let received = 0;
  const body = Readable.fromWeb(response.body);
  body.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    received += chunk.length;
    onProgress({ file: file.path, received, total: file.bytes });
  });
  try {
    await pipeline(body, createWriteStream(part));
  } catch (error) {
    rmSync(part, { force: true });
    throw new DownloadError(
      timedOut(error)
        ? `${file.path} stopped arriving from ${host} (nothing for ${timeouts.stallMs / 1000} s); nothing was kept, run it again.`
        : `${file.path} was cut off by ${host}${describeNetworkError(error)}; nothing was kept, run it again.`,
    );
  }
  const digest = hash.digest('hex');
  if (received !== file.bytes || digest !== file.sha256) {
    rmSync(part, { force: true });
    throw new DownloadError(
      `${file.path} arrived damaged (${received} bytes, SHA-256 ${digest}; expected ${file.bytes} bytes, ${file.sha256}); nothing was kept, run it again.`,
    );
  }
  renameSync(part, target);
}

/**
 * A progress bar per file on a terminal (cli-progress: redraws in place, throttled, and leaves the
 * finished bar on screen); a line per finished file elsewhere (CI logs), where redraws are noise.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr, size = (total: number) => `${(total / 1e6).toFixed(1)} MB`) {
  let bar: SingleBar | null = null;
  let current = '';
  return (p: Progress) => {
    const done = p.received >= p.total;
    if (!stream.isTTY) {
      if (done && p.file !== current) stream.write(`${p.file}: done (${size(p.total)})\n`);
      if (done) current = p.file;
      return;
    }
    if (p.file !== current) {
      bar?.stop();
      current = p.file;
      bar = new SingleBar({ stream, format: '{file} [{bar}] {percentage}% of {size}', barsize: 30, hideCursor: true });
      bar.start(p.total, 0, { file: p.file.padEnd(36), size: size(p.total) });
    }
    bar?.update(p.received);
    if (done) {
      bar?.stop();
      bar = null;
    }
  };
}
