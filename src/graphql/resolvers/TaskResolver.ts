import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import type { ConnectionView } from '../../application/connection';
import type { TaskItemErrorView, TaskView } from '../../application/taskUseCases';
import type { GraphQLContext } from '../context';
import type { LiveTopics } from '../../live/liveTopics';
import { LiveSubscription } from '../liveSubscription';
import { PageArgs } from '../types/PageArgs';
import { CreateDetectImageLabelsTaskInput, Task, TaskConnection, TaskItemErrorConnection, TaskRefArgs, TasksArgs } from '../types/Task';

@Resolver(() => Task)
export class TaskResolver {
  @LiveSubscription(
    () => Task,
    'taskProgress',
    {
      action: ApiAction.DetectImageLabels,
      project: (a) => a.projectName,
      only: (a) => (event) => event.taskId === a.taskId,
      target: (a, services, project) => services.tasks.get(project, a.taskId),
    },
    'A task as it moves (started, more images listed, a batch labelled, finished or cancelled), from now on, over WebSocket (graphql-ws); query task(…) first for where it stands.',
  )
  taskProgress(
    @Root() event: LiveTopics['taskProgress'],
    @Arg('projectName') _projectName: string,
    @Arg('taskId', () => ID) _taskId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TaskView> {
    return ctx.services.tasks.progress(event);
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.input?.projectName })
  @Mutation(() => Task, {
    description:
      'Queues a task that labels every image under a prefix or folder (IMM CreateDetectImageLabelsTask); follow it with task(…).',
  })
  createDetectImageLabelsTask(
    @Arg('input', () => CreateDetectImageLabelsTaskInput) input: CreateDetectImageLabelsTaskInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TaskView> {
    return ctx.services.tasks.create(input, ctx.requestId);
  }

  @Access({ admin: true })
  @Mutation(() => Task, {
    description:
      'Admin: queues a ReindexImages task that rebuilds the search index from Postgres into a new index and then moves the alias (no downtime); follow it with task(taskId: …). OperationConflict while one is queued or running.',
  })
  createReindexImagesTask(@Ctx() ctx: GraphQLContext): Promise<TaskView> {
    return ctx.services.tasks.createReindex(ctx.requestId);
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.projectName, orAdmin: true })
  @Query(() => Task, {
    description:
      'One task of a project (IMM GetTask); ResourceNotFound when there is none. Without projectName (admin key only): any task, server tasks (ReindexImages) included.',
  })
  task(@Args(() => TaskRefArgs) { projectName, taskId }: TaskRefArgs, @Ctx() ctx: GraphQLContext): Promise<TaskView> {
    return ctx.services.tasks.get(projectName, taskId);
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.projectName, orAdmin: true })
  @Query(() => TaskConnection, {
    description:
      "A project's tasks, newest first (IMM ListTasks). Without projectName (admin key only): every task, server tasks included.",
  })
  tasks(
    @Args(() => TasksArgs) { projectName, state, taskType, first, after }: TasksArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionView<TaskView>> {
    return ctx.services.tasks.list(projectName, { state, taskType }, first, after);
  }

  @Access({ action: ApiAction.DetectImageLabels, project: (a) => a.projectName, orAdmin: true })
  @Mutation(() => Task, {
    description:
      'Stops a queued or running task (images already labelled stay labelled; a cancelled reindex leaves the alias where it was); a finished one is OperationConflict. Without projectName: admin key only, any task.',
  })
  cancelTask(@Args(() => TaskRefArgs) { projectName, taskId }: TaskRefArgs, @Ctx() ctx: GraphQLContext): Promise<TaskView> {
    return ctx.services.tasks.cancel(projectName, taskId);
  }

  @FieldResolver(() => TaskItemErrorConnection, { description: 'The images the task could not label, in listing order.' })
  errors(
    @Root() task: TaskView,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConnectionView<TaskItemErrorView>> {
    return ctx.services.tasks.errors(task, first, after);
  }
}
