import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
import { ApiError, ErrorCode } from '../errors';
import type { Logger } from '../logger';

// GraphQL's own messages for absent required arguments/variables: these are IMM's MissingParameter.
const MISSING = [/argument "[^"]+" of type "[^"]+" is required, but it was not provided/, /of required type "[^"]+" was not provided/, /of non-null type "[^"]+" must not be null/];

// graphql-armor's refusals (depth, cost, aliases, tokens, directives).
const SHAPE_LIMIT = /^Syntax Error: (Query depth|Query Cost|Aliases|Token|Directives) limit of \d+ exceeded/i;

function codeForGraphQLError(code: unknown, message: string): ErrorCode | null {
  if (SHAPE_LIMIT.test(message)) return 'LimitExceeded';
  switch (code) {
    case ApolloServerErrorCode.GRAPHQL_PARSE_FAILED:
    case ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED:
    case ApolloServerErrorCode.BAD_USER_INPUT:
    case ApolloServerErrorCode.BAD_REQUEST:
    case ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE:
    case ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND:
    case ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED:
      return MISSING.some((pattern) => pattern.test(message)) ? 'MissingParameter' : 'InvalidArgument';
    default:
      return null;
  }
}

/**
 * Every error leaves with an IMM code in extensions.code. ApiErrors keep their message; GraphQL's
 * own validation messages are safe to show; anything else is logged and replaced by a generic
 * InternalError, so no stack, SQL or driver text reaches the client.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown })?.originalError;
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof ApiError) {
      return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
    }
    const graphQLCode = codeForGraphQLError(formatted.extensions?.code, formatted.message);
    // graphql-armor words its refusals as syntax errors; the query's syntax is fine.
    const message = graphQLCode === 'LimitExceeded' ? formatted.message.replace(/^Syntax Error: /, '') : formatted.message;
    if (graphQLCode) return { ...base, message, extensions: { code: graphQLCode } };
    logger.error({ err: original ?? error, path: formatted.path }, 'unexpected error in a GraphQL request');
    return { ...base, message: 'An internal error occurred. Quote the request id when reporting it.', extensions: { code: 'InternalError' } };
  };
}
