import { Subscription } from 'type-graphql';
import type { PubSub } from 'type-graphql';
import { audited, declareRule } from '../auth/accessRules';
import type { ApiAction } from '../auth/actions';
import type { LiveTopic, LiveTopics } from '../live/liveTopics';
import type { GraphQLContext } from './context';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = Record<string, any>;

/** Who may subscribe: an action on the project the arguments name; `only` narrows the events (a task's id). */
export interface LiveRule<K extends LiveTopic> {
  action: ApiAction;
  project: (args: Args) => string | null | undefined;
  only?: (args: Args) => (event: LiveTopics[K]) => boolean;
  /** Looks up what the arguments name (throws ResourceNotFound), so an unknown one is refused, not silent. */
  target: (args: Args, services: GraphQLContext['services'], project: string) => Promise<unknown>;
}

/**
 * A subscription to a live topic, checked like a query (the rule is declared with the others, and
 * each subscription writes an audit line); its method turns each event into the GraphQL answer.
 */
export function LiveSubscription<K extends LiveTopic>(
  // type-graphql's own ReturnTypeFunc takes any class here.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  returnType: () => Function,
  topic: K,
  rule: LiveRule<K>,
  description: string,
): MethodDecorator {
  return (target, method, descriptor) => {
    const operation = String(method);
    declareRule(operation, { action: rule.action, project: rule.project });
    Subscription(returnType, {
      description,
      subscribe: ({ args, context }: { args: Args; context: GraphQLContext }) =>
        audited(context, `Subscription.${operation}`, { action: rule.action, project: rule.project }, async (projects) => {
          const events = await context.services.live.subscribe(
            topic,
            rule.action,
            context.access,
            rule.project(args),
            rule.only?.(args),
            (project) => rule.target(args, context.services, project),
          );
          projects.push(String(rule.project(args)));
          return events;
        }),
    })(target, method, descriptor);
  };
}

/** type-graphql wants a PubSub; subscriptions here name their own source (LiveSubscription), never topics. */
export const NO_TOPIC_PUBSUB: PubSub = {
  publish() {
    throw new Error('Publish live events through LiveSubscriptionService.');
  },
  subscribe() {
    throw new Error('Subscriptions take their events from LiveSubscription.');
  },
};
