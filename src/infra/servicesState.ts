import { mkdirSync, writeFileSync } from 'node:fs';
import { localDir } from '../config/projectRoot';
import { readServicesState, servicesStateFile, ServicesState } from '../config/serviceUrls';

export function updateServicesState(patch: Partial<ServicesState>): ServicesState {
  const next = { ...readServicesState(), ...patch };
  mkdirSync(localDir, { recursive: true });
  writeFileSync(servicesStateFile, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
