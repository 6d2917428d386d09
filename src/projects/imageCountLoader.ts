import DataLoader from 'dataloader';

/**
 * Projects' image counts for one request, batched: every count asked for in the same turn of the
 * event loop is one grouped query, and each project is counted once per request. A page of 100
 * projects, or the same page under 15 aliases, made one COUNT(*) per project and alias. A failed
 * batch fails its counts only: DataLoader forgets them, so a later ask counts again.
 */
export type ImageCountLoader = DataLoader<string, number>;

export function imageCountLoader(countMany: (projectIds: string[]) => Promise<Map<string, number>>): ImageCountLoader {
  return new DataLoader(async (ids: readonly string[]) => {
    const found = await countMany([...ids]);
    return ids.map((id) => found.get(id) ?? 0);
  });
}
