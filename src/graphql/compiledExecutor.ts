import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { BREAK, DocumentNode, execute, GraphQLError, GraphQLSchema, visit } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';

// graphql-js interprets an operation field by field on every request: it builds each field's info
// and arguments and checks its type, each time. A search page has about 2,000 fields, and that was
// the largest part of the CPU the gateway adds to a search. graphql-jit compiles an operation into a
// function doing the same work without the interpretation. Apollo still parses, validates
// (graphql-armor's limits included) and formats errors, as before.
//
// graphql-jit writes the literal values of a document into the JavaScript it generates, and a
// string literal can break out of it (0.8.9: a string starting with its date marker becomes code;
// test/unit/compiledExecutor.test.ts). So only documents whose values are all variables, enums,
// numbers or booleans are compiled; any string literal, and introspection (open without a key),
// runs on graphql-js. A document is compiled the second time it is seen (2-50 ms), so one-off
// queries cost what they did.
//
// One difference matters to resolvers' authors: a field read as a plain property (no resolver) must
// hold its value, not a promise of it; a field whose value is a promise needs a resolver
// (SearchImagesResult.facets).

/** Documents remembered (seen once, compiled or not compilable); clients send a handful. */
const CACHE_SIZE = 500;
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;
type Plan = Compiled | 'seen once' | 'interpret';

/** Whether graphql-jit may compile a document: no string literal anywhere in it, no introspection. */
export function compilable(document: DocumentNode): boolean {
  let safe = true;
  visit(document, {
    StringValue() {
      safe = false;
      return BREAK;
    },
    Field(node) {
      if (!INTROSPECTION_FIELDS.has(node.name.value)) return undefined;
      safe = false;
      return BREAK;
    },
  });
  return safe;
}

/** What to do with each document: a small least-recently-used map keyed by its hash (Apollo's) and operation. */
class OperationPlans {
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** The compiled operation, or null: graphql-js runs it (first sight, a string literal, or introspection). */
  compiled(queryHash: string, document: DocumentNode, operationName: string | undefined): Compiled | null {
    const key = `${operationName ?? ''}\n${queryHash}`;
    const known = this.plans.get(key);
    let plan: Plan;
    if (known === undefined) plan = compilable(document) ? 'seen once' : 'interpret';
    else if (known === 'seen once') plan = this.compile(document, operationName);
    else plan = known;
    this.plans.delete(key);
    if (this.plans.size >= CACHE_SIZE) this.plans.delete(this.plans.keys().next().value!);
    this.plans.set(key, plan);
    return typeof plan === 'string' ? null : plan;
  }

  /** An operation graphql-jit cannot compile runs on graphql-js: it never fails where graphql-js would not. */
  private compile(document: DocumentNode, operationName: string | undefined): Compiled | 'interpret' {
    try {
      const compiled = compileQuery(this.schema, document, operationName);
      return isCompiledQuery(compiled) ? (compiled as Compiled) : 'interpret';
    } catch {
      return 'interpret';
    }
  }
}

/**
 * graphql-jit's errors are graphql-js GraphQLErrors with read-only fields and no extensions unless
 * their cause has some, where Apollo and the error formatter expect graphql-js's own: made into
 * those, path, places and cause kept.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const { message, path, locations, originalError } = error;
  const made = new GraphQLError(message, { path, originalError: originalError ?? undefined });
  (made as { locations?: typeof locations }).locations = locations;
  return made;
}

/**
 * Apollo Server's way to replace execution is its gateway interface (the former `executor` option):
 * it hands over the schema once and then each validated operation.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const plans = new OperationPlans(schema);
  const executor: GatewayExecutor = async (request) => {
    // Apollo has parsed, hashed and validated the document and picked its operation already.
    const { document, operationName, operation, queryHash } = request;
    const variables = request.request.variables ?? {};
    const compiled = plans.compiled(queryHash, document, operationName ?? undefined);
    if (!compiled) return execute({ schema, document, contextValue: request.context, variableValues: variables, operationName });
    // Variables are checked by graphql-js first, as its execute() does: a bad or missing one reads
    // as it always has (Apollo and the error formatter recognise those errors as the caller's).
    const checked = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (checked.errors) return { errors: checked.errors };
    const result = await compiled.query(undefined, request.context, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
