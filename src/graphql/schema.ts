import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { assertEveryOperationHasARule } from '../auth/accessRules';
import { ApiKeyResolver } from './resolvers/ApiKeyResolver';
import { ImageResolver } from './resolvers/ImageResolver';
import { LiveResolver } from './resolvers/LiveResolver';
import { NO_TOPIC_PUBSUB } from './liveSubscription';
import { ProjectResolver } from './resolvers/ProjectResolver';
import { SearchResolver } from './resolvers/SearchResolver';
import { SuggestResolver } from './resolvers/SuggestResolver';
import { TaskResolver } from './resolvers/TaskResolver';
import { TaxonomyResolver } from './resolvers/TaxonomyResolver';

export const resolvers = [
  ProjectResolver,
  ImageResolver,
  SearchResolver,
  SuggestResolver,
  TaxonomyResolver,
  ApiKeyResolver,
  TaskResolver,
  LiveResolver,
] as const;

export async function buildLabelgateSchema(): Promise<GraphQLSchema> {
  // Input checks live in the domain services (IMM error codes), not in class-validator.
  const schema = await buildSchema({ resolvers, validate: false, pubSub: NO_TOPIC_PUBSUB });
  assertEveryOperationHasARule(schema);
  return schema;
}

/** The SDL committed as schema.graphql: sorted, so that reordering code does not change it. */
export function printLabelgateSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
