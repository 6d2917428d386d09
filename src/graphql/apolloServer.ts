import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLSchema } from 'graphql';
import type { Logger } from '../logger';
import type { GraphQLContext } from './context';
import { createErrorFormatter } from './formatError';

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

export function createApolloServer(schema: GraphQLSchema, logger: Logger): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    schema,
    // GraphiQL is served from our own dependencies (src/http/graphiql.ts); Apollo's page needs a CDN.
    plugins: [ApolloServerPluginLandingPageDisabled(), requestIdPlugin],
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
}
