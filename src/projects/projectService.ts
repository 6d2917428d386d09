import { DeletedProject, Project, ProjectChanges, ProjectRepository } from '../persistence/projectRepository';
import { checkPageSize } from '../api/paging';
import { ImageCountLoader, imageCountLoader } from './imageCountLoader';
import type { ProjectDirectory } from './projectDirectory';
import { checkDescription, checkProjectName, checkQueriesPerSecond, checkThreshold } from './projectRules';
import { checkProjectSources, ProjectSourcesRequest } from './projectSources';
import { NO_SOURCES } from '../storage/sourceGrant';

export interface CreateProjectRequest {
  name?: string | null;
  description?: string | null;
  defaultThreshold?: number | null;
  queriesPerSecond?: number | null;
  /** Replaces every source the project may read; left out, a new project reads none and an existing one keeps its own. */
  sources?: ProjectSourcesRequest | null;
}

export type UpdateProjectRequest = CreateProjectRequest;

/** Validates project requests before anything is written, then delegates to the repository. */
export class ProjectService {
  constructor(
    private readonly repository: ProjectRepository,
    private readonly defaultThreshold: number,
    /** Forgets what it changes, so this gateway's next search and rate limit see the change. */
    private readonly directory: ProjectDirectory,
    /** The server's FILE_ROOTS: a project's file roots must lie inside them. */
    private readonly serverFileRoots: string[] = [],
  ) {}

  create(request: CreateProjectRequest): Promise<Project> {
    const name = checkProjectName(request.name);
    const description = checkDescription(request.description);
    const threshold = checkThreshold(request.defaultThreshold, 'defaultThreshold') ?? this.defaultThreshold;
    const queriesPerSecond = checkQueriesPerSecond(request.queriesPerSecond) ?? null;
    const sources = request.sources ? checkProjectSources(request.sources, this.serverFileRoots) : NO_SOURCES;
    return this.repository.create({ name, description, defaultThreshold: threshold, queriesPerSecond, sources });
  }

  get(name: string | null | undefined): Promise<Project> {
    return this.repository.getByName(checkProjectName(name));
  }

  /** A page of projects, limited to `names` (an API key's projects) unless it is null. */
  list(first: number | null | undefined, after: string | null | undefined, names: string[] | null = null) {
    return this.repository.list(checkPageSize(first), after, names);
  }

  update(request: UpdateProjectRequest): Promise<Project> {
    const name = checkProjectName(request.name);
    const changes: ProjectChanges = {};
    const description = checkDescription(request.description);
    const threshold = checkThreshold(request.defaultThreshold, 'defaultThreshold');
    if (description !== undefined) changes.description = description;
    if (threshold !== undefined) changes.defaultThreshold = threshold;
    const queriesPerSecond = checkQueriesPerSecond(request.queriesPerSecond);
    if (queriesPerSecond !== undefined) changes.queriesPerSecond = queriesPerSecond;
    if (request.sources) changes.sources = checkProjectSources(request.sources, this.serverFileRoots);
    return this.repository.update(name, changes).finally(() => this.directory.forget(name));
  }

  delete(name: string | null | undefined): Promise<DeletedProject> {
    const checked = checkProjectName(name);
    return this.repository.delete(checked).finally(() => this.directory.forget(checked));
  }

  cursorOf(project: Project): string {
    return this.repository.cursorOf(project);
  }

  /** A loader of image counts for one request (see ImageCountLoader). */
  imageCounter(): ImageCountLoader {
    return imageCountLoader((ids) => this.repository.countImagesOf(ids));
  }
}
