import { GraphQLSchema } from 'graphql';
import { MiddlewareFn, UseMiddleware } from 'type-graphql';
import { ApiError } from '../api/errors';
import type { GraphQLContext } from '../graphql/context';
import { isProjectName } from '../projects/projectRules';
import { ApiAction } from './actions';
import { isServiceOutage } from '../serviceOutage';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = Record<string, any>;

/**
 * What a root operation needs. Every Query and Mutation must declare one (checked at start), and an
 * action rule must say how it is scoped, so none can forget the project check.
 */
export type AccessRule =
  | { admin: true }
  /** Any valid key: the label taxonomy is the same for everyone. */
  | { anyKey: true }
  /**
   * On one project, named in the arguments. `creates`: a key not covering it is denied, not told it
   * is missing. `orAdmin`: without a project named, the operation spans the server (the admin key only).
   */
  | { action: ApiAction; project: (args: Args) => string | null | undefined; projectField?: string; creates?: boolean; orAdmin?: boolean }
  /** On one image: its project must be one the key covers. */
  | { action: ApiAction; image: (args: Args) => string }
  /** Items naming their own projects: the resolver checks each (a denied item fails alone); each costs a request. */
  | { action: ApiAction; items: (args: Args) => (string | null | undefined)[] }
  /** A listing the resolver limits to the key's projects. */
  | { action: ApiAction; visibleProjectsOnly: true };

const rules = new Map<string, AccessRule>();

/** Records an operation's rule: each operation has exactly one. */
export function declareRule(operation: string, rule: AccessRule): void {
  if (rules.has(operation)) throw new Error(`Two GraphQL operations named ${operation} declare access rules.`);
  rules.set(operation, rule);
}

/** Declares what a Query or Mutation needs and enforces it (with an audit line) before the resolver runs. */
export function Access(rule: AccessRule): MethodDecorator {
  return (target, method, descriptor) => {
    declareRule(String(method), rule);
    UseMiddleware(accessMiddleware)(target, method, descriptor);
  };
}

/** Fails the start when a root operation has no declared access rule, so none is open by accident. */
export function assertEveryOperationHasARule(schema: GraphQLSchema): void {
  const fields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type ? Object.keys(type.getFields()) : [],
  );
  const missing = fields.filter((field) => !rules.has(field));
  if (missing.length) throw new Error(`GraphQL operations without an access rule: ${missing.join(', ')}`);
}

/** Checks the rule; fills `projects` with the (well-formed) project names the operation touches. */
async function authorize(rule: AccessRule, args: Args, operation: string, ctx: GraphQLContext, projects: string[]): Promise<void> {
  const access = ctx.access;
  if ('admin' in rule) return access.requireAdmin(operation);
  if ('anyKey' in rule) return void access.caller();
  const items = 'items' in rule ? rule.items(args) : [];
  // Every operation (every batch item) spends the key's budget, whatever its outcome.
  await access.chargeKey(Math.max(1, items.length));
  if ('project' in rule && rule.orAdmin && (rule.project(args) ?? null) === null) access.requireAdmin(`${operation} without a projectName`);
  else if ('project' in rule) await access.requireProject(rule.action, rule.project(args), rule.projectField, rule.creates, projects);
  else if ('image' in rule) await access.requireImage(rule.action, rule.image(args), projects);
  else {
    access.requireAction(rule.action);
    projects.push(...new Set(items.filter(isProjectName)));
  }
}

/** Enforces a root operation's rule, with an audit line. */
export const accessMiddleware: MiddlewareFn<GraphQLContext> = async ({ args, context, info }, next) =>
  audited(context, `${info.parentType.name}.${info.fieldName}`, rules.get(info.fieldName), async (projects) => {
    const rule = rules.get(info.fieldName);
    if (!rule) throw new ApiError('AccessDenied', `${info.fieldName} has no access rule.`);
    await authorize(rule, args, info.fieldName, context, projects);
    return next();
  });

/**
 * Runs `work` (which fills in the projects it touches), then writes one audit line: who (key id and
 * name, never the secret; the client address), what, on which projects, with which outcome.
 */
export async function audited<T>(
  context: GraphQLContext,
  operation: string,
  rule: AccessRule | undefined,
  work: (projects: string[]) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const principal = context.access.principal;
  const projects: string[] = [];
  const audit = (outcome: string) =>
    context.logger.info(
      {
        audit: true,
        requestId: context.requestId,
        client: context.access.client,
        apiKeyId: principal?.id ?? null,
        apiKeyName: principal?.name ?? null,
        operation,
        action: rule && 'action' in rule ? rule.action : undefined,
        projects,
        outcome,
        ms: Math.round(performance.now() - started),
      },
      `audit: ${operation.slice(operation.indexOf('.') + 1)} ${outcome}`,
    );
  try {
    const result = await work(projects);
    audit('ok');
    return result;
  } catch (error) {
    // An outage reaches the caller as ServiceUnavailable (formatError.ts): the audit says the same.
    audit(error instanceof ApiError ? error.code : isServiceOutage(error) ? 'ServiceUnavailable' : 'InternalError');
    throw error;
  }
}
