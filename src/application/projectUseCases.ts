import type { ImageCountLoader } from '../projects/imageCountLoader';
import type { CreateProjectRequest, ProjectService, UpdateProjectRequest } from '../projects/projectService';
import type { SourceGrant } from '../storage/sourceGrant';
import { ConnectionView, connectionOf } from './connection';

/** A project as the API shows it; a deleted one carries the count of images it took with it. */
export interface ProjectView {
  id: string;
  name: string;
  description: string;
  defaultThreshold: number;
  queriesPerSecond: number | null;
  createdAt: Date;
  updatedAt: Date;
  sources: SourceGrant;
  imageCountAtDeletion?: number;
}

/** Projects: create, read, list, change and delete them, and count their images. */
export class ProjectUseCases {
  constructor(private readonly projects: ProjectService) {}

  get(name: string): Promise<ProjectView> {
    return this.projects.get(name);
  }

  /** A page of the projects, by name; `visible`: only these names (null: all). */
  async list(
    first: number | null | undefined,
    after: string | null | undefined,
    visible: string[] | null,
  ): Promise<ConnectionView<ProjectView>> {
    const page = await this.projects.list(first, after, visible);
    return connectionOf(
      page,
      (row): ProjectView => row,
      (row) => this.projects.cursorOf(row),
    );
  }

  /** This request's batched counter (a per-request loader). */
  imageCounter(): ImageCountLoader {
    return this.projects.imageCounter();
  }

  /** The project's images: counted (through the request's loader), or as many as went with it when it was deleted. */
  imageCount(project: ProjectView, counter: ImageCountLoader): Promise<number> {
    return 'imageCountAtDeletion' in project && project.imageCountAtDeletion !== undefined
      ? Promise.resolve(project.imageCountAtDeletion)
      : counter.load(project.id);
  }

  create(request: CreateProjectRequest): Promise<ProjectView> {
    return this.projects.create(request);
  }

  update(request: UpdateProjectRequest): Promise<ProjectView> {
    return this.projects.update(request);
  }

  delete(name: string): Promise<ProjectView> {
    return this.projects.delete(name);
  }
}
