import { Prisma, PrismaClient, Project as ProjectRow } from '@prisma/client';
import type { Pool } from 'pg';
import { z } from 'zod';
import { alreadyExists, found, projectNotFound } from '../api/errors';
import type { SourceGrant } from '../storage/sourceGrant';
import { isPrismaError } from './prismaErrors';
import { ImageRepository } from './imageRepository';
import { decodeCursor, encodeCursor, Page, pageOfRows } from '../api/paging';

/** A project, its sources read from their JSON column. */
export type Project = Omit<ProjectRow, 'sources'> & { sources: SourceGrant };

// The column as written by the migration and by this code; a row that does not parse grants nothing.
const storedSources = z.object({
  allServerSources: z.boolean().default(false),
  storageProfiles: z.array(z.object({ profile: z.string(), buckets: z.array(z.string()).nullable().default(null) })).default([]),
  fileRoots: z.array(z.string()).default([]),
  https: z.boolean().default(false),
  uploadTo: z.string().nullable().default(null),
});
const NOTHING: SourceGrant = { allServerSources: false, storageProfiles: [], fileRoots: [], https: false };

// A plain JSON object: interfaces lack the index signature Prisma's JSON input type asks for.
const asJson = (sources: SourceGrant) => sources as unknown as Prisma.InputJsonObject;

function toProject(row: ProjectRow): Project {
  const sources = storedSources.safeParse(row.sources);
  return { ...row, sources: sources.success ? sources.data : NOTHING };
}

/** A project as it was deleted, with the images that went with it (counting them afterwards finds none). */
export type DeletedProject = Project & { imageCountAtDeletion: number };

export interface ProjectChanges {
  description?: string;
  defaultThreshold?: number;
  queriesPerSecond?: number | null;
  sources?: SourceGrant;
}

/** Projects in Postgres; translates constraint violations into API errors. */
export class ProjectRepository {
  /** `pool` is the one `prisma` runs on (createPrismaClient), for idOf. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pool: Pool,
  ) {}

  async create(data: {
    name: string;
    description?: string;
    defaultThreshold: number;
    queriesPerSecond?: number | null;
    sources: SourceGrant;
  }): Promise<Project> {
    try {
      return toProject(await this.prisma.project.create({ data: { ...data, sources: asJson(data.sources) } }));
    } catch (error) {
      if (isPrismaError(error, 'P2002')) throw alreadyExists(`Project "${data.name}" already exists.`);
      throw error;
    }
  }

  async findByName(name: string): Promise<Project | null> {
    const row = await this.prisma.project.findUnique({ where: { name } });
    return row && toProject(row);
  }

  /**
   * The project's id alone, or null, for the check on every search: a prepared statement straight
   * on the pool, at an eighth of Prisma's CPU per call (0.035 against 0.27 ms; 0.08 against 0.34 ms
   * a round trip).
   */
  async idOf(name: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ id: string }>({
      name: 'project-id-of',
      text: 'SELECT id::text AS id FROM projects WHERE name = $1',
      values: [name],
    });
    return rows[0]?.id ?? null;
  }

  async getByName(name: string): Promise<Project> {
    return found(await this.findByName(name), () => projectNotFound(name));
  }

  /**
   * Projects ordered by name, limited to `names` unless it is null; the cursor is the last name
   * seen, so pages stay stable under inserts.
   */
  async list(
    first: number,
    after: string | null | undefined,
    names: string[] | null = null,
  ): Promise<Page<Project> & { endCursor: string | null }> {
    const cursor = decodeCursor(after, ['name'] as const);
    const scope: Prisma.ProjectWhereInput = names ? { name: { in: names } } : {};
    const where: Prisma.ProjectWhereInput = cursor ? { AND: [scope, { name: { gt: cursor.name } }] } : scope;
    const [rows, totalCount] = await Promise.all([
      this.prisma.project.findMany({ where, orderBy: { name: 'asc' }, take: first + 1 }),
      this.prisma.project.count({ where: scope }),
    ]);
    return pageOfRows(rows.map(toProject), first, totalCount, (project) => this.cursorOf(project));
  }

  cursorOf(project: Project): string {
    return encodeCursor({ name: project.name });
  }

  async update(name: string, changes: ProjectChanges): Promise<Project> {
    try {
      const { sources, ...rest } = changes;
      return toProject(await this.prisma.project.update({ where: { name }, data: sources ? { ...rest, sources: asJson(sources) } : rest }));
    } catch (error) {
      if (isPrismaError(error, 'P2025')) throw projectNotFound(name);
      throw error;
    }
  }

  /**
   * Deletes the project; its images go with it (ON DELETE CASCADE), and the same transaction queues
   * the removal of their search documents.
   */
  async delete(name: string): Promise<DeletedProject> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const project = await tx.project.findUnique({ where: { name } });
        if (!project) throw projectNotFound(name);
        // One removal queued per image: how many images went with the project.
        const imageCount = await ImageRepository.outboxDeletesForProject(tx, project.id);
        return { ...toProject(await tx.project.delete({ where: { id: project.id } })), imageCountAtDeletion: imageCount };
      });
    } catch (error) {
      if (isPrismaError(error, 'P2025')) throw projectNotFound(name);
      throw error;
    }
  }

  /** Image counts of these projects, in one grouped query; a project without images is absent. */
  async countImagesOf(projectIds: string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.image.groupBy({ by: ['projectId'], where: { projectId: { in: projectIds } }, _count: { _all: true } });
    return new Map(rows.map((row) => [row.projectId, row._count._all]));
  }
}
