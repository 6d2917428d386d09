import { invalidArgument } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * One page from rows fetched `first + 1` at a time (the extra row says whether more follow), with
 * the listing's total and the cursor of its last item.
 */
export function pageOfRows<T>(
  rows: T[],
  first: number,
  totalCount: number,
  cursorOf: (item: T) => string,
): Page<T> & { endCursor: string | null } {
  const items = rows.slice(0, first);
  const last = items.at(-1);
  return { items, hasNextPage: rows.length > first, totalCount, endCursor: last ? cursorOf(last) : null };
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

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ISO timestamp as cursors carry it (toISOString), which the database can compare. */
export const isCursorTime = (value: string) =>
  /^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));

/** The cursor of a newest-first or oldest-first listing: (createdAt, id). */
export const timeIdCursor = (cursor: string | null | undefined, idPattern: RegExp) =>
  decodeCursor(cursor, ['createdAt', 'id'] as const, { createdAt: isCursorTime, id: (id) => idPattern.test(id) });

/**
 * A cursor's sort key, each value checked: a forged cursor is the caller's mistake
 * (InvalidArgument), never a value the database chokes on.
 */
export function decodeCursor<K extends string>(
  cursor: string | null | undefined,
  keys: readonly K[],
  checks: Partial<Record<K, (value: string) => boolean>> = {},
): Record<K, string> | null {
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
  if (!keys.every((key) => typeof record[key] === 'string' && (checks[key]?.(record[key] as string) ?? true))) throw malformed();
  return record as Record<K, string>;
}
