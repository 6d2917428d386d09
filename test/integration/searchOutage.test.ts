import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { projectRoot } from '../../src/config/projectRoot';
import { createSearchClient } from '../../src/search/elasticsearchClient';
import { imageAlias } from '../../src/search/imageIndex';
import { isolatedDatabase } from '../support/isolatedDatabase';
import { closedPort } from '../support/net';
import { sharedDir } from '../support/sharedData';
import { startTestServer, TestServer, uniqueName } from '../support/testServer';
import { createLogger } from '../../src/logger';
import { Writable } from 'node:stream';

// Stops a real Elasticsearch in the middle of a run. It is this test's own server (started with the
// services script in a folder of its own), so the other tests keep theirs.
const cli = join(projectRoot, 'dist', 'tools', 'services', 'servicesCli.js');
const localDir = mkdtempSync(join(tmpdir(), 'labelgate-outage-'));
chmodSync(localDir, 0o755);
let port: number;
let url: string;
let databaseUrl: string;

function services(command: 'up' | 'down') {
  // This run's own Elasticsearch on `port`: recorded as the one the script started, so that `up`
  // starts it (again) there rather than using one that answers at the default address, and without
  // ELASTICSEARCH_URL, which names a server that must already answer.
  if (command === 'up') writeFileSync(join(localDir, 'services.json'), JSON.stringify({ elasticsearch: { url, startedBy: 'private' } }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LABELGATE_LOCAL_DIR: localDir,
    DATABASE_URL: databaseUrl,
    ES_PORT: String(port),
    ES_HEAP: '512m',
  };
  delete env.ELASTICSEARCH_URL;
  const result = spawnSync(process.execPath, [cli, command], {
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) throw new Error(`services ${command} failed:\n${result.stderr}`);
  return result.stderr;
}

let server: TestServer;
let pg: PgClient;
const project = uniqueName('outage');
const logLines: string[] = [];
const logs = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const CREATE_PROJECT = 'mutation($n: String!, $r: String!) { createProject(input: { name: $n, sources: { fileRoots: [$r] } }) { name } }';
const DETECT = `mutation($input: DetectImageLabelsInput!) { detectImageLabels(input: $input) { image { id } labels { labelId } } }`;

beforeAll(async () => {
  port = await closedPort();
  url = `http://127.0.0.1:${port}`;
  // A database of its own: the other test files' gateways would otherwise drain this outbox into their index.
  databaseUrl = await isolatedDatabase('outage');
  expect(services('up')).toMatch(new RegExp(`starting Elasticsearch on 127\\.0\\.0\\.1:${port}`));
  server = await startTestServer(
    { DATABASE_URL: databaseUrl, ELASTICSEARCH_URL: url, FILE_ROOTS: `${sharedDir}/images` },
    createLogger('info', logs),
  );
  pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  await server.gql(CREATE_PROJECT, { n: project, r: `${sharedDir}/images` });
}, 300_000);

afterAll(async () => {
  await server?.gql('mutation($n: String!) { deleteProject(name: $n) { name } }', { n: project });
  await server?.close();
  await pg?.end();
  services('down');
  rmSync(localDir, { recursive: true, force: true });
}, 120_000);

it('with Elasticsearch stopped, detection still stores everything; once it is back, every pending image is indexed', async () => {
  services('down');
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect((await ready.json()).checks.elasticsearch.ok).toBe(false);
  // The caller is told ServiceUnavailable, and the audit line says the same, not InternalError.
  const searched = await server.gql('query($p: String!) { searchImages(projectName: $p) { totalCount } }', { p: project });
  expect(searched.body.errors![0].extensions.code).toBe('ServiceUnavailable');
  const audit = logLines
    .map((line) => JSON.parse(line) as { audit?: boolean; requestId?: string; outcome?: string })
    .find((entry) => entry.audit && entry.requestId === searched.body.extensions?.requestId);
  expect(audit?.outcome).toBe('ServiceUnavailable');

  const ids: string[] = [];
  for (const file of ['photos/chelsea.png', 'photos/coffee.png', 'darknet/dog.jpg']) {
    const result = await server.gql(DETECT, { input: { projectName: project, sourceURI: `file://${sharedDir}/images/${file}` } });
    expect(result.body.errors).toBeUndefined();
    ids.push(result.body.data!.detectImageLabels.image.id);
  }
  // A gateway that starts while Elasticsearch is down still serves, and creates its index later. It has a
  // database of its own: sharing one, either gateway's relay could drain the other's event into its own index.
  const latePrefix = `${process.env.ES_INDEX_PREFIX}-late`;
  const late = await startTestServer({
    DATABASE_URL: await isolatedDatabase('outage_late'),
    ELASTICSEARCH_URL: url,
    FILE_ROOTS: `${sharedDir}/images`,
    ES_INDEX_PREFIX: latePrefix,
  });
  await late.gql(CREATE_PROJECT, { n: project, r: `${sharedDir}/images` });
  const lateResult = await late.gql(DETECT, {
    input: { projectName: project, sourceURI: `file://${sharedDir}/images/darknet/giraffe.jpg` },
  });
  expect(lateResult.body.errors).toBeUndefined();
  const lateId = lateResult.body.data!.detectImageLabels.image.id;

  const pending = await pg.query('SELECT count(*) FROM outbox_events WHERE image_id = ANY($1::uuid[])', [ids]);
  expect(Number(pending.rows[0].count)).toBe(3);
  const labels = await pg.query('SELECT count(*) FROM image_labels WHERE image_id = ANY($1::uuid[])', [ids]);
  expect(Number(labels.rows[0].count)).toBeGreaterThan(3);

  services('up');
  const search = createSearchClient(url);
  const alias = imageAlias(process.env.ES_INDEX_PREFIX!);
  let found = 0;
  for (let i = 0; i < 120 && found < ids.length; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await search.indices.refresh({ index: alias }).catch(() => undefined);
    found = await search.count({ index: alias, query: { terms: { imageId: ids } } }).then(
      (r) => r.count,
      () => 0,
    );
  }
  let lateFound = 0;
  for (let i = 0; i < 60 && lateFound === 0; i += 1) {
    await search.indices.refresh({ index: imageAlias(latePrefix) }).catch(() => undefined);
    lateFound = await search.count({ index: imageAlias(latePrefix), query: { term: { imageId: lateId } } }).then(
      (r) => r.count,
      () => 0,
    );
    if (lateFound === 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await late.close();
  await search.close();
  expect(found).toBe(3);
  expect(lateFound).toBe(1);
  const left = await pg.query('SELECT count(*) FROM outbox_events WHERE image_id = ANY($1::uuid[])', [ids]);
  expect(Number(left.rows[0].count)).toBe(0);
}, 300_000);
