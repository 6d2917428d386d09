import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/env';

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
  ])('a bad %s stops the start with a message naming it', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
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
