import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { logStartFacts, withoutPassword } from '../../src/startLog';
import { loadPack } from '../../src/detection/packs/packLoader';
import { sharedPackDirs } from '../../src/detection/packs/modelDirs';

/** Runs logStartFacts through a real pino logger and returns the lines it wrote. */
function startLines(facts: Parameters<typeof logStartFacts>[1]): { msg: string }[] {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n'));
      done();
    },
  });
  logStartFacts(createLogger('info', sink), facts);
  return lines.map((line) => JSON.parse(line));
}

describe('the start log', () => {
  it('hides passwords in service URLs and keeps the rest', () => {
    expect(withoutPassword('postgresql://app:s3cret@db.example:5432/labelgate')).toBe('postgresql://app:***@db.example:5432/labelgate');
    expect(withoutPassword('http://elastic:changeme@127.0.0.1:9200/')).toBe('http://elastic:***@127.0.0.1:9200');
    expect(withoutPassword('postgresql://postgres@127.0.0.1:5432/labelgate')).toBe('postgresql://postgres@127.0.0.1:5432/labelgate');
  });

  it('names the packs with version and licence, the sources and the services', async () => {
    const packs = await Promise.all(sharedPackDirs.slice(0, 2).map(async (dir) => (await loadPack(dir)).manifest));
    const lines = startLines({
      databaseUrl: 'postgresql://app:s3cret@127.0.0.1:5432/labelgate',
      elasticsearchUrl: 'http://127.0.0.1:9200',
      packs,
      fileRoots: ['/srv/photos'],
      storageProfiles: ['oss-hz'],
      https: false,
    });
    expect(lines.map((l) => l.msg)).toEqual([
      'model packs: mobilenetv2-12-int8 onnx-model-zoo-12-int8 (licence: Apache-2.0); yolox-nano megvii-yolox-nano-0.1.1rc0 (licence: Apache-2.0)',
      'image sources: file:// under /srv/photos; oss:// and s3:// through profiles oss-hz; https:// off (each project reads only the sources it lists)',
      'PostgreSQL postgresql://app:***@127.0.0.1:5432/labelgate, Elasticsearch http://127.0.0.1:9200',
    ]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it('says when a source kind is off, and leaves packs to the loader when none loaded', () => {
    const lines = startLines({
      databaseUrl: 'postgresql://postgres@h/db',
      elasticsearchUrl: 'http://h:9200',
      packs: null,
      fileRoots: [],
      storageProfiles: [],
      https: true,
    });
    expect(lines.map((l) => l.msg)).toEqual([
      'image sources: file:// off (FILE_ROOTS is empty); oss:// and s3:// off (no storage profile); https:// on (each project reads only the sources it lists)',
      'PostgreSQL postgresql://postgres@h/db, Elasticsearch http://h:9200',
    ]);
  });
});
