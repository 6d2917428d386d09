import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { localDir } from '../../src/config/projectRoot';
import { readServicesState } from './serviceUrls';
import { commandExists, findFreePort, isAlive, log, PrerequisiteError, runVisible, sleep } from './processes';
import { recordServerStopped, serverToStop, updateServicesState } from './servicesState';

// S3Proxy (Apache-2.0) with its filesystem backend: a real S3 protocol server on loopback, from
// Maven Central, for oss:// and s3:// sources (Alibaba OSS speaks the S3 protocol).
const VERSION = process.env.S3PROXY_VERSION || '4.1.0';
const ARTIFACT = `org.gaul:s3proxy:${VERSION}:jar:jar-with-dependencies`;
const jarPath = () =>
  join(homedir(), '.m2', 'repository', 'org', 'gaul', 's3proxy', VERSION, `s3proxy-${VERSION}-jar-with-dependencies.jar`);

const runDir = join(localDir, 's3proxy');
const pidFile = join(runDir, 's3proxy.pid');
const dataDir = join(runDir, 'data');

/** Whether this S3 server accepts these credentials (another checkout's S3Proxy would not). */
async function acceptsCredentials(url: string, accessKeyId: string, secretAccessKey: string): Promise<boolean> {
  const client = new S3Client({
    endpoint: url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
  try {
    await client.send(new ListBucketsCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** Whether an S3 endpoint answers at this URL (any HTTP answer from an S3 server counts). */
export async function s3Answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    const body = await response.text();
    return /<(ListAllMyBucketsResult|Error)/.test(body);
  } catch {
    return false;
  }
}

async function fetchJar(): Promise<string> {
  if (existsSync(jarPath())) return jarPath();
  if (!commandExists('mvn'))
    throw new PrerequisiteError(
      'S3Proxy is needed for object-storage sources and Maven is needed to fetch it: install Maven (apt-get install maven) or set S3_ENDPOINT to a running S3-compatible server.',
    );
  log(`fetching S3Proxy ${VERSION} from Maven Central (about 40 MB, cached in ~/.m2)`);
  await runVisible('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${ARTIFACT}`, '-Dtransitive=false']);
  if (!existsSync(jarPath())) throw new PrerequisiteError(`Maven did not leave ${jarPath()}; check ~/.m2/settings.xml.`);
  return jarPath();
}

/** Uses S3_ENDPOINT or the S3Proxy started earlier when they answer; otherwise starts S3Proxy. */
export async function s3Up(): Promise<string> {
  const previous = readServicesState().s3;
  if (process.env.S3_ENDPOINT) {
    if (!(await s3Answers(process.env.S3_ENDPOINT)))
      throw new PrerequisiteError(`S3_ENDPOINT ${process.env.S3_ENDPOINT} does not answer as an S3 server.`);
    log(`S3: ${new URL(process.env.S3_ENDPOINT).host}`);
    return process.env.S3_ENDPOINT;
  }
  if (previous?.url && (await acceptsCredentials(previous.url, previous.accessKeyId, previous.secretAccessKey))) {
    log(`S3 (S3Proxy): ${new URL(previous.url).host}${previous.stopped ? '' : ' (started by labelgate)'}`);
    return previous.url;
  }
  if (!commandExists('java'))
    throw new PrerequisiteError(
      'S3Proxy needs Java 17+: install a JDK (apt-get install openjdk-17-jre-headless) or set S3_ENDPOINT to a running S3-compatible server.',
    );
  const jar = await fetchJar();
  const port = await findFreePort(9310);
  mkdirSync(dataDir, { recursive: true });
  // Local-only credentials, made once and kept with the server's state.
  const accessKeyId = previous?.accessKeyId ?? `local-${randomBytes(6).toString('hex')}`;
  const secretAccessKey = previous?.secretAccessKey ?? randomBytes(24).toString('base64url');
  const url = `http://127.0.0.1:${port}`;
  const properties = join(runDir, 's3proxy.properties');
  writeFileSync(
    properties,
    [
      `s3proxy.endpoint=${url}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${accessKeyId}`,
      `s3proxy.credential=${secretAccessKey}`,
      'jclouds.provider=filesystem',
      `jclouds.filesystem.basedir=${dataDir}`,
    ].join('\n'),
  );
  log(`starting S3Proxy on ${url}`);
  const logFd = openSync(join(runDir, 's3proxy.log'), 'a');
  const child = spawn('java', ['-Xmx256m', '-jar', jar, '--properties', properties], { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  writeFileSync(pidFile, String(child.pid));
  for (let i = 0; i < 120; i += 1) {
    if (await s3Answers(url)) {
      updateServicesState({ s3: { url, startedBy: 'private', pidFile, accessKeyId, secretAccessKey } });
      return url;
    }
    if (!isAlive(child.pid!)) break;
    await sleep(500);
  }
  const tail = existsSync(join(runDir, 's3proxy.log'))
    ? readFileSync(join(runDir, 's3proxy.log'), 'utf8').trim().split('\n').slice(-10).join('\n')
    : '';
  throw new PrerequisiteError(`S3Proxy did not start. Its log ends with:\n${tail}`);
}

export async function s3Down(): Promise<void> {
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0;
  const state = serverToStop('s3', 'S3Proxy', pid, pidFile);
  if (!state) return;
  if (isAlive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 40 && isAlive(pid); i += 1) await sleep(250);
  rmSync(pidFile, { force: true });
  recordServerStopped('s3', state);
  log('S3Proxy: stopped');
}
