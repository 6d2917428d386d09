import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ConnectionView } from '../../application/connection';
import type { ProjectView } from '../../application/projectUseCases';
import type { GraphQLContext } from '../context';
import { PageArgs } from '../types/PageArgs';
import { CreateProjectInput, Project, ProjectConnection, ProjectSources, UpdateProjectInput } from '../types/Project';

@Resolver(() => Project)
export class ProjectResolver {
  @Access({ action: ApiAction.ReadProjects, project: (a) => a.name, projectField: 'name' })
  @Query(() => Project, { description: 'One project by name; ResourceNotFound when there is none.' })
  project(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<ProjectView> {
    return ctx.services.projects.get(name);
  }

  @Access({ action: ApiAction.ReadProjects, visibleProjectsOnly: true })
  @Query(() => ProjectConnection, { description: 'All projects, ordered by name, a page at a time.' })
  projects(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() ctx: GraphQLContext): Promise<ConnectionView<ProjectView>> {
    return ctx.services.projects.list(first, after, ctx.access.visibleProjects());
  }

  @FieldResolver(() => Int, { description: 'Number of images stored in the project.' })
  imageCount(@Root() project: ProjectView, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.services.projects.imageCount(project, ctx.loaders.imageCounts);
  }

  @FieldResolver(() => ProjectSources, {
    nullable: true,
    description: 'The sources the project may read; null unless the key may manage the project (ManageProjects on it, or the admin key).',
  })
  sources(@Root() project: ProjectView, @Ctx() ctx: GraphQLContext): ProjectSources | null {
    return ctx.access.mayOnProject(ApiAction.ManageProjects, project.name) ? project.sources : null;
  }

  @Access({ action: ApiAction.ManageProjects, project: (a) => a.input?.name, projectField: 'name', creates: true })
  @Mutation(() => Project)
  createProject(@Arg('input', () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: GraphQLContext): Promise<ProjectView> {
    // A project's rate limit is the operator's to set: a key could otherwise lift its own ceiling.
    if (input.queriesPerSecond !== undefined) ctx.access.requireAdmin('createProject with queriesPerSecond');
    return ctx.services.projects.create(input);
  }

  @Access({ action: ApiAction.ManageProjects, project: (a) => a.input?.name, projectField: 'name' })
  @Mutation(() => Project)
  updateProject(@Arg('input', () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() ctx: GraphQLContext): Promise<ProjectView> {
    if (input.queriesPerSecond !== undefined) ctx.access.requireAdmin('updateProject with queriesPerSecond');
    return ctx.services.projects.update(input);
  }

  @Access({ action: ApiAction.ManageProjects, project: (a) => a.name, projectField: 'name' })
  @Mutation(() => Project, { description: 'Deletes the project with its images and their labels; returns what was deleted.' })
  deleteProject(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<ProjectView> {
    return ctx.services.projects.delete(name);
  }
}
