import { mkdirSync, writeFileSync } from 'node:fs';
import { localDir } from '../../src/config/projectRoot';
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
