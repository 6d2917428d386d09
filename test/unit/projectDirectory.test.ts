import type { Project, ProjectRepository } from '../../src/persistence/projectRepository';
import { ProjectDirectory } from '../../src/projects/projectDirectory';

// The cache's own rules, over an in-memory stand-in for the repository (its Postgres side is
// tested in test/integration/searchImages.test.ts and abuseLimits.test.ts).
function directoryOver(rows: Map<string, Project>) {
  const reads: string[] = [];
  let hold: Promise<void> = Promise.resolve();
  const repository = {
    async findByName(name: string) {
      reads.push(name);
      const row = rows.get(name) ?? null; // read when the query starts, answered when released
      await hold;
      return row;
    },
    async idOf(name: string) {
      return rows.get(name)?.id ?? null;
    },
  } as unknown as ProjectRepository;
  const holdReads = () => {
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    return () => {
      release();
      hold = Promise.resolve();
    };
  };
  return { directory: new ProjectDirectory(repository), reads, holdReads };
}

const project = (id: string, name = 'acme') => ({ id, name }) as Project;

describe('the project directory', () => {
  it('keeps found projects, not missing ones', async () => {
    const rows = new Map([['acme', project('1')]]);
    const { directory, reads } = directoryOver(rows);
    expect(await directory.find('acme')).toEqual(project('1'));
    expect(await directory.find('acme')).toEqual(project('1'));
    expect(await directory.find('nobody')).toBeNull();
    rows.set('nobody', project('2', 'nobody'));
    expect(await directory.find('nobody')).toEqual(project('2', 'nobody'));
    expect(reads).toEqual(['acme', 'nobody', 'nobody']);
  });

  it('does not put back a project that was forgotten while it was being read', async () => {
    const rows = new Map([['acme', project('1')]]);
    const { directory, reads, holdReads } = directoryOver(rows);
    const release = holdReads();
    const reading = directory.find('acme');
    rows.delete('acme'); // deleted meanwhile, and forgotten
    directory.forget('acme');
    release();
    expect(await reading).toEqual(project('1'));
    expect(await directory.find('acme')).toBeNull();
    expect(reads).toEqual(['acme', 'acme']);
  });

  it('answers a lookup from the cache and reads the current id beside it', async () => {
    const rows = new Map([['acme', project('1')]]);
    const { directory } = directoryOver(rows);
    await directory.find('acme');
    rows.set('acme', project('2')); // deleted and created again elsewhere
    const { project: cached, currentId } = await directory.lookup('acme');
    expect(cached.id).toBe('1');
    expect(await currentId).toBe('2');
    directory.forget('acme'); // what a search does with a stale one
    expect((await directory.lookup('acme')).project.id).toBe('2');
    rows.delete('acme');
    expect(await (await directory.lookup('acme')).currentId).toBeNull();
    directory.forget('acme');
    await expect(directory.lookup('acme')).rejects.toMatchObject({ code: 'ResourceNotFound' });
  });
});
