import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { TaskState } from '../../vocabulary';
import { PageArgs } from './PageArgs';
import { Connection } from './Connection';
import { DetectOptionsInput } from './DetectOptions';
import './enums';

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
export class TaskItemErrorConnection extends Connection(TaskItemError, { edge: 'TaskItemErrorEdge' }) {}

@ObjectType({
  description: "An asynchronous labeling task (IMM's tasks: GetTask, ListTasks): every image under a bucket prefix or folder.",
  simpleResolvers: true,
})
export class Task {
  @Field(() => ID)
  taskId!: string;

  @Field(() => String, { nullable: true, description: 'Null for a server task (ReindexImages).' })
  projectName!: string | null;

  @Field({
    description:
      'DetectImageLabels, or ReindexImages (admin: the search index rebuilt from Postgres; total and succeeded count images copied).',
  })
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

  @Field(() => String, {
    nullable: true,
    description: 'Why the task failed, or a note (LimitExceeded: only the first itemLimit images were listed).',
  })
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
export class TaskConnection extends Connection(Task, { edge: 'TaskEdge' }) {}

@InputType({ description: "IMM CreateDetectImageLabelsTask: detectImageLabels' options over every image under a prefix or folder." })
export class CreateDetectImageLabelsTaskInput extends DetectOptionsInput({
  credentialConfig: 'Name of a server-side storage profile to read the sources with.',
  maxLabels: 'As detectImageLabels: 1..1000, default 100.',
}) {
  @Field(() => String, { nullable: true, description: 'oss://bucket/prefix/, s3://bucket/prefix/ or file:///folder/ (under FILE_ROOTS).' })
  sourceURI?: string | null;

  @Field(() => [String], { nullable: true, description: 'Several such sources (instead of sourceURI).' })
  sourceURIs?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Most images the task lists (default and maximum: TASK_MAX_ITEMS, 100,000).' })
  itemLimit?: number | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Label unchanged images again too.' })
  force?: boolean | null;
}

/** One task: task and cancelTask take the same two arguments. */
@ArgsType()
export class TaskRefArgs {
  @Field(() => String, { nullable: true })
  projectName?: string | null;

  @Field(() => ID)
  taskId!: string;
}

@ArgsType()
export class TasksArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Without it (admin key only): every task, server tasks included.' })
  projectName?: string | null;

  @Field(() => String, { nullable: true, description: 'Only tasks of this type (DetectImageLabels, ReindexImages).' })
  taskType?: string | null;

  @Field(() => TaskState, { nullable: true, description: 'Only tasks in this state.' })
  state?: TaskState | null;
}
