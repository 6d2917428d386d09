// A terminal's Ctrl-C sends SIGINT to its whole foreground process group. The servers the services
// script leaves running must not be in that group, or Ctrl-C on `npm start` stops them too.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/projectRoot';
import { isAlive, sleep } from '../../tools/services/processes';

const processesJs = join(projectRoot, 'dist', 'tools', 'services', 'processes.js');

// A command that leaves a process behind and exits, as `elasticsearch -d` and `pg_ctl start` do.
const daemon = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); c.unref(); console.log(c.pid);`;

/**
 * Plays `npm start` in a terminal: a process group of its own (the foreground job) whose process
 * starts the daemon with `how` and stays; then Ctrl-C (SIGINT to the group). Returns the daemon's pid.
 */
async function ctrlCAfterStarting(how: 'run' | 'runInOwnSession'): Promise<number> {
  const starter = `const p = require(${JSON.stringify(processesJs)}); console.log(p.${how}(process.execPath, ['-e', ${JSON.stringify(daemon)}]).stdout.trim()); setTimeout(() => {}, 60000);`;
  const job = spawn(process.execPath, ['-e', starter], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => job.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim()))));
  const exited = new Promise((resolve) => job.once('exit', resolve));
  process.kill(-job.pid!, 'SIGINT');
  await exited;
  return pid;
}

async function stillAliveAfter(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (!isAlive(pid)) return false;
  return isAlive(pid);
}

describe('servers started by the services script', () => {
  it('stop with the terminal job when started in its process group', async () => {
    const pid = await ctrlCAfterStarting('run');
    try {
      expect(await stillAliveAfter(pid, 2000)).toBe(false);
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('survive Ctrl-C when started in a session of their own', async () => {
    const pid = await ctrlCAfterStarting('runInOwnSession');
    try {
      expect(await stillAliveAfter(pid, 1000)).toBe(true);
    } finally {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
