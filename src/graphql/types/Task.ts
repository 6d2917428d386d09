import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LabelLanguage } from '../../vocabulary';
import { PageInfo } from './PageInfo';

export enum TaskState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(TaskState, {
  name: 'TaskState',
  description: "A task's state, as IMM's task Status: queued, running, then succeeded (image errors included), failed (its sources could not be listed) or cancelled.",
});

@ObjectType({ description: 'One image a task could not label; the task goes on without it.', simpleResolvers: true })
export class TaskItemError {
  @Field()
  sourceURI!: string;

  @Field({ description: 'IMM error code (ResourceNotFound, AccessDenied, InvalidArgument for an image that does not decode, …).' })
  code!: string;

  @Field()
  message!: string;
}

@ObjectType()
export class TaskItemErrorEdge {
  @Field()
  cursor!: string;

  @Field(() => TaskItemError)
  node!: TaskItemError;
}

@ObjectType()
export class TaskItemErrorConnection {
  @Field(() => [TaskItemErrorEdge])
  edges!: TaskItemErrorEdge[];

  @Field(() => [TaskItemError])
  nodes!: TaskItemError[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ description: "An asynchronous labeling task (IMM's tasks: GetTask, ListTasks): every image under a bucket prefix or folder.", simpleResolvers: true })
export class Task {
  @Field(() => ID)
  taskId!: string;

  @Field(() => String, { nullable: true, description: 'Null for a server task (ReindexImages).' })
  projectName!: string | null;

  @Field({ description: 'DetectImageLabels, or ReindexImages (admin: the search index rebuilt from Postgres; total and succeeded count images copied).' })
  taskType!: string;

  @Field(() => TaskState)
  state!: TaskState;

  @Field(() => Int, { description: '0..100: the share of listed images done; 100 once succeeded.' })
  progress!: number;

  @Field(() => Int, { description: 'Images listed so far (final once listing is done).' })
  total!: number;

  @Field(() => Int)
  succeeded!: number;

  @Field(() => Int, { description: 'Images that could not be labelled (see errors); they do not fail the task.' })
  failed!: number;

  @Field(() => Int, { description: 'Images left as stored: same bytes, model packs and taxonomy version.' })
  skipped!: number;

  @Field(() => [String])
  sourceURIs!: string[];

  @Field(() => String, { nullable: true, description: 'Why the task failed, or a note (LimitExceeded: only the first itemLimit images were listed).' })
  code!: string | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  startTime!: Date | null;

  @Field(() => Date, { nullable: true })
  endTime!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Seconds left at the pace so far; null before the first image or once finished.' })
  etaSeconds!: number | null;
}

@ObjectType()
export class TaskEdge {
  @Field()
  cursor!: string;

  @Field(() => Task)
  node!: Task;
}

@ObjectType()
export class TaskConnection {
  @Field(() => [TaskEdge])
  edges!: TaskEdge[];

  @Field(() => [Task])
  nodes!: Task[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@InputType({ description: "IMM CreateDetectImageLabelsTask: detectImageLabels' options over every image under a prefix or folder." })
export class CreateDetectImageLabelsTaskInput {
  @Field()
  projectName!: string;

  @Field(() => String, { nullable: true, description: 'oss://bucket/prefix/, s3://bucket/prefix/ or file:///folder/ (under FILE_ROOTS).' })
  sourceURI?: string | null;

  @Field(() => [String], { nullable: true, description: 'Several such sources (instead of sourceURI).' })
  sourceURIs?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Name of a server-side storage profile to read the sources with.' })
  credentialConfig?: string | null;

  @Field(() => Float, { nullable: true, description: '0..1; default: the project’s defaultThreshold.' })
  threshold?: number | null;

  @Field(() => LabelLanguage, { nullable: true, defaultValue: LabelLanguage.ZH_HANS })
  language?: LabelLanguage | null;

  @Field(() => Int, { nullable: true, description: 'As detectImageLabels: 1..1000, default 100.' })
  maxLabels?: number | null;

  @Field(() => [String], { nullable: true })
  includeLabels?: string[] | null;

  @Field(() => [String], { nullable: true })
  excludeLabels?: string[] | null;

  @Field(() => [String], { nullable: true })
  includeCategories?: string[] | null;

  @Field(() => [String], { nullable: true })
  excludeCategories?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Most images the task lists (default and maximum: TASK_MAX_ITEMS, 100,000).' })
  itemLimit?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Label unchanged images again too.' })
  force?: boolean | null;
}

@ArgsType()
export class TasksArgs {
  @Field(() => String, { nullable: true, description: 'Without it (admin key only): every task, server tasks included.' })
  projectName?: string | null;

  @Field(() => String, { nullable: true, description: 'Only tasks of this type (DetectImageLabels, ReindexImages).' })
  taskType?: string | null;

  @Field(() => TaskState, { nullable: true, description: 'Only tasks in this state.' })
  state?: TaskState | null;

  @Field(() => Int, { nullable: true, description: '1..100, default 20.' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
