import type { Page } from '../api/paging';

/** A page of rows as a GraphQL connection: each row made a node once, with its cursor. */
export function connectionOf<Row, Node>(page: Page<Row> & { endCursor: string | null }, toNode: (row: Row) => Node, cursorOf: (row: Row) => string) {
  const edges = page.items.map((row) => ({ node: toNode(row), cursor: cursorOf(row) }));
  return {
    edges,
    nodes: edges.map((edge) => edge.node),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}
