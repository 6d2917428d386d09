import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { localDir } from '../../src/config/projectRoot';
import { DEFAULT_ELASTICSEARCH_URL } from '../../src/config/env';
import { withoutPassword } from '../../src/startLog';
import { readServicesState } from './serviceUrls';
import {
  asServiceUser,
  commandExists,
  findFreePort,
  giveToServiceUser,
  isAlive,
  isPortFree,
  log,
  PrerequisiteError,
  run,
  runInOwnSession,
  runVisible,
  sleep,
} from './processes';
import { candidateUrls, recordServerInUse, recordServerStopped, serverToStop } from './servicesState';

// The real server, as Maven Central publishes it (no Docker, not on npm or in Debian).
const GROUP_PATH = 'org/elasticsearch/distribution/integ-test-zip/elasticsearch';
const ARTIFACT = 'org.elasticsearch.distribution.integ-test-zip:elasticsearch';
const VERSION_LINE = '8.19';
// Used when Maven Central's index cannot be read and nothing is cached yet.
const FALLBACK_VERSION = '8.19.21';
const START_TIMEOUT_MS = 240_000;

// Folders the server writes, owned by the account it runs as.
const runDir = join(localDir, 'elasticsearch-run');
const pidFile = join(runDir, 'elasticsearch.pid');
const tmpDir = join(runDir, 'tmp');
const dataDir = join(localDir, 'elasticsearch-data');
const logsDir = join(localDir, 'elasticsearch-logs');

/** The server's version when Elasticsearch answers at this URL, else why not (the end of a sentence). */
async function elasticsearchProbe(url: string): Promise<{ version: string } | { problem: string }> {
  let response: Response;
  try {
    // Not GET /: the integ-test distribution lacks the rest-root module that serves it.
    response = await fetch(`${url}/_nodes/_local?filter_path=nodes.*.version`, { signal: AbortSignal.timeout(3000) });
  } catch {
    return { problem: 'does not answer' };
  }
  try {
    if (response.headers.get('x-elastic-product') !== 'Elasticsearch') return { problem: 'answers, but not as Elasticsearch' };
    if (!response.ok) return { problem: `refuses the request (HTTP ${response.status})` };
    const body = (await response.json()) as { nodes?: Record<string, { version?: string }> };
    const version = Object.values(body.nodes ?? {})[0]?.version;
    return version ? { version } : { problem: 'answers without a version' };
  } catch {
    return { problem: 'answers, but not as Elasticsearch' };
  }
}

/** The server's version when Elasticsearch answers at this URL, else null. */
export async function elasticsearchAnswers(url: string): Promise<string | null> {
  const probe = await elasticsearchProbe(url);
  return 'version' in probe ? probe.version : null;
}

/**
 * ELASTICSEARCH_URL names the server to use: when it cannot be used, say so and stop rather than
 * start another one that the user's command would not be told about.
 */
export async function checkNamedElasticsearch(): Promise<void> {
  const named = process.env.ELASTICSEARCH_URL;
  if (!named) return;
  if (!URL.canParse(named)) throw new PrerequisiteError(`ELASTICSEARCH_URL "${withoutPassword(named)}" is not a URL.`);
  const probe = await elasticsearchProbe(named);
  if ('problem' in probe)
    throw new PrerequisiteError(
      `ELASTICSEARCH_URL ${withoutPassword(named)} ${probe.problem}: start that server or unset ELASTICSEARCH_URL to let labelgate start one.`,
    );
}

/** ES_PORT as a TCP port, else 9200; anything else is refused before any work starts. */
export function elasticsearchPort(): number {
  const given = process.env.ES_PORT;
  if (!given) return 9200;
  const port = Number(given);
  if (!/^\d+$/.test(given.trim()) || port < 1 || port > 65535)
    throw new PrerequisiteError(`ES_PORT "${given}" is not a TCP port: give a number from 1 to 65535, or unset it.`);
  return port;
}

const patch = (v: string) => Number(v.split('.')[2] ?? -1);
const newest = (versions: string[]) =>
  versions.filter((v) => new RegExp(`^${VERSION_LINE.replace('.', '\\.')}\\.\\d+$`).test(v)).sort((a, b) => patch(b) - patch(a))[0];

const m2Dir = () => join(homedir(), '.m2', 'repository', GROUP_PATH);
const cachedZip = (version: string) => join(m2Dir(), version, `elasticsearch-${version}.zip`);

/** ES_VERSION, else the newest 8.19 patch Maven Central lists, else the newest cached, else a pinned one. */
async function chooseVersion(): Promise<string> {
  if (process.env.ES_VERSION) return process.env.ES_VERSION;
  try {
    const response = await fetch(`https://repo1.maven.org/maven2/${GROUP_PATH}/maven-metadata.xml`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) {
      const listed = [...(await response.text()).matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1]);
      const found = newest(listed);
      if (found) return found;
    }
  } catch {
    // Offline or blocked: fall back to what is cached.
  }
  const cached = existsSync(m2Dir()) ? newest(readdirSync(m2Dir()).filter((v) => existsSync(cachedZip(v)))) : undefined;
  return cached ?? FALLBACK_VERSION;
}

async function fetchDistribution(version: string): Promise<string> {
  const zip = cachedZip(version);
  if (existsSync(zip)) return zip;
  if (!commandExists('mvn')) {
    throw new PrerequisiteError(
      'Elasticsearch is not running and Maven is needed to fetch it: install Maven (apt-get install maven) or set ELASTICSEARCH_URL to a running server.',
    );
  }
  log(`fetching Elasticsearch ${version} from Maven Central (about 100 MB, cached in ~/.m2)`);
  await runVisible('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${ARTIFACT}:${version}:zip`, '-Dtransitive=false']);
  if (!existsSync(zip)) throw new PrerequisiteError(`Maven did not leave ${zip}; check ~/.m2/settings.xml.`);
  return zip;
}

function javaHome(): string {
  if (process.env.ES_JAVA_HOME) return process.env.ES_JAVA_HOME;
  if (process.env.JAVA_HOME) return process.env.JAVA_HOME;
  if (!commandExists('java')) {
    throw new PrerequisiteError(
      'Elasticsearch is not running and Java 17+ is needed to run it: install a JDK (apt-get install openjdk-17-jre-headless) or set ELASTICSEARCH_URL to a running server.',
    );
  }
  const javaBin = realpathSync(run('sh', ['-c', 'command -v java']).stdout.trim());
  return dirname(dirname(javaBin));
}

function unpack(zip: string, version: string): string {
  const home = join(localDir, `elasticsearch-${version}`);
  if (existsSync(join(home, 'bin', 'elasticsearch'))) return home;
  if (!commandExists('unzip')) throw new PrerequisiteError('unzip is needed to unpack Elasticsearch: install it (apt-get install unzip).');
  mkdirSync(localDir, { recursive: true });
  rmSync(home, { recursive: true, force: true });
  run('unzip', ['-q', zip, '-d', localDir]);
  return home;
}

function readPid(): number | null {
  try {
    return Number(readFileSync(pidFile, 'utf8').trim()) || null;
  } catch {
    return null;
  }
}

function lastLogLines(): string {
  const file = join(logsDir, 'labelgate.log');
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-20).join('\n');
}

async function startPrivateServer(): Promise<{ url: string; home: string }> {
  const java = javaHome();
  const version = await chooseVersion();
  const home = unpack(await fetchDistribution(version), version);
  // ES_PORT picks the port (a restart then comes back where clients expect it); else 9200 or the next free one.
  const preferred = elasticsearchPort();
  const port = (await isPortFree(preferred)) ? preferred : await findFreePort(preferred + 1);
  const transportPort = await findFreePort(9300);
  for (const dir of [dataDir, logsDir, tmpDir]) mkdirSync(dir, { recursive: true });
  for (const dir of [home, dataDir, logsDir, runDir]) giveToServiceUser(dir);
  rmSync(pidFile, { force: true });

  const settings = {
    'cluster.name': 'labelgate',
    'node.name': 'labelgate-1',
    'discovery.type': 'single-node',
    'network.host': '127.0.0.1',
    'http.port': String(port),
    'transport.port': String(transportPort),
    'path.data': dataDir,
    'path.logs': logsDir,
    'xpack.security.enabled': 'false',
    // A nearly full shared disk must not turn the index read-only under the tests.
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
  };
  const args = ['-d', '-p', pidFile, ...Object.entries(settings).map(([k, v]) => `-E${k}=${v}`)];
  const [cmd, cmdArgs] = asServiceUser(join(home, 'bin', 'elasticsearch'), args);
  const heap = process.env.ES_HEAP || '1g';
  log(`starting Elasticsearch on 127.0.0.1:${port} (heap ${heap})`);
  runInOwnSession(cmd, cmdArgs, {
    env: { ...process.env, ES_JAVA_HOME: java, ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`, ES_TMPDIR: tmpDir },
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return { url, home };
    } catch {
      // Not listening yet.
    }
    const pid = readPid();
    if (pid && !isAlive(pid)) break;
    await sleep(1000);
  }
  throw new PrerequisiteError(
    `Elasticsearch did not become healthy within ${START_TIMEOUT_MS / 1000} s. Its log ends with:\n${lastLogLines()}`,
  );
}

/** Uses the Elasticsearch ELASTICSEARCH_URL names, which must answer; else finds one (the one recorded earlier, the default) or starts a private one. */
export async function elasticsearchUp(): Promise<string> {
  await checkNamedElasticsearch();
  const previous = readServicesState().elasticsearch;
  const candidates = candidateUrls(process.env.ELASTICSEARCH_URL, previous, DEFAULT_ELASTICSEARCH_URL);
  for (const url of candidates) {
    const version = await elasticsearchAnswers(url);
    if (version) {
      const ours = previous?.url === url ? previous : null;
      recordServerInUse('elasticsearch', previous, ours);
      log(`Elasticsearch ${version}: ${new URL(url).host}${ours ? ' (started by labelgate)' : ''}`);
      return url;
    }
  }
  const { url, home } = await startPrivateServer();
  recordServerInUse('elasticsearch', previous, { url, startedBy: 'private', home, pidFile });
  log(`Elasticsearch ${await elasticsearchAnswers(url)}: ${new URL(url).host} (started by labelgate)`);
  return url;
}

export async function elasticsearchDown(): Promise<void> {
  const pid = readPid() ?? 0;
  const state = serverToStop('elasticsearch', 'Elasticsearch', pid, pidFile);
  if (!state) return;
  if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 60 && isAlive(pid); i += 1) await sleep(500);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
  recordServerStopped('elasticsearch', state);
  log('Elasticsearch: stopped');
}
