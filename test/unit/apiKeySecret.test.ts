import { generateAdminKey, hashSecret, issueKey, parseKey, sameSecret } from '../../src/auth/apiKeySecret';

describe('API key secrets', () => {
  it('issues keys that parse back to their id and secret, with a matching hash', () => {
    const issued = issueKey();
    expect(issued.key).toBe(`lg_${issued.id}_${issued.secret}`);
    expect(parseKey(issued.key)).toEqual({ id: issued.id, secret: issued.secret });
    expect(issued.secretHash).toBe(hashSecret(issued.secret));
    expect(issued.secretHash).not.toContain(issued.secret);
    expect(sameSecret(issued.secret, issued.secretHash)).toBe(true);
    expect(sameSecret(`${issued.secret}x`, issued.secretHash)).toBe(false);
  });

  it('never issues the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => issueKey().key));
    expect(keys.size).toBe(1000);
  });

  it.each([
    '',
    'lg_',
    'lg_short_secret',
    `lg_${'a'.repeat(16)}_${'b'.repeat(42)}`,
    `LG_${'a'.repeat(16)}_${'b'.repeat(43)}`,
    generateAdminKey(),
  ])('does not parse %p as an issued key', (key) => {
    expect(parseKey(key)).toBeNull();
  });
});
