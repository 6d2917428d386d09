/**
 * What can be subscribed to, by topic. Every event names its project: a subscription sees only
 * events of the project it was allowed on. A new live feed is a topic here, a publish where it
 * happens, and one subscription resolver (see LiveSubscriptionService.subscribe).
 */
export interface LiveTopics {
  /** An image was labelled (created or labelled again) and stored; the search index follows within moments. */
  imageLabeled: { projectName: string; imageId: string; labeledAt: string };
  /** A task moved: it started, listed more images, settled a batch of them, finished or was cancelled. */
  taskProgress: { projectName: string; taskId: string };
}

export type LiveTopic = keyof LiveTopics;
export const LIVE_TOPICS: readonly LiveTopic[] = ['imageLabeled', 'taskProgress'];
