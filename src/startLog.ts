import type { Logger } from './logger';
import type { PackManifest } from './detection/packs/manifest';

/** A service URL as it may be logged: any password replaced, so logs can be shared. */
export function withoutPassword(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString().replace(/\/$/, '');
}

export interface StartFacts {
  databaseUrl: string;
  elasticsearchUrl: string;
  /** null: no pack loaded (that is logged where loading failed). */
  packs: PackManifest[] | null;
  fileRoots: string[];
  storageProfiles: string[];
  https: boolean;
}

/** What a user needs to know the server is set up as they meant: models, sources, services. */
export function logStartFacts(logger: Logger, facts: StartFacts): void {
  if (facts.packs) {
    const packs = facts.packs.map((p) => ({ name: p.name, version: p.version, license: p.license }));
    logger.info({ packs }, `model packs: ${packs.map((p) => `${p.name} ${p.version} (licence: ${p.license})`).join('; ')}`);
  }
  const sources = [
    facts.fileRoots.length ? `file:// under ${facts.fileRoots.join(', ')}` : 'file:// off (FILE_ROOTS is empty)',
    facts.storageProfiles.length
      ? `oss:// and s3:// through profiles ${facts.storageProfiles.join(', ')}`
      : 'oss:// and s3:// off (no storage profile)',
    `https:// ${facts.https ? 'on' : 'off'}`,
  ];
  logger.info(
    { fileRoots: facts.fileRoots, storageProfiles: facts.storageProfiles, https: facts.https },
    `image sources: ${sources.join('; ')} (each project reads only the sources it lists)`,
  );
  const postgres = withoutPassword(facts.databaseUrl);
  const elasticsearch = withoutPassword(facts.elasticsearchUrl);
  logger.info({ postgres, elasticsearch }, `PostgreSQL ${postgres}, Elasticsearch ${elasticsearch}`);
}
