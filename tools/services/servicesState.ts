import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { localDir } from '../../src/config/projectRoot';
import { isAlive, log } from './processes';
import { readServicesState, servicesStateFile, ServicesState } from './serviceUrls';

export function updateServicesState(patch: Partial<ServicesState>): ServicesState {
  const next = { ...readServicesState(), ...patch };
  mkdirSync(localDir, { recursive: true });
  writeFileSync(servicesStateFile, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/**
 * What `up` records once it has settled on a server: the one it started, or the one it started
 * earlier when it is that one again. A server it only found is not recorded (the variable that named
 * it applies to this run alone), and an entry for a server it stopped and no longer uses is dropped,
 * so that later runs go back to the defaults.
 */
export function recordServerInUse<K extends keyof ServicesState>(
  service: K,
  previous: ServicesState[K],
  ours: ServicesState[K] | null,
): void {
  if (ours) updateServicesState({ [service]: { ...ours, stopped: undefined } });
  else if (previous?.stopped) updateServicesState({ [service]: undefined });
}

/** Marks a server `down` stopped: still ours (status names it), no longer running. */
export function recordServerStopped<K extends keyof ServicesState>(service: K, entry: NonNullable<ServicesState[K]>): void {
  updateServicesState({ [service]: { ...entry, stopped: true } });
}

/**
 * What `down` finds of a server it runs by a pid file (Elasticsearch, S3Proxy): the recorded entry
 * when a live process is left to stop; else null, having said why (already stopped, not ours, or
 * ours but its process gone: killed, or the machine restarted, which it then records stopped).
 */
export function serverToStop<K extends 'elasticsearch' | 's3'>(
  service: K,
  label: string,
  pid: number,
  pidFile: string,
): NonNullable<ServicesState[K]> | null {
  const state = readServicesState()[service];
  if (state?.stopped) log(`${label}: already stopped`);
  else if (!state) log(`${label}: not started by labelgate, left running`);
  else if (!pid || !isAlive(pid)) {
    rmSync(pidFile, { force: true });
    recordServerStopped(service, state as NonNullable<ServicesState[K]>);
    log(`${label}: started by labelgate, no longer running`);
  } else return state as NonNullable<ServicesState[K]>;
  return null;
}

/**
 * Where `up` looks for a server, in order: the one a variable names (it must answer: the caller
 * checked); else a private one this script started and did not stop, alone, since it holds the data
 * and is started again when it no longer answers (a reboot) rather than swapped for whatever answers
 * at the default; else the one recorded earlier, then the default.
 */
export function candidateUrls(
  named: string | undefined,
  previous: { url: string; startedBy: string; stopped?: boolean } | undefined,
  defaultUrl: string,
): string[] {
  if (named) return [named];
  if (previous?.startedBy === 'private' && !previous.stopped) return [previous.url];
  return [previous?.url, defaultUrl].filter((u): u is string => Boolean(u));
}
