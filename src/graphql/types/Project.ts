import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './PageInfo';

@ObjectType({ description: 'A namespace for images and their labels, like an IMM project.' })
export class Project {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Unique name: lowercase letters, digits and "-", at most 128 characters.' })
  name!: string;

  @Field()
  description!: string;

  @Field(() => Float, { description: 'Confidence threshold (0..1) applied when a detection request names none.' })
  defaultThreshold!: number;

  @Field(() => Float, { nullable: true, description: "Requests per second on this project, across all keys (IMM's ProjectQueriesPerSecond); null: the server default." })
  queriesPerSecond!: number | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType()
export class ProjectEdge {
  @Field()
  cursor!: string;

  @Field(() => Project)
  node!: Project;
}

@ObjectType()
export class ProjectConnection {
  @Field(() => [ProjectEdge])
  edges!: ProjectEdge[];

  @Field(() => [Project], { description: 'The projects of this page, without cursors.' })
  nodes!: Project[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of projects in all pages.' })
  totalCount!: number;
}

@InputType()
export class CreateProjectInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Float, { nullable: true, description: 'Default 0.5 (server setting DEFAULT_PROJECT_THRESHOLD).' })
  defaultThreshold?: number | null;

  @Field(() => Float, { nullable: true, description: 'Requests per second on this project (admin key only); null: the server default (RATE_LIMIT_PROJECT_QPS).' })
  queriesPerSecond?: number | null;
}

@InputType({ description: 'Changes to a project; fields left out stay as they are. Names cannot change.' })
export class UpdateProjectInput {
  @Field({ description: 'The project to change.' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Float, { nullable: true })
  defaultThreshold?: number | null;

  @Field(() => Float, { nullable: true, description: 'Admin key only; null or 0 puts the server default back.' })
  queriesPerSecond?: number | null;
}
