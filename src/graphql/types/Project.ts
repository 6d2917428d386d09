import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from './Connection';

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

  @Field(() => Float, {
    nullable: true,
    description: "Requests per second on this project, across all keys (IMM's ProjectQueriesPerSecond); null: the server default.",
  })
  queriesPerSecond!: number | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@ObjectType({ description: 'A storage profile a project may read through.' })
export class StorageProfileSource {
  @Field({ description: 'The server-side storage profile (STORAGE_CONFIG), as credentialConfig or the bucket mapping names it.' })
  profile!: string;

  @Field(() => [String], {
    nullable: true,
    description: 'The buckets the project may read through it; null: every bucket the profile serves.',
  })
  buckets!: string[] | null;
}

@ObjectType({ description: "The sources a project may read; any other sourceURI is AccessDenied (like IMM's project-bound credentials)." })
export class ProjectSources {
  @Field({
    description: 'Every source the server serves: projects created before projects listed their sources, until updateProject sets them.',
  })
  allServerSources!: boolean;

  @Field(() => [StorageProfileSource], { description: 'oss:// and s3:// through these profiles.' })
  storageProfiles!: StorageProfileSource[];

  @Field(() => [String], { description: "file:// below these folders (each inside the server's FILE_ROOTS)." })
  fileRoots!: string[];

  @Field({ description: 'https:// sources, where the server enables them (HTTPS_SOURCES_ENABLED).' })
  https!: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Where photos sent with detectImageLabels(file:) are written (an oss://, s3:// prefix or file:// folder); null: the project takes no uploads.',
  })
  uploadTo?: string | null;
}

@ObjectType()
export class ProjectConnection extends Connection(Project, {
  edge: 'ProjectEdge',
  nodes: 'The projects of this page, without cursors.',
  totalCount: 'Number of projects in all pages.',
}) {}

@InputType({ description: 'A storage profile a project may read through, optionally limited to some buckets.' })
export class StorageProfileSourceInput {
  @Field({
    description: 'A storage profile name (STORAGE_CONFIG); names are not checked against the server, which never says which exist.',
  })
  profile!: string;

  @Field(() => [String], { nullable: true, description: 'Left out or null: every bucket the profile serves.' })
  buckets?: string[] | null;
}

@InputType({ description: 'The sources a project may read. Replaces all of them: lists left out are empty, https left out is false.' })
export class ProjectSourcesInput {
  @Field(() => [StorageProfileSourceInput], { nullable: true })
  storageProfiles?: StorageProfileSourceInput[] | null;

  @Field(() => [String], { nullable: true, description: "Absolute folders, each inside the server's FILE_ROOTS." })
  fileRoots?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'https:// sources, where the server enables them.' })
  https?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Where uploaded photos are written, each named by its SHA-256: oss://bucket/prefix/ or s3://bucket/prefix/ of a bucket listed above, or file:///folder/ inside one of fileRoots. Left out: no uploads.',
  })
  uploadTo?: string | null;
}

@InputType()
export class CreateProjectInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Float, { nullable: true, description: 'Default 0.5 (server setting DEFAULT_PROJECT_THRESHOLD).' })
  defaultThreshold?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Requests per second on this project (admin key only); null: the server default (RATE_LIMIT_PROJECT_QPS).',
  })
  queriesPerSecond?: number | null;

  @Field(() => ProjectSourcesInput, { nullable: true, description: 'The sources the project may read; left out: none.' })
  sources?: ProjectSourcesInput | null;
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

  @Field(() => ProjectSourcesInput, { nullable: true, description: 'Replaces every source the project may read.' })
  sources?: ProjectSourcesInput | null;
}
