import type { Page } from '../api/paging';

/** One item of a page with the cursor that continues after it. */
export interface EdgeView<T> {
  node: T;
  cursor: string;
}

/** A page as every listing of the API returns it (Relay's connection): one shape for all of them. */
export interface ConnectionView<T> {
  edges: EdgeView<T>[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function connectionOfEdges<T>(
  edges: EdgeView<T>[],
  hasNextPage: boolean,
  endCursor: string | null,
  totalCount: number,
): ConnectionView<T> {
  return { edges, nodes: edges.map((edge) => edge.node), pageInfo: { hasNextPage, endCursor }, totalCount };
}

/** A page of rows as a connection: each row made a node once, with its cursor. */
export function connectionOf<Row, Node>(
  page: Page<Row> & { endCursor: string | null },
  toNode: (row: Row) => Node,
  cursorOf: (row: Row) => string,
): ConnectionView<Node> {
  const edges = page.items.map((row) => ({ node: toNode(row), cursor: cursorOf(row) }));
  return connectionOfEdges(edges, page.hasNextPage, page.endCursor, page.totalCount);
}
