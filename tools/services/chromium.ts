import { existsSync } from 'node:fs';
import { commandExists, isRoot, log, PrerequisiteError, run } from './processes';

export const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The browser test drives Debian's Chromium (no browser download is possible offline); install it if we may. */
export function ensureChromium(): string {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  if (!isRoot() || !commandExists('apt-get')) {
    throw new PrerequisiteError(
      `Chromium is needed for the browser test and is not at ${path}: install it (sudo apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  log("installing Debian's chromium for the browser test (apt-get)");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { env, allowFailure: true });
  if (install().status !== 0) {
    run('apt-get', ['update', '-q'], { env, allowFailure: true });
    const second = install();
    if (second.status !== 0) throw new PrerequisiteError(`apt-get could not install chromium: ${second.stderr.trim().split('\n').pop()}`);
  }
  if (!existsSync(path)) throw new PrerequisiteError(`chromium was installed but is not at ${path}; set CHROMIUM_PATH.`);
  return path;
}
