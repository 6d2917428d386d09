import { Access } from '../../auth/accessRules';
import { ApiAction } from '../../auth/actions';
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../connection';
import type { GraphQLContext } from '../context';
import type { Project as StoredProject } from '../../persistence/projectRepository';
import { CreateProjectInput, Project, ProjectConnection, ProjectSources, UpdateProjectInput } from '../types/Project';

@Resolver(() => Project)
export class ProjectResolver {
  @Access({ action: ApiAction.ReadProjects, project: (a) => a.name, projectField: 'name' })
  @Query(() => Project, { description: 'One project by name; ResourceNotFound when there is none.' })
  project(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return ctx.projects.get(name);
  }

  @Access({ action: ApiAction.ReadProjects, visibleProjectsOnly: true })
  @Query(() => ProjectConnection, { description: 'All projects, ordered by name, a page at a time.' })
  async projects(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ProjectConnection> {
    const page = await ctx.projects.list(first, after, ctx.access.visibleProjects());
    return connectionOf(page, (row) => row, (row) => ctx.projects.cursorOf(row));
  }

  @FieldResolver(() => Int, { description: 'Number of images stored in the project.' })
  imageCount(@Root() project: StoredProject, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.projects.imageCount(project, ctx.imageCounts);
  }

  @FieldResolver(() => ProjectSources, { nullable: true, description: 'The sources the project may read; null unless the key may manage the project (ManageProjects on it, or the admin key).' })
  sources(@Root() project: StoredProject, @Ctx() ctx: GraphQLContext): ProjectSources | null {
    return ctx.access.mayOnProject(ApiAction.ManageProjects, project.name) ? project.sources : null;
  }

  @Access({ action: ApiAction.ManageProjects, project: (a) => a.input?.name, projectField: 'name', creates: true })
  @Mutation(() => Project)
  createProject(@Arg('input', () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: GraphQLContext): Promise<Project> {
    // A project's rate limit is the operator's to set: a key could otherwise lift its own ceiling.
    if (input.queriesPerSecond !== undefined) ctx.access.requireAdmin('createProject with queriesPerSecond');
    return ctx.projects.create(input);
  }

  @Access({ action: ApiAction.ManageProjects, project: (a) => a.input?.name, projectField: 'name' })
  @Mutation(() => Project)
  updateProject(@Arg('input', () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() ctx: GraphQLContext): Promise<Project> {
    if (input.queriesPerSecond !== undefined) ctx.access.requireAdmin('updateProject with queriesPerSecond');
    return ctx.projects.update(input);
  }

  @Access({ action: ApiAction.ManageProjects, project: (a) => a.name, projectField: 'name' })
  @Mutation(() => Project, { description: 'Deletes the project with its images and their labels; returns what was deleted.' })
  deleteProject(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return ctx.projects.delete(name);
  }
}
