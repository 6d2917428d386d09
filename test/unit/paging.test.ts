import { ApiError } from '../../src/api/errors';
import { checkPageSize, decodeCursor, encodeCursor, MAX_PAGE_SIZE } from '../../src/api/paging';

describe('cursors and page sizes', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor({ name: 'photos' }), ['name'])).toEqual({ name: 'photos' });
    expect(decodeCursor(null, ['name'])).toBeNull();
  });

  it.each([
    '',
    '!!!',
    'not-base64-json',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"other":"x"}').toString('base64url'),
    'a'.repeat(2000),
  ])('rejects the malformed cursor %j as InvalidArgument', (cursor) => {
    expect(() => decodeCursor(cursor, ['name'])).toThrow(ApiError);
    try {
      decodeCursor(cursor, ['name']);
    } catch (error) {
      expect((error as ApiError).code).toBe('InvalidArgument');
    }
  });

  it('bounds page sizes', () => {
    expect(checkPageSize(undefined)).toBe(20);
    expect(checkPageSize(MAX_PAGE_SIZE)).toBe(MAX_PAGE_SIZE);
    for (const bad of [0, -1, MAX_PAGE_SIZE + 1, 1.5]) expect(() => checkPageSize(bad)).toThrow(/first must be/);
  });
});
