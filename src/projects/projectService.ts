import { Project, ProjectChanges, ProjectRepository } from '../persistence/projectRepository';
import { checkPageSize } from '../persistence/paging';
import { checkDescription, checkProjectName, checkThreshold } from './projectRules';

export interface CreateProjectRequest {
  name?: string | null;
  description?: string | null;
  defaultThreshold?: number | null;
}

export interface UpdateProjectRequest {
  name?: string | null;
  description?: string | null;
  defaultThreshold?: number | null;
}

/** Validates project requests before anything is written, then delegates to the repository. */
export class ProjectService {
  constructor(
    private readonly repository: ProjectRepository,
    private readonly defaultThreshold: number,
  ) {}

  create(request: CreateProjectRequest): Promise<Project> {
    const name = checkProjectName(request.name);
    const description = checkDescription(request.description);
    const threshold = checkThreshold(request.defaultThreshold, 'defaultThreshold') ?? this.defaultThreshold;
    return this.repository.create({ name, description, defaultThreshold: threshold });
  }

  get(name: string | null | undefined): Promise<Project> {
    return this.repository.getByName(checkProjectName(name));
  }

  list(first: number | null | undefined, after: string | null | undefined) {
    return this.repository.list(checkPageSize(first), after);
  }

  update(request: UpdateProjectRequest): Promise<Project> {
    const name = checkProjectName(request.name);
    const changes: ProjectChanges = {};
    const description = checkDescription(request.description);
    const threshold = checkThreshold(request.defaultThreshold, 'defaultThreshold');
    if (description !== undefined) changes.description = description;
    if (threshold !== undefined) changes.defaultThreshold = threshold;
    return this.repository.update(name, changes);
  }

  delete(name: string | null | undefined): Promise<Project> {
    return this.repository.delete(checkProjectName(name));
  }

  cursorOf(project: Project): string {
    return this.repository.cursorOf(project);
  }

  imageCount(project: Project): Promise<number> {
    return this.repository.countImages(project.id);
  }
}
