import { ApiError, projectNotFound } from '../api/errors';
import { imageNotFound } from '../persistence/imageRepository';
import { checkProjectName } from '../projects/projectRules';
import { ApiAction } from './actions';
import { canSeeProject, isAdmin, mayDo, Principal, projectScope } from './principal';
import type { SharedRateLimiter } from './sharedRateLimiter';

/** What access checks need from the rest of the service. */
export interface AccessDeps {
  limiter: SharedRateLimiter;
  /** Requests per second a key may make unless it has its own limit. */
  keyQps: number;
  /** Requests per second allowed on a project (its own setting, else the server default). */
  projectQps(projectName: string): Promise<number>;
  /** The project an image belongs to; null when there is no such image. */
  projectOfImage(imageId: string): Promise<string | null>;
}

export const keyRequired = () =>
  new ApiError(
    'InvalidAccessKeyId',
    'An API key is required: send "Authorization: Bearer <key>" (in GraphiQL, paste it in the API key box).',
  );

/**
 * One request's access decisions. Projects a key does not cover do not exist for it: asking about
 * them answers exactly what asking about a missing project answers (ResourceNotFound), so a key
 * cannot even learn their names. Every operation on a project also counts against its rate limit.
 */
export class AccessControl {
  constructor(
    readonly principal: Principal | null,
    private readonly deps: AccessDeps,
    /** The client's address, for the audit log. */
    readonly client = '',
  ) {}

  /** The caller, or InvalidAccessKeyId when no key was sent. */
  caller(): Principal {
    if (!this.principal) throw keyRequired();
    return this.principal;
  }

  requireAdmin(operation: string): void {
    if (!isAdmin(this.caller())) throw new ApiError('AccessDenied', `Only the admin key may call ${operation}.`);
  }

  requireAction(action: ApiAction): void {
    if (!mayDo(this.caller(), action)) throw new ApiError('AccessDenied', `This API key is not allowed ${action}.`, { action });
  }

  /** Whether the caller may do `action` on the project (no error, no rate limit): for fields only some keys see. */
  mayOnProject(action: ApiAction, projectName: string): boolean {
    return this.principal !== null && mayDo(this.principal, action) && canSeeProject(this.principal, projectName);
  }

  /**
   * Spends `cost` of the key's request budget (every operation and batch item counts, so aliases and
   * batches cannot multiply one HTTP request's worth). The admin key has no budget.
   */
  async chargeKey(cost: number): Promise<void> {
    const principal = this.caller();
    if (principal.kind !== 'key') return;
    const rate = principal.queriesPerSecond ?? this.deps.keyQps;
    const wait = await this.deps.limiter.take(`key:${principal.id}`, rate, cost);
    if (!wait) return;
    const burst = this.deps.limiter.burstOf(rate);
    const advice =
      cost > burst
        ? `this request's ${cost} operations are more than its burst of ${burst}: send fewer at a time.`
        : `retry in ${wait} ms.`;
    throw new ApiError('Throttling', `API key ${principal.id} is limited to ${rate} requests per second; ${advice}`, {
      retryAfterMs: wait,
    });
  }

  /** Action on a project that must exist (or that the key could create, with `creates`). */
  async requireProject(
    action: ApiAction,
    name: string | null | undefined,
    field = 'projectName',
    creates = false,
    seen: string[] = [],
  ): Promise<string> {
    this.requireAction(action);
    const checked = checkProjectName(name, field);
    seen.push(checked);
    if (!canSeeProject(this.caller(), checked)) {
      if (creates) throw new ApiError('AccessDenied', `This API key does not cover project "${checked}".`, { action });
      throw projectNotFound(checked);
    }
    await this.throttleProject(checked);
    return checked;
  }

  /** Action on an image: images of projects the key does not cover are as missing as missing ones. */
  async requireImage(action: ApiAction, imageId: string, seen: string[] = []): Promise<void> {
    this.requireAction(action);
    const project = await this.deps.projectOfImage(imageId);
    if (project === null) return; // the resolver answers ResourceNotFound itself
    seen.push(project);
    if (!canSeeProject(this.caller(), project)) throw imageNotFound(imageId);
    await this.throttleProject(project);
  }

  /** Names of the projects the key is limited to; null when it covers all. */
  visibleProjects(): string[] | null {
    return projectScope(this.caller());
  }

  private async throttleProject(name: string): Promise<void> {
    const rate = await this.deps.projectQps(name);
    const wait = await this.deps.limiter.take(`project:${name}`, rate);
    if (wait)
      throw new ApiError('Throttling', `Project "${name}" is limited to ${rate} requests per second; retry in ${wait} ms.`, {
        retryAfterMs: wait,
      });
  }
}
