import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { CreateProjectInput, Project, ProjectConnection, UpdateProjectInput } from '../types/Project';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => Project, { description: 'One project by name; ResourceNotFound when there is none.' })
  project(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return ctx.projects.get(name);
  }

  @Query(() => ProjectConnection, { description: 'All projects, ordered by name, a page at a time.' })
  async projects(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1..100, default 20.' }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<ProjectConnection> {
    const page = await ctx.projects.list(first, after);
    return {
      edges: page.items.map((node) => ({ node, cursor: ctx.projects.cursorOf(node) })),
      nodes: page.items,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }

  @FieldResolver(() => Int, { description: 'Number of images stored in the project.' })
  imageCount(@Root() project: Project, @Ctx() ctx: GraphQLContext): Promise<number> {
    return ctx.projects.imageCount(project);
  }

  @Mutation(() => Project)
  createProject(@Arg('input', () => CreateProjectInput) input: CreateProjectInput, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return ctx.projects.create(input);
  }

  @Mutation(() => Project)
  updateProject(@Arg('input', () => UpdateProjectInput) input: UpdateProjectInput, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return ctx.projects.update(input);
  }

  @Mutation(() => Project, { description: 'Deletes the project with its images and their labels; returns what was deleted.' })
  deleteProject(@Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Project> {
    return ctx.projects.delete(name);
  }
}
