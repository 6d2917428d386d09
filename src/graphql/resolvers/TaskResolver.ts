import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { progressOf, TaskRecord } from '../../tasks/taskModel';
import { connectionOf } from '../connection';
import type { GraphQLContext } from '../context';
import type { LiveTopics } from '../../live/liveTopics';
import { LiveSubscription } from '../liveSubscription';
import { CreateDetectImageLabelsTaskInput, Task, TaskConnection, TaskItemErrorConnection, TasksArgs, TaskState } from '../types/Task';

/** Task as resolvers pass it: the GraphQL fields plus the stored task, for its errors. */
type TaskNode = Task & { record: TaskRecord };

function toNode(task: TaskRecord): TaskNode {
  const { progress, etaSeconds } = progressOf(task);
  return {
    taskId: task.id,
    projectName: task.projectName,
    taskType: task.taskType,
    state: task.state as TaskState,
    progress,
    total: task.total,
    succeeded: task.succeeded,
    failed: task.failed,
    skipped: task.skipped,
    sourceURIs: task.sourceUris,
    code: task.code,
    message: task.message,
    createdAt: task.createdAt,
    startTime: task.startTime,
    endTime: task.endTime,
    etaSeconds,
    record: task,
  };
}

@Resolver(() => Task)
export class TaskResolver {
  @LiveSubscription(
    () => Task,
    'taskProgress',
    { action: ApiAction.DetectImageLabels, project: (a) => a.projectName, only: (a) => (event) => event.taskId === a.taskId },
    "A task as it moves (started, more images listed, a batch labelled, finished or cancelled), from now on, over WebSocket (graphql-ws); query task(…) first for where it stands.",
  )
  async taskProgress(
    @Root() event: LiveTopics['taskProgress'],
    @Arg('projectName') _projectName: string,
    @Arg('taskId', () => ID) _taskId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Task> {
    return toNode(await ctx.tasks.get(event.projectName, event.taskId));
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.input?.projectName })
  @Mutation(() => Task, { description: 'Queues a task that labels every image under a prefix or folder (IMM CreateDetectImageLabelsTask); follow it with task(…).' })
  async createDetectImageLabelsTask(@Arg('input', () => CreateDetectImageLabelsTaskInput) input: CreateDetectImageLabelsTaskInput, @Ctx() ctx: GraphQLContext): Promise<Task> {
    return toNode(await ctx.tasks.createDetectTask({ ...input, sourceUri: input.sourceURI, sourceUris: input.sourceURIs }, ctx.requestId));
  }

  @Access({ admin: true })
  @Mutation(() => Task, {
    description: 'Admin: queues a ReindexImages task that rebuilds the search index from Postgres into a new index and then moves the alias (no downtime); follow it with task(taskId: …). OperationConflict while one is queued or running.',
  })
  async createReindexImagesTask(@Ctx() ctx: GraphQLContext): Promise<Task> {
    return toNode(await ctx.tasks.createReindexTask(ctx.requestId));
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.projectName, orAdmin: true })
  @Query(() => Task, { description: 'One task of a project (IMM GetTask); ResourceNotFound when there is none. Without projectName (admin key only): any task, server tasks (ReindexImages) included.' })
  async task(
    @Arg('projectName', () => String, { nullable: true }) projectName: string | null,
    @Arg('taskId', () => ID) taskId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Task> {
    return toNode(await ctx.tasks.get(projectName, taskId));
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.projectName, orAdmin: true })
  @Query(() => TaskConnection, { description: "A project's tasks, newest first (IMM ListTasks). Without projectName (admin key only): every task, server tasks included." })
  async tasks(@Args(() => TasksArgs) args: TasksArgs, @Ctx() ctx: GraphQLContext): Promise<TaskConnection> {
    const page = await ctx.tasks.list(args.projectName, { state: args.state, taskType: args.taskType }, args.first, args.after);
    return connectionOf(page, toNode, (row) => ctx.tasks.cursorOf(row));
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.projectName, orAdmin: true })
  @Mutation(() => Task, {
    description:
      'Stops a queued or running task (images already labelled stay labelled; a cancelled reindex leaves the alias where it was); a finished one is OperationConflict. Without projectName: admin key only, any task.',
  })
  async cancelTask(
    @Arg('projectName', () => String, { nullable: true }) projectName: string | null,
    @Arg('taskId', () => ID) taskId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Task> {
    return toNode(await ctx.tasks.cancel(projectName, taskId));
  }

  @FieldResolver(() => TaskItemErrorConnection, { description: 'The images the task could not label, in listing order.' })
  async errors(
    @Root() task: TaskNode,
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<TaskItemErrorConnection> {
    const page = await ctx.tasks.errors(task.record, first, after);
    return connectionOf(page, (row) => ({ sourceURI: row.sourceUri, code: row.code, message: row.message }), (row) => ctx.tasks.errorCursorOf(row));
  }
}
