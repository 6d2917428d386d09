import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { BREAK, DocumentNode, GraphQLError, visit } from 'graphql';
import { invalidArgument } from '../api/errors';
import type { GraphQLContext } from './context';

// NUL cannot be stored in Postgres text, and a lone surrogate is no Unicode text at all (it becomes
// U+FFFD on the wire, so what is stored differs from what was sent): neither is valid input anywhere.
const UNREPRESENTABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path (a.b[2]) of the first string in a value that text cannot hold, or null. */
function badTextIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return UNREPRESENTABLE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = badTextIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = badTextIn(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
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
        const field = badTextIn(request.variables ?? {}, '');
        if (field)
          throw clientError(invalidArgument(`${field} contains a NUL character or a lone surrogate, which text cannot hold.`, field));
        if (hasBadLiteral(document))
          throw clientError(invalidArgument('The query contains a NUL character or a lone surrogate, which text cannot hold.'));
      },
    };
  },
};
