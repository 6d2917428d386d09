import { TtlCache } from '../auth/ttlCache';
import { projectNotFound } from '../persistence/persistenceErrors';
import type { Project, ProjectRepository } from '../persistence/projectRepository';

// Searches and rate limits look a project up on every request; a Postgres round trip each time
// was 2 ms of a search. Kept this long, a change made through another gateway applies within it.
const CACHE_MS = 5_000;

/**
 * Projects by name, kept briefly. Only found projects are kept, so a project created elsewhere is
 * seen at once; this gateway's own updates and deletes forget theirs at once (`forget`).
 */
export class ProjectDirectory {
  private readonly cache = new TtlCache<Project>(CACHE_MS);

  constructor(private readonly repository: ProjectRepository) {}

  async find(name: string): Promise<Project | null> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const project = await this.repository.findByName(name);
    if (project) this.cache.set(name, project);
    return project;
  }

  /** The project, or ResourceNotFound. */
  async get(name: string): Promise<Project> {
    const project = await this.find(name);
    if (!project) throw projectNotFound(name);
    return project;
  }

  forget(name: string): void {
    this.cache.delete(name);
  }
}
