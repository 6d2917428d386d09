import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
import { ApiError, ErrorCode } from '../api/errors';
import { isServiceOutage, SERVICE_UNAVAILABLE_MESSAGE } from '../serviceOutage';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from './context';

// GraphQL's own messages for absent required arguments/variables: these are IMM's MissingParameter.
const MISSING = [
  /argument "[^"]+" of type "[^"]+" is required, but it was not provided/,
  /of required type "[^"]+" was not provided/,
  /of non-null type "[^"]+" must not be null/,
];

// graphql-armor's refusals (depth, cost, aliases, tokens, directives).
const SHAPE_LIMIT = /^Syntax Error: (Query depth|Query Cost|Aliases|Token|Directives) limit of \d+ exceeded/i;

// graphql-js's parser, which counts tokens (parseOptions.maxTokens).
const TOKEN_LIMIT = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

// A document nested deeper than the parser's stack (a list literal of thousands of brackets) fails
// before the token count does: the parser's own RangeError, reported as a parse failure.
const TOO_DEEP = /Maximum call stack size exceeded/;
const TOO_DEEP_MESSAGE = 'The document nests too deeply to be read.';

function codeForGraphQLError(code: unknown, message: string): ErrorCode | null {
  if (SHAPE_LIMIT.test(message) || TOKEN_LIMIT.test(message)) return 'LimitExceeded';
  if (code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED && TOO_DEEP.test(message)) return 'LimitExceeded';
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

/** Whether an error is one the caller caused or was told about (an ApiError, or GraphQL's own checks). */
function isExpected(error: { message: string; extensions?: Record<string, unknown>; originalError?: unknown }): boolean {
  return error.originalError instanceof ApiError || codeForGraphQLError(error.extensions?.code, error.message) !== null;
}

/** Logs what becomes an InternalError with the request's logger, so the line carries the request id. */
export const logUnexpectedErrorsPlugin: ApolloServerPlugin<GraphQLContext> = {
  // Errors outside the request pipeline (a plugin or the context failing): Apollo answers them 500.
  async unexpectedErrorProcessingRequest({ requestContext, error }) {
    requestContext.contextValue.logger.error({ err: error }, 'unexpected error processing a GraphQL request');
  },
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          if (isServiceOutage(error.originalError))
            contextValue.logger.warn({ err: error.originalError, path: error.path }, 'backing service unavailable');
          else if (!isExpected(error))
            contextValue.logger.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error in a GraphQL request');
        }
      },
    };
  },
};

// Messages quote what was sent (a label name, an id): a 500,000-character name must not come back
// whole, once per error.
export const MAX_MESSAGE_LENGTH = 1000;
function shortened(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  // Not between the two halves of a surrogate pair: that would leave a lone surrogate.
  const cut = /[\ud800-\udbff]/.test(message[MAX_MESSAGE_LENGTH - 1]) ? MAX_MESSAGE_LENGTH - 1 : MAX_MESSAGE_LENGTH;
  return `${message.slice(0, cut)}… (${message.length - cut} more characters left out)`;
}

/**
 * Every error leaves with an IMM code in extensions.code. ApiErrors keep their message; GraphQL's
 * own validation messages are safe to show; anything else (logged by logUnexpectedErrorsPlugin) is
 * replaced by a generic InternalError, so no stack, SQL or driver text reaches the client.
 */
export function createErrorFormatter() {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown })?.originalError;
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof ApiError) {
      return { ...base, message: shortened(original.message), extensions: { code: original.code, ...original.details } };
    }
    if (isServiceOutage(original)) return { ...base, message: SERVICE_UNAVAILABLE_MESSAGE, extensions: { code: 'ServiceUnavailable' } };
    const graphQLCode = codeForGraphQLError(formatted.extensions?.code, formatted.message);
    // graphql-armor words its refusals as syntax errors; the query's syntax is fine.
    const tokens = TOKEN_LIMIT.exec(formatted.message);
    const message = tokens
      ? `Token limit of ${tokens[1]} exceeded.`
      : TOO_DEEP.test(formatted.message)
        ? TOO_DEEP_MESSAGE
        : graphQLCode === 'LimitExceeded'
          ? formatted.message.replace(/^Syntax Error: /, '')
          : formatted.message;
    if (graphQLCode) return { ...base, message: shortened(message), extensions: { code: graphQLCode } };
    return {
      ...base,
      message: 'An internal error occurred. Quote the request id when reporting it.',
      extensions: { code: 'InternalError' },
    };
  };
}
