import { invalidArgument } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  totalCount: number;
}

export function checkPageSize(first: number | null | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw invalidArgument(`first must be an integer between 1 and ${MAX_PAGE_SIZE} (got ${first}).`, 'first');
  }
  return first;
}

// Cursors are opaque to clients: base64url JSON of the sort key of the last row seen.
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string | null | undefined, keys: readonly K[]): Record<K, string> | null {
  if (cursor === undefined || cursor === null) return null;
  const malformed = () => invalidArgument('after is not a cursor this API returned.', 'after');
  if (!/^[A-Za-z0-9_-]{1,1024}$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null) throw malformed();
  const record = parsed as Record<string, unknown>;
  if (!keys.every((key) => typeof record[key] === 'string')) throw malformed();
  return record as Record<K, string>;
}
