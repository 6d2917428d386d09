import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { migrateScratchDatabase } from '../support/scratchMigrations';
import { sharedImage } from '../support/sharedData';
import { createTask, finishedTask } from '../support/tasks';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';

// One file is one image however its sourceURI is %-encoded: a request stores the URI in the one
// spelling a task's listing uses too, and the migration moves rows stored under another spelling.

const DETECT = 'mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id sourceURI } } }';
const project = uniqueName('spelling');
let server: TestServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'labelgate-spelling-'));
  for (const name of ['猫.png', 'my pic.png', '100%.png']) copyFileSync(sharedImage('photos/coffee.png'), join(root, name));
  server = await startTestServer({ FILE_ROOTS: root });
  const created = await server.gql('mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }', {
    input: { name: project, sources: { fileRoots: [root] } },
  });
  expect(created.body.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

const detect = async (sourceURI: string) => {
  const result = await server.gql(DETECT, { input: { projectName: project, sourceURI } });
  expect(result.body.errors).toBeUndefined();
  return result.body.data!.detectImageLabels.image as { id: string; sourceURI: string };
};

describe('a file named in several %-encodings', () => {
  it('is one image, stored as people write its name, whether a request or a task labels it', async () => {
    const cat = await detect(`file://${root}/猫.png`);
    expect(cat.sourceURI).toBe(`file://${root}/猫.png`);
    expect(await detect(`file://${root}/%E7%8C%AB.png`)).toEqual(cat);
    expect(await detect(`file://${root}/%e7%8c%ab.png`)).toEqual(cat);
    const spaced = await detect(`file://${root}/my%20pic.png`);
    expect(spaced.sourceURI).toBe(`file://${root}/my pic.png`);
    const percent = await detect(`file://${root}/100%25.png`);
    expect(percent.sourceURI).toBe(`file://${root}/100%25.png`);

    const task = await finishedTask(
      server,
      project,
      (await createTask(server, { projectName: project, sourceURI: `file://${root}/` })).taskId,
    );
    expect(task).toMatchObject({ state: 'SUCCEEDED', total: 3, failed: 0 });
    const listed = await server.gql('query($p: String!) { images(projectName: $p, first: 10) { nodes { id sourceURI } } }', { p: project });
    expect(listed.body.data!.images.nodes.map((image: { id: string }) => image.id).sort()).toEqual([cat.id, spaced.id, percent.id].sort());
  });
});

describe('the migration to one spelling', () => {
  it('moves rows to it, keeps the newest of one source, and queues their search documents', async () => {
    const ids: Record<string, string> = {};
    const image = async (db: PgClient, uri: string, detectedAt: string) =>
      (
        await db.query(
          `INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, detected_at, updated_at)
           SELECT gen_random_uuid(), id, $1, repeat('a', 64), 1, 1, 'png', 1, 'm', 't', $2::timestamptz, $2::timestamptz FROM projects RETURNING id`,
          [uri, detectedAt],
        )
      ).rows[0].id as string;
    const db = await migrateScratchDatabase('spelling', '20261220080000_source_uri_spelling', {
      before: async (db) => {
        await db.query(`INSERT INTO projects (id, name, updated_at) VALUES (gen_random_uuid(), 'old', now())`);
        ids.catTyped = await image(db, 'file:///p/猫.png', '2026-12-01T00:00:00Z');
        ids.catTask = await image(db, 'file:///p/%E7%8C%AB.png', '2026-12-02T00:00:00Z');
        ids.spaced = await image(db, 'oss://bucket/a/my%20pic.png', '2026-12-01T00:00:00Z');
        ids.percent = await image(db, 'file:///p/100%25.png', '2026-12-01T00:00:00Z');
        ids.query = await image(db, 'file:///p/x.png?v=1', '2026-12-01T00:00:00Z');
        ids.broken = await image(db, 'file:///p/%E7.png', '2026-12-01T00:00:00Z');
        ids.https = await image(db, 'https://example.com/a%20b.png', '2026-12-01T00:00:00Z');
      },
    });
    try {
      const { rows } = await db.query('SELECT id, source_uri FROM images');
      expect(Object.fromEntries(rows.map((row) => [row.id, row.source_uri]))).toEqual({
        [ids.catTask]: 'file:///p/猫.png',
        [ids.spaced]: 'oss://bucket/a/my pic.png',
        [ids.percent]: 'file:///p/100%25.png',
        [ids.query]: 'file:///p/x.png?v=1',
        [ids.broken]: 'file:///p/%E7.png',
        [ids.https]: 'https://example.com/a%20b.png',
      });
      const events = await db.query('SELECT operation, image_id FROM outbox_events');
      const sorted = (list: { operation: string; image_id: string }[]) =>
        list.map((event) => `${event.operation} ${event.image_id}`).sort();
      expect(sorted(events.rows)).toEqual(
        sorted([
          { operation: 'delete', image_id: ids.catTyped },
          { operation: 'upsert', image_id: ids.catTask },
          { operation: 'upsert', image_id: ids.spaced },
        ]),
      );
      const leftovers = await db.query(
        `SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'labelgate_stored_spelling'
         UNION ALL SELECT count(*)::int FROM pg_tables WHERE tablename = 'labelgate_respelled'`,
      );
      expect(leftovers.rows).toEqual([{ n: 0 }, { n: 0 }]);
    } finally {
      await db.end();
    }
  });
});
