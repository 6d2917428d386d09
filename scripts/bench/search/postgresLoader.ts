// Puts the synthetic images in the bench's own Postgres database, as a deployment holds them (the
// gateway looks projects up there; search pages come from the index): image and label rows in big
// multi-row INSERTs over unnest'ed arrays, the next batch generated while Postgres writes the
// previous one.
import { Client } from 'pg';
import { withDatabaseName } from '../../../tools/services/serviceUrls';
import { ensureDatabase, migrate } from '../../../tools/services/postgresService';
import type { SyntheticDataset, SyntheticImage } from './syntheticImages';

const BATCH = 5000;

export interface LoadResult {
  /** false: the dataset was already there, complete, and was reused. */
  loaded: boolean;
  docs: number;
  seconds: number;
  docsPerSecond: number;
}

/** Creates and migrates the bench database; returns its URL. */
export async function ensureBenchDatabase(serverUrl: string, database: string): Promise<string> {
  await ensureDatabase(serverUrl, database);
  const url = withDatabaseName(serverUrl, database);
  await migrate(url);
  return url;
}

/** Whether the database holds exactly this dataset, completely (its projects carry its key once loaded). */
export async function postgresHasDataset(db: Client, dataset: SyntheticDataset): Promise<boolean> {
  const projects = await db.query<{ id: string; description: string }>('SELECT id, description FROM projects');
  const ids = new Set(dataset.projects.map((p) => p.id));
  if (projects.rowCount !== ids.size || projects.rows.some((p) => !ids.has(p.id) || p.description !== dataset.key)) return false;
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM images');
  return Number(rows[0].n) === dataset.spec.docs;
}

function insertImages(db: Client, images: SyntheticImage[]) {
  const column = <K extends keyof SyntheticImage>(key: K) => images.map((image) => image[key]);
  const iso = (key: 'detectedAt' | 'createdAt' | 'updatedAt') => images.map((image) => image[key].toISOString());
  return db.query(
    `INSERT INTO images (id, project_id, source_uri, sha256, width, height, format, bytes, model_version, taxonomy_version, detected_at, created_at, updated_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::char(64)[], $5::int[], $6::int[], $7::varchar[], $8::int[], $9::varchar[], $10::varchar[],
                          $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])`,
    [
      column('id'),
      column('projectId'),
      column('sourceUri'),
      column('sha256'),
      column('width'),
      column('height'),
      column('format'),
      column('bytes'),
      column('modelVersion'),
      column('taxonomyVersion'),
      iso('detectedAt'),
      iso('createdAt'),
      iso('updatedAt'),
    ],
  );
}

function insertLabels(db: Client, images: SyntheticImage[]) {
  const labels = images.flatMap((image) => image.labels);
  return db.query(
    `INSERT INTO image_labels (image_id, label_id, confidence, centric_score)
     SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::float8[], $4::float8[])`,
    [labels.map((l) => l.imageId), labels.map((l) => l.labelId), labels.map((l) => l.confidence), labels.map((l) => l.centricScore)],
  );
}

/**
 * Makes the database hold exactly this dataset: reused when it already does (unless reload),
 * otherwise emptied and loaded. The key is written last, so an interrupted load is never reused.
 */
export async function loadPostgres(
  databaseUrl: string,
  dataset: SyntheticDataset,
  options: { reload?: boolean; onProgress?: (done: number) => void } = {},
): Promise<LoadResult> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    if (!options.reload && (await postgresHasDataset(db, dataset)))
      return { loaded: false, docs: dataset.spec.docs, seconds: 0, docsPerSecond: 0 };
    const started = performance.now();
    await db.query('SET synchronous_commit = off');
    await db.query('TRUNCATE projects, outbox_events CASCADE');
    await db.query(
      `INSERT INTO projects (id, name, description, updated_at) SELECT id, name, 'loading', now() FROM unnest($1::uuid[], $2::varchar[]) AS p(id, name)`,
      [dataset.projects.map((p) => p.id), dataset.projects.map((p) => p.name)],
    );
    let writing: Promise<unknown> = Promise.resolve();
    for (let start = 0; start < dataset.spec.docs; start += BATCH) {
      const batch = dataset.images(start, start + BATCH);
      await writing;
      options.onProgress?.(start);
      // Images before their labels (foreign key); one transaction per batch.
      writing = (async () => {
        await db.query('BEGIN');
        await insertImages(db, batch);
        await insertLabels(db, batch);
        await db.query('COMMIT');
      })();
    }
    await writing;
    await db.query('ANALYZE images, image_labels');
    await db.query('UPDATE projects SET description = $1', [dataset.key]);
    const seconds = (performance.now() - started) / 1000;
    return { loaded: true, docs: dataset.spec.docs, seconds, docsPerSecond: dataset.spec.docs / seconds };
  } finally {
    await db.end();
  }
}

/** Image and label rows in the database, and its size on disk. */
export async function postgresStats(databaseUrl: string): Promise<{ images: number; labels: number; bytes: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ images: string; labels: string; bytes: string }>(
      'SELECT (SELECT count(*) FROM images) AS images, (SELECT count(*) FROM image_labels) AS labels, pg_database_size(current_database()) AS bytes',
    );
    return { images: Number(rows[0].images), labels: Number(rows[0].labels), bytes: Number(rows[0].bytes) };
  } finally {
    await db.end();
  }
}

/** Drops the bench database (--cleanup). */
export async function dropBenchDatabase(serverUrl: string, database: string): Promise<void> {
  const db = new Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
  await db.connect();
  try {
    await db.query(`DROP DATABASE IF EXISTS "${database.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await db.end();
  }
}
