import type { ProjectRepository } from '../persistence/projectRepository';
import { TtlCache } from './ttlCache';

// Looked up on every project operation, so kept briefly: a changed limit applies within this time.
const CACHE_MS = 5_000;

/** Each project's requests-per-second limit: its own setting, else the server default. */
export class ProjectRates {
  private readonly cache = new TtlCache<number>(CACHE_MS);

  constructor(
    private readonly projects: ProjectRepository,
    private readonly defaultRate: number,
  ) {}

  async of(projectName: string): Promise<number> {
    const cached = this.cache.get(projectName);
    if (cached !== undefined) return cached;
    const project = await this.projects.findByName(projectName);
    if (!project) return this.defaultRate; // not cached: a project created next keeps its own limit
    const rate = project.queriesPerSecond ?? this.defaultRate;
    this.cache.set(projectName, rate);
    return rate;
  }
}
