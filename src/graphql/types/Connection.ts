import { ClassType, Field, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './PageInfo';

export interface ConnectionOptions {
  /** The edge type's name (the connection's is its subclass's). */
  edge: string;
  /** Descriptions of nodes and totalCount, where the listing says more than the field names. */
  nodes?: string;
  totalCount?: string;
  /** Plain data read directly (simpleResolvers; see DetectedLabel): the edges of search pages. */
  simpleEdges?: boolean;
}

/**
 * One Relay-style connection of T (type-graphql's generic type): each listing subclasses it under
 * its own name, e.g. `@ObjectType() class ProjectConnection extends Connection(Project, …) {}`.
 */
export function Connection<T extends object>(node: ClassType<T>, options: ConnectionOptions) {
  @ObjectType(options.edge, { simpleResolvers: options.simpleEdges })
  class Edge {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  // Not emitted itself: only its named subclasses are reachable from the schema.
  @ObjectType()
  abstract class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [node], { description: options.nodes })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: options.totalCount })
    totalCount!: number;
  }
  return ConnectionType;
}
