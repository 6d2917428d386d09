import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLSchema } from 'graphql';
import type { AppConfig } from '../config/env';
import type { GraphQLContext } from './context';
import { compiledExecution } from './compiledExecutor';
import { createErrorFormatter, logUnexpectedErrorsPlugin } from './formatError';
import { requestChecksPlugin } from './requestChecks';

/** Puts the request id in every response body, next to the x-request-id header. */
const requestIdPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, requestId: contextValue.requestId };
        }
      },
    };
  },
};

export type QueryLimits = Pick<AppConfig, 'GRAPHQL_MAX_DEPTH' | 'GRAPHQL_MAX_COST' | 'GRAPHQL_MAX_ALIASES' | 'GRAPHQL_MAX_TOKENS'>;

/** Refuses abusive query shapes (graphql-armor) before they run; their errors become LimitExceeded. */
export function queryShapeLimits(limits: QueryLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.GRAPHQL_MAX_DEPTH },
    costLimit: { maxCost: limits.GRAPHQL_MAX_COST },
    maxAliases: { n: limits.GRAPHQL_MAX_ALIASES },
    // Counted by graphql-js's own parser instead (parseOptions below): armor's plugin parses in
    // parsingDidStart, where Apollo answers any throw, a plain syntax error too, as an HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
    // The schema is published (schema.graphql), so "did you mean" suggestions give nothing away.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

export function createApolloServer(schema: GraphQLSchema, limits: QueryLimits): ApolloServer<GraphQLContext> {
  const armor = queryShapeLimits(limits);
  return new ApolloServer<GraphQLContext>({
    // Operations run compiled by graphql-jit (compiledExecutor.ts), handed over as Apollo allows it.
    gateway: compiledExecution(schema),
    // GraphiQL is served from our own dependencies (src/http/graphiql.ts); Apollo's page needs a CDN.
    // Cache control (HTTP caching hints, unused here: answers depend on the API key) wraps every
    // field's resolver to read hints; a search page has about 2,000 fields.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      requestIdPlugin,
      requestChecksPlugin,
      logUnexpectedErrorsPlugin,
      ...armor.plugins,
    ],
    validationRules: armor.validationRules,
    // A document over the token limit is refused while parsing, before any validation rule runs.
    parseOptions: { maxTokens: limits.GRAPHQL_MAX_TOKENS },
    // Batched HTTP requests (a JSON array of operations) would slip past per-request limits.
    allowBatchedHttpRequests: false,
    // Automatic persisted queries: a cache shared by all callers, keyless; clients here send queries.
    persistedQueries: false,
    formatError: createErrorFormatter(),
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // The process stops the gateway itself on SIGINT/SIGTERM (main.ts: close everything, then say
    // what keeps running). Apollo's own handler would stop Apollo alone and re-raise the signal,
    // killing the process before the rest is closed.
    stopOnTerminationSignals: false,
  });
}
