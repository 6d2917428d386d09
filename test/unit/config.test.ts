import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/env';
import { loadDotEnv } from '../../src/config/dotEnv';
import { loadStorageConfig } from '../../src/storage/storageConfig';

const base = { DATABASE_URL: 'postgresql://u@127.0.0.1:5432/db', ELASTICSEARCH_URL: 'http://127.0.0.1:9200' };

describe('configuration', () => {
  it('applies defaults', () => {
    const config = loadConfig(base);
    expect(config.PORT).toBe(4000);
    expect(config.ES_INDEX_PREFIX).toBe('labelgate');
    expect(config.DEFAULT_PROJECT_THRESHOLD).toBe(0.5);
    expect(config.CORS_ORIGINS).toEqual([]);
  });

  it('reads CORS_ORIGINS as a list of origins', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'http://localhost:5173',
    ]);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x@y/z'],
    ['ELASTICSEARCH_URL', 'not a url'],
    ['ES_INDEX_PREFIX', 'Upper Case'],
    ['LOG_LEVEL', 'loud'],
    ['DEFAULT_PROJECT_THRESHOLD', '2'],
    ['ADMIN_API_KEY', 'too-short'],
    ['RATE_LIMIT_KEY_QPS', '0'],
    ['GRAPHQL_MAX_DEPTH', '1'],
    ['CORS_ORIGINS', 'https://app.example/path'],
    ['CORS_ORIGINS', '*'],
    ['IMAGE_URL_SECRET', 'short'],
    ['PUBLIC_URL', 'ftp://x'],
    // Number() read these as 4277 and 1000.
    ['PORT', '0x10b5'],
    ['PORT', '1e3'],
    ['RATE_LIMIT_KEY_QPS', '1e3'],
    ['TRUST_PROXY', 'garbage'],
    ['TRUST_PROXY', 'loopback, 10.0.0.0/33'],
  ])('a bad %s stops the start with a message naming it', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});

describe('whitespace in values', () => {
  it('is trimmed, and a whitespace-only value counts as unset (PORT=" " was port 0, a random one)', () => {
    const config = loadConfig({ ...base, PORT: ' ', DETECT_BUFFER_BUDGET_MB: '\t', HOST: ' ' });
    expect(config.PORT).toBe(4000);
    expect(config.DETECT_BUFFER_BUDGET_MB).toBe(256);
    expect(config.HOST).toBe('0.0.0.0');
    expect(loadConfig({ ...base, PORT: ' 4100 ', RATE_LIMIT_KEY_QPS: ' 2.5' })).toMatchObject({ PORT: 4100, RATE_LIMIT_KEY_QPS: 2.5 });
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8', 'loopback, 10.0.0.0/8'],
    ['192.168.0.1/255.255.0.0,::1', '192.168.0.1/255.255.0.0,::1'],
  ])('accepts %s', (value, expected) => {
    expect(loadConfig({ ...base, TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });
});

describe('FILE_ROOTS', () => {
  const root = mkdtempSync(join(tmpdir(), 'lg-roots-'));
  const file = join(root, 'a-file');
  writeFileSync(file, '');

  it('accepts existing folders', () => {
    expect(loadConfig({ ...base, FILE_ROOTS: `${root}/, ${tmpdir()}` }).FILE_ROOTS).toBe(`${root}/, ${tmpdir()}`);
  });

  it.each([
    ['a relative path', 'photos', 'photos is not an absolute path'],
    ['a missing folder', '/nonexistent/dir', '/nonexistent/dir does not exist'],
    ['a file', file, `${file} is not a folder`],
  ])('refuses %s, naming FILE_ROOTS and the entry', (_what, entry, message) => {
    expect(() => loadConfig({ ...base, FILE_ROOTS: `${root},${entry}` })).toThrow(`FILE_ROOTS: ${message}`);
  });
});

describe('.env', () => {
  it('keeps its first variable when the file starts with a UTF-8 byte order mark', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lg-env-')), '.env');
    writeFileSync(file, '\uFEFFFIRST_SETTING=one\nSECOND_SETTING=two\n');
    const env: NodeJS.ProcessEnv = { SECOND_SETTING: 'from the shell' };
    loadDotEnv(file, env);
    expect(env).toEqual({ FIRST_SETTING: 'one', SECOND_SETTING: 'from the shell' });
  });
});

describe('the admin key', () => {
  it('can come from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lg-key-')), 'admin');
    writeFileSync(file, `${'k'.repeat(40)}\n`);
    expect(loadConfig({ ...base, ADMIN_API_KEY_FILE: file }).ADMIN_API_KEY).toBe('k'.repeat(40));
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadConfig({ ...base, ADMIN_API_KEY_FILE: '/nonexistent/admin-key' })).toThrow(
      /ADMIN_API_KEY_FILE: cannot read \/nonexistent\/admin-key/,
    );
  });
});

describe('STORAGE_CONFIG and STORAGE_CONFIG_FILE', () => {
  const profile = { endpoint: 'http://127.0.0.1:9000', accessKeyId: 'a', secretAccessKey: 'b' };
  const inline = (value: unknown) => ({ STORAGE_CONFIG: JSON.stringify(value) });

  it('accepts profiles, buckets and a default that name each other', () => {
    const config = loadStorageConfig(
      inline({ profiles: { alpha: profile }, buckets: [{ bucket: 'b', profile: 'alpha' }], defaultProfile: 'alpha' }),
    );
    expect(config.profiles.alpha.forcePathStyle).toBe(true);
  });

  it.each([
    [
      'a misspelt top-level key',
      inline({ profile: { alpha: profile } }),
      /^Invalid configuration: STORAGE_CONFIG: the whole value: Unrecognized key: "profile"\.$/,
    ],
    [
      'a misspelt profile key',
      inline({ profiles: { alpha: { ...profile, forcePathStlye: false } } }),
      /STORAGE_CONFIG: profiles\.alpha: Unrecognized key: "forcePathStlye"/,
    ],
    [
      'a bucket naming no profile',
      inline({ profiles: { alpha: profile }, buckets: [{ bucket: 'b', profile: 'beta' }] }),
      /STORAGE_CONFIG: buckets\.0\.profile: no profile is named "beta" \(profiles: alpha\)\.$/,
    ],
    [
      'a default naming no profile',
      inline({ profiles: {}, defaultProfile: 'alpha' }),
      /STORAGE_CONFIG: defaultProfile: no profile is named "alpha" \(profiles: none\)\.$/,
    ],
    ['a JSON array', { STORAGE_CONFIG: '[]' }, /^Invalid configuration: STORAGE_CONFIG: the whole value: /],
    [
      'both variables',
      { STORAGE_CONFIG: '{}', STORAGE_CONFIG_FILE: '/x.json' },
      /^Invalid configuration: STORAGE_CONFIG and STORAGE_CONFIG_FILE are both set: set one of them\.$/,
    ],
    [
      'a missing file',
      { STORAGE_CONFIG_FILE: '/nonexistent/storage.json' },
      /^Invalid configuration: STORAGE_CONFIG_FILE: cannot read \/nonexistent\/storage\.json \(ENOENT\)\.$/,
    ],
  ])('refuses %s with one sentence naming the variable', (_what, env, message) => {
    expect(() => loadStorageConfig(env)).toThrow(ConfigError);
    expect(() => loadStorageConfig(env)).toThrow(message);
  });

  it('names STORAGE_CONFIG_FILE for a problem in the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lg-storage-')), 'storage.json');
    writeFileSync(file, JSON.stringify({ profiles: { alpha: profile }, defaultProfile: 'beta' }));
    expect(() => loadStorageConfig({ STORAGE_CONFIG_FILE: file })).toThrow(
      /^Invalid configuration: STORAGE_CONFIG_FILE: defaultProfile: no profile/,
    );
  });
});
