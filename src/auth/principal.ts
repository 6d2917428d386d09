import { ApiAction } from './actions';

/** Who is calling: the admin key from configuration, or a stored API key. */
export type Principal =
  | { kind: 'admin'; id: 'admin'; name: string }
  | {
      kind: 'key';
      id: string;
      name: string;
      actions: ReadonlySet<ApiAction>;
      allProjects: boolean;
      projectNames: ReadonlySet<string>;
      queriesPerSecond: number | null;
    };

export const ADMIN: Principal = { kind: 'admin', id: 'admin', name: 'admin (ADMIN_API_KEY)' };

export const isAdmin = (principal: Principal): boolean => principal.kind === 'admin';

/** A key sees a project when it covers it, whatever the action; other projects do not exist for it. */
export const canSeeProject = (principal: Principal, projectName: string): boolean =>
  principal.kind === 'admin' || principal.allProjects || principal.projectNames.has(projectName);

export const mayDo = (principal: Principal, action: ApiAction): boolean => principal.kind === 'admin' || principal.actions.has(action);

/** The names of the projects a key is limited to; null when it covers all. */
export const projectScope = (principal: Principal): string[] | null =>
  principal.kind === 'admin' || principal.allProjects ? null : [...principal.projectNames];
