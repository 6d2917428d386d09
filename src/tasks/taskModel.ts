import type { LiveTopic, LiveTopics } from '../live/liveTopics';
import type { DetectRequest } from '../detection/labelDetector';

import { TaskState } from '../vocabulary';

export const TASK_STATES: readonly TaskState[] = Object.values(TaskState);
/** States a task leaves no more. */
export const FINAL_STATES: readonly TaskState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export const DETECT_IMAGE_LABELS_TASK = 'DetectImageLabels';
/** Rebuilds the search index from Postgres (admin; a server task: no project). */
export const REINDEX_IMAGES_TASK = 'ReindexImages';

/** The detection options a task applies to every image, as detectImageLabels takes them. */
export type TaskDetectOptions = DetectRequest & {
  /** Label images again even when their bytes, models and taxonomy are those stored. */
  force?: boolean;
};

/** A task as stored. */
export interface TaskRecord {
  id: string;
  /** Null for a server task (ReindexImages). */
  projectId: string | null;
  projectName: string | null;
  taskType: string;
  state: TaskState;
  sourceUris: string[];
  credentialConfig: string | null;
  options: TaskDetectOptions;
  itemLimit: number;
  requestId: string;
  total: number;
  listed: boolean;
  /** Where listing resumes; a ReindexImages task keeps its ReindexCheckpoint here. */
  listCursor: ListCursor | null;
  succeeded: number;
  failed: number;
  skipped: number;
  code: string | null;
  message: string | null;
  createdAt: Date;
  startTime: Date | null;
  endTime: Date | null;
}

/** Where listing resumes: the source's index in sourceUris, and the last key or path listed there. */
export interface ListCursor {
  source: number;
  after: string | null;
}

/** A task of one project (every task but a server task). */
export type ProjectTaskRecord = TaskRecord & { projectId: string; projectName: string };
export const isProjectTask = (task: TaskRecord | null): task is ProjectTaskRecord =>
  task !== null && task.projectId !== null && task.projectName !== null;

/** Where a ReindexImages task's copy resumes: the index it builds, when it began, the last image id copied. */
export interface ReindexCheckpoint {
  index: string;
  since: string;
  after: string | null;
}

/** An item that failed, with its error. */
export interface TaskItemError {
  seq: number;
  sourceUri: string;
  code: string;
  message: string;
}

/** One item's result, as a worker settles it. */
export type ItemOutcome =
  | { seq: number; state: 'SUCCEEDED'; detection: import('../persistence/imageRecords').DetectionRecord }
  | { seq: number; state: 'SKIPPED' }
  | { seq: number; state: 'FAILED'; code: string; message: string };

/** How far a task has come, 0..100, and when it should end at its pace so far (seconds). */
export function progressOf(
  task: Pick<TaskRecord, 'state' | 'total' | 'listed' | 'succeeded' | 'failed' | 'skipped' | 'startTime'>,
  now = Date.now(),
) {
  const done = task.succeeded + task.failed + task.skipped;
  if (task.state === 'SUCCEEDED') return { progress: 100, etaSeconds: 0 };
  if (!task.total || !task.listed) return { progress: 0, etaSeconds: null };
  const progress = Math.min(99, Math.floor((done / task.total) * 100));
  if (FINAL_STATES.includes(task.state) || !task.startTime || done === 0) return { progress, etaSeconds: null };
  const perItemMs = (now - task.startTime.getTime()) / done;
  return { progress, etaSeconds: Math.ceil(((task.total - done) * perItemMs) / 1000) };
}

/** Where task progress and the images tasks label are announced to live subscribers (LiveSubscriptionService). */
export interface TaskFeed {
  publish<K extends LiveTopic>(topic: K, event: LiveTopics[K]): Promise<void>;
}
