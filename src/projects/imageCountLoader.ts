/**
 * Projects' image counts for one request, batched: every count asked for in the same turn of the
 * event loop is one grouped query, and each project is counted once per request. A page of 100
 * projects, or the same page under 15 aliases, made one COUNT(*) per project and alias.
 */
export class ImageCountLoader {
  private readonly counts = new Map<string, Promise<number>>();
  private batch: { ids: string[]; done: Promise<Map<string, number>> } | null = null;

  constructor(private readonly countMany: (projectIds: string[]) => Promise<Map<string, number>>) {}

  load(projectId: string): Promise<number> {
    let count = this.counts.get(projectId);
    if (!count) {
      const batch = this.currentBatch();
      batch.ids.push(projectId);
      count = batch.done.then((found) => found.get(projectId) ?? 0);
      this.counts.set(projectId, count);
    }
    return count;
  }

  private currentBatch() {
    if (!this.batch) {
      const ids: string[] = [];
      // Started once this turn's resolvers have all asked.
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.batch = null;
        return this.countMany(ids);
      });
      this.batch = { ids, done };
    }
    return this.batch;
  }
}
