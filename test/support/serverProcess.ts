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

/** Kills the process with SIGKILL (no handler runs) and resolves once it has exited. */
export async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await exited(child);
}

/**
 * The worker processes of a test file (ROLE=worker, `env` over the test's environment), their
 * heartbeat short so that a killed one's jobs come back within a test; `stop` ends them all.
 */
export class WorkerProcesses {
  readonly started: ChildProcess[] = [];

  constructor(private readonly env: () => Record<string, string>) {}

  start(env: Record<string, string> = {}): ChildProcess {
    const child = startServerProcess({ ROLE: 'worker', TASK_HEARTBEAT_SECONDS: '10', TASK_SUPERVISE_SECONDS: '1', ...this.env(), ...env });
    this.started.push(child);
    return child;
  }

  async stop(): Promise<void> {
    for (const child of this.started) child.kill('SIGTERM');
    await Promise.all(this.started.map(exited));
  }
}
