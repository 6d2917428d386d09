import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';

/**
 * The built server (`npm test` builds it) in a process of its own, with `env` over the test's
 * environment and its output on the test's: a worker a test can kill.
 */
export function startServerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(projectRoot, 'dist', 'src', 'main.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Resolves once the process has exited (at once if it has). */
export const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
