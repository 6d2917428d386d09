import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { BREAK, DocumentNode, GraphQLError, visit } from 'graphql';
import { invalidArgument } from '../api/errors';
import type { GraphQLContext } from './context';

// NUL cannot be stored in Postgres text, and a lone surrogate is no Unicode text at all (it becomes
// U+FFFD on the wire, so what is stored differs from what was sent): neither is valid input anywhere.
const UNREPRESENTABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// No argument of the schema nests anywhere near this deep; a request that does is refused as a
// whole rather than walked (a recursive walk of 10,000 nested arrays overflows the stack).
export const MAX_VARIABLE_DEPTH = 64;

/**
 * The path (a.b[2]) of the first string in a value that text cannot hold, or null; a value nested
 * deeper than MAX_VARIABLE_DEPTH is InvalidArgument. Walked with a stack of its own, not recursion.
 */
function badTextIn(value: unknown): string | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, path, depth } = next;
    if (typeof item === 'string') {
      if (UNREPRESENTABLE.test(item)) return path;
      continue;
    }
    if (!item || typeof item !== 'object') continue;
    if (depth >= MAX_VARIABLE_DEPTH)
      throw invalidArgument(`${path || 'The variables'} nest more than ${MAX_VARIABLE_DEPTH} levels deep; no argument takes that.`, path);
    // Pushed last to first, so the first bad string in reading order is the one reported.
    const entries = Array.isArray(item)
      ? item.map((child, i) => [`${path}[${i}]`, child] as const)
      : Object.entries(item).map(([key, child]) => [path ? `${path}.${key}` : key, child] as const);
    for (let i = entries.length - 1; i >= 0; i -= 1) pending.push({ value: entries[i][1], path: entries[i][0], depth: depth + 1 });
  }
  return null;
}

// Apollo keeps each parsed document (its document store), so a document's literals are read once.
const cleanDocuments = new WeakSet<DocumentNode>();

function hasBadLiteral(document: DocumentNode): boolean {
  if (cleanDocuments.has(document)) return false;
  let found = false;
  visit(document, {
    StringValue(node) {
      if (!UNREPRESENTABLE.test(node.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  if (!found) cleanDocuments.add(document);
  return found;
}

/** An error Apollo sends as a 400 before execution, formatted like any other ApiError. */
const clientError = (error: Error) => new GraphQLError(error.message, { originalError: error, extensions: { http: { status: 400 } } });

/**
 * Checks every request once, before anything runs: an operation the document does not have (graphql-js
 * would report it at execution, without a code), and text no field can hold in any variable or literal.
 */
export const requestChecksPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request, document }) {
        if (!operation) {
          const message = request.operationName
            ? `The document has no operation named "${request.operationName}".`
            : 'The document has several operations: name one in operationName.';
          throw new GraphQLError(message, {
            extensions: { code: ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
          });
        }
        if (operation.operation === 'subscription') {
          throw clientError(invalidArgument('Subscriptions run over WebSocket (the graphql-ws protocol) at this same URL, not over HTTP.'));
        }
        let field: string | null;
        try {
          field = badTextIn(request.variables ?? {});
        } catch (error) {
          throw clientError(error as Error);
        }
        if (field)
          throw clientError(invalidArgument(`${field} contains a NUL character or a lone surrogate, which text cannot hold.`, field));
        if (hasBadLiteral(document))
          throw clientError(invalidArgument('The query contains a NUL character or a lone surrogate, which text cannot hold.'));
      },
    };
  },
};
