import { LRUCache } from 'lru-cache';
import { projectNotFound } from '../api/errors';
import type { Project, ProjectRepository } from '../persistence/projectRepository';

// Searches, detections and rate limits look a project up on every request; a Postgres round trip
// each time was 2 ms of a search. Kept this long, a change made through another gateway applies
// within it (searches check the project meanwhile: see lookup).
const CACHE_MS = 5_000;

/** A project as cached, and the id Postgres holds for its name now, being read meanwhile. */
export interface ProjectLookup {
  project: Project;
  /** The id of the project of that name now; null when there is none. */
  currentId: Promise<string | null>;
}

/**
 * Projects by name, kept briefly. Only found projects are kept, so a project created elsewhere is
 * seen at once; this gateway's own updates and deletes forget theirs at once (`forget`).
 */
export class ProjectDirectory {
  private readonly cache = new LRUCache<string, Project>({ max: 10_000, ttl: CACHE_MS });
  /** Bumped by every forget: a read that began before one must not put back what it forgot. */
  private forgets = 0;

  constructor(private readonly repository: ProjectRepository) {}

  private async read(name: string): Promise<Project | null> {
    const forgetsBefore = this.forgets;
    const project = await this.repository.findByName(name);
    if (!project) this.cache.delete(name);
    else if (this.forgets === forgetsBefore) this.cache.set(name, project);
    return project;
  }

  async find(name: string): Promise<Project | null> {
    return this.cache.get(name) ?? this.read(name);
  }

  /** The project, or ResourceNotFound. */
  async get(name: string): Promise<Project> {
    const project = await this.find(name);
    if (!project) throw projectNotFound(name);
    return project;
  }

  /**
   * The project at once (cached, else read), with its current id read meanwhile. A search runs on
   * the first and checks it against the second (then forgets a stale one): a project deleted
   * through another gateway keeps its documents in the index until the relay removes them, and
   * must not show them meanwhile.
   */
  async lookup(name: string): Promise<ProjectLookup> {
    const cached = this.cache.get(name);
    if (!cached) {
      const project = await this.get(name);
      return { project, currentId: Promise.resolve(project.id) };
    }
    const currentId = this.repository.idOf(name);
    currentId.catch(() => undefined); // awaited by the caller; never an unhandled rejection
    return { project: cached, currentId };
  }

  forget(name: string): void {
    this.forgets += 1;
    this.cache.delete(name);
  }
}
