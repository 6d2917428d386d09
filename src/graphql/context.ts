import type { ApplicationServices } from '../application/applicationServices';
import type { AccessControl } from '../auth/accessControl';
import type { Logger } from '../logger';
import type { ImageCountLoader } from '../projects/imageCountLoader';

/** What lives for one request only: loaders batch and cache within it. */
export interface RequestLoaders {
  /** This request's projects' image counts, batched. */
  imageCounts: ImageCountLoader;
}

/**
 * What every resolver gets: who calls (the principal, through its access rules), the request's id,
 * logger and loaders, and the application services from the composition root (src/app.ts).
 */
export interface GraphQLContext {
  requestId: string;
  /** The gateway's address as this request reached it (or PUBLIC_URL), for URLs in answers. */
  baseUrl: string;
  logger: Logger;
  /** Who is calling and what they may do; every root operation goes through it (src/auth/accessRules.ts). */
  access: AccessControl;
  loaders: RequestLoaders;
  services: ApplicationServices;
}
