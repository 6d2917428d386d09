import { spawn, spawnSync, SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** A problem the user can fix: the CLI prints its message alone, without a stack trace. */
export class PrerequisiteError extends Error {}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Elasticsearch and initdb refuse to run as root; as root we run them as an unprivileged account
 * (LABELGATE_SERVICE_USER, default "nobody") and give it the folders they write.
 */
export function serviceUser(): string | null {
  return isRoot() ? process.env.LABELGATE_SERVICE_USER || 'nobody' : null;
}

export function asServiceUser(command: string, args: string[]): [string, string[]] {
  const user = serviceUser();
  return user ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];
}

export function giveToServiceUser(path: string): void {
  const user = serviceUser();
  if (user) run('chown', ['-R', `${user}:`, path]);
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; throws with its output when it fails, unless allowFailure. */
export function run(command: string, args: string[], options: SpawnOptions & { allowFailure?: boolean } = {}): RunResult {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const outcome = { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (!options.allowFailure && (result.error || result.status !== 0)) {
    const detail = (outcome.stderr || outcome.stdout || String(result.error ?? '')).trim().split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${detail}`);
  }
  return outcome;
}

/**
 * Runs a command that leaves a server behind (a daemon), in a session of its own. A terminal's
 * Ctrl-C reaches its whole foreground process group: a server left in that group would stop with
 * the `npm start` that started it, unasked.
 */
export function runInOwnSession(command: string, args: string[], options: SpawnOptions & { allowFailure?: boolean } = {}): RunResult {
  return commandExists('setsid') ? run('setsid', [command, ...args], options) : run(command, args, options);
}

/** Runs a command with its output shown to the user (long downloads, migrations). */
export function runVisible(command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Runs a command without blocking, keeping its output; fails with the end of that output. */
export function runQuietly(command: string, args: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const outcome: RunResult = { status: null, stdout: '', stderr: '' };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (outcome.stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (outcome.stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      outcome.status = status;
      if (status === 0) return resolve(outcome);
      const detail = `${outcome.stdout}\n${outcome.stderr}`.trim().split('\n').slice(-15).join('\n');
      reject(new Error(`${command} ${args.join(' ')} failed (exit ${status}):\n${detail}`));
    });
  });
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function findFreePort(from: number, attempts = 100): Promise<number> {
  for (let port = from; port < from + attempts; port += 1) {
    if (await isPortFree(port)) return port;
  }
  throw new PrerequisiteError(`No free TCP port between ${from} and ${from + attempts - 1} on 127.0.0.1.`);
}

/** Whether a process with this pid is still running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function log(message: string): void {
  process.stderr.write(`[services] ${message}\n`);
}
