import type { AccessControl } from '../auth/accessControl';
import type { ApiAction } from '../auth/actions';
import type { LiveEventBus } from './liveEventBus';
import type { LiveTopic, LiveTopics } from './liveTopics';

/**
 * Subscriptions, under the same access rules as queries: the key must be allowed the action on the
 * project (a project it does not cover does not exist for it), and each subscription costs one
 * request of the key's and the project's budgets. It then sees that project's events of the topic
 * only, optionally narrowed (a task's progress: its id).
 */
export class LiveSubscriptionService {
  constructor(private readonly bus: LiveEventBus) {}

  async subscribe<K extends LiveTopic>(
    topic: K,
    action: ApiAction,
    access: AccessControl,
    projectName: string | null | undefined,
    only: (event: LiveTopics[K]) => boolean = () => true,
    /** Looks up what the subscription follows (the project, the task): ResourceNotFound, not silence. */
    requireTarget: (project: string) => Promise<unknown> = async () => undefined,
  ): Promise<AsyncIterable<LiveTopics[K]>> {
    await access.chargeKey(1);
    const project = await access.requireProject(action, projectName);
    await requireTarget(project);
    const events = this.bus.subscribe(topic, project);
    return {
      [Symbol.asyncIterator]: () => ({
        async next() {
          for (;;) {
            const step = await events.next();
            if (step.done || only(step.value)) return step;
          }
        },
        return: () => events.return(undefined),
      }),
    };
  }

  /** Publishes an event (best-effort: a failure to send it is not the publisher's failure). */
  publish<K extends LiveTopic>(topic: K, event: LiveTopics[K]): Promise<void> {
    return this.bus.publish(topic, event);
  }
}
