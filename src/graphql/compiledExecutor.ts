import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { DocumentNode, ExecutionResult, getOperationAST, GraphQLError, GraphQLSchema, print } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';

// graphql-js interprets an operation field by field on every request: it builds each field's info
// and arguments and checks its type, each time. A search page has about 2,000 fields, and that was
// the largest part of the CPU the gateway adds to a search. graphql-jit compiles an operation into a
// function doing the same work without the interpretation (2-50 ms, once per distinct document:
// introspection is the costliest). Apollo still parses, validates (graphql-armor's limits
// included), and formats errors, as before.
//
// One difference matters to resolvers' authors: a field read as a plain property (no resolver) must
// hold its value, not a promise of it; a field whose value is a promise needs a resolver
// (SearchImagesResult.facets).

/** Compiled operations kept; clients send a handful of distinct documents, so few are enough. */
const CACHE_SIZE = 500;

type Compiled = CompiledQuery<Record<string, unknown>, Record<string, unknown>>;

/** A small least-recently-used map from a document (parsed once and reused by Apollo) to its compiled form. */
class CompiledOperations {
  private readonly byDocument = new Map<string, Compiled | ExecutionResult>();

  constructor(private readonly schema: GraphQLSchema) {}

  get(document: DocumentNode, operationName: string | undefined): Compiled | ExecutionResult {
    const key = `${operationName ?? ''}\n${document.loc?.source.body ?? print(document)}`;
    let compiled = this.byDocument.get(key);
    if (compiled) {
      this.byDocument.delete(key);
    } else {
      compiled = compileQuery(this.schema, document, operationName) as Compiled | ExecutionResult;
      if (this.byDocument.size >= CACHE_SIZE) this.byDocument.delete(this.byDocument.keys().next().value!);
    }
    this.byDocument.set(key, compiled);
    return compiled;
  }
}

/**
 * graphql-jit's errors are GraphQLErrors in name only (no extensions, read-only fields), where
 * Apollo and the error formatter expect graphql-js's: made into those, path, places and cause kept.
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
  const operations = new CompiledOperations(schema);
  const executor: GatewayExecutor = async (request) => {
    const { document, operationName } = request;
    const variables = request.request.variables ?? {};
    // Variables are checked by graphql-js first, as its execute() does: a bad or missing one reads
    // as it always has (Apollo and the error formatter recognise those errors as the caller's).
    const definitions = getOperationAST(document, operationName)?.variableDefinitions ?? [];
    const checked = getVariableValues(schema, definitions, variables, { maxErrors: 50 });
    if (checked.errors) return { errors: checked.errors };
    const compiled = operations.get(document, operationName ?? undefined);
    if (!isCompiledQuery(compiled)) return compiled;
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
