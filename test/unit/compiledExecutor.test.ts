import 'reflect-metadata';
import { GraphQLSchema, parse } from 'graphql';
import { compileQuery } from 'graphql-jit';
import { AccessControl, AccessDeps } from '../../src/auth/accessControl';
import { ADMIN } from '../../src/auth/principal';
import { createApolloServer } from '../../src/graphql/apolloServer';
import { compilable } from '../../src/graphql/compiledExecutor';
import type { GraphQLContext } from '../../src/graphql/context';
import { buildLabelgateSchema } from '../../src/graphql/schema';
import { createLogger } from '../../src/logger';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { LabelSuggester } from '../../src/taxonomy/labelSuggester';
import { LabelUseCases } from '../../src/application/labelUseCases';

// graphql-jit 0.8.9 turns a string literal that starts with its date marker into code.
const MARKER = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d';
const injected = `${MARKER}0)+(globalThis.labelgateInjected=1)+(0`;
const globals = globalThis as { labelgateInjected?: number };

let schema: GraphQLSchema;
const taxonomy = loadTaxonomy();
const context = {
  requestId: 'test',
  logger: createLogger('silent'),
  services: { labels: new LabelUseCases(taxonomy, new LabelSuggester(taxonomy)) },
  access: new AccessControl(ADMIN, {} as AccessDeps),
} as unknown as GraphQLContext;
const limits = { GRAPHQL_MAX_DEPTH: 12, GRAPHQL_MAX_COST: 100_000, GRAPHQL_MAX_ALIASES: 20, GRAPHQL_MAX_TOKENS: 10_000 };

beforeAll(async () => {
  schema = await buildLabelgateSchema();
});
afterEach(() => {
  delete globals.labelgateInjected;
});

describe('compiled GraphQL execution', () => {
  it('is unsafe for string literals in graphql-jit itself (why they are never compiled)', async () => {
    const compiled = compileQuery(schema, parse(`{ label(id: "${injected}") { id } }`));
    if ('query' in compiled) await compiled.query(undefined, context, {});
    // Should graphql-jit fix this, the test says so; the rule below stays until a review of its code generation.
    expect(globals.labelgateInjected).toBe(1);
  });

  it('compiles only documents without string literals or introspection', () => {
    expect(
      compilable(
        parse(
          'query ($id: ID!, $n: Int = 3) { label(id: $id, language: EN) { id name } labelTaxonomy(level: 1, first: $n) { totalCount } }',
        ),
      ),
    ).toBe(true);
    expect(compilable(parse('{ label(id: "cat") { id } }'))).toBe(false);
    expect(compilable(parse('query ($id: String = "cat") { label(id: $id) { id } }'))).toBe(false);
    expect(compilable(parse('{ label(id: """cat""") { id } }'))).toBe(false);
    expect(compilable(parse('query { ...F } fragment F on Query { label(id: "cat") { id } }'))).toBe(false);
    expect(compilable(parse('{ __schema { queryType { name } } }'))).toBe(false);
    expect(compilable(parse('{ __type(name: "Query") { name } }'))).toBe(false);
  });

  it('runs an injected string as data, however often it is sent, and compiled documents answer as graphql-js does', async () => {
    const apollo = createApolloServer(schema, limits);
    await apollo.start();
    try {
      const run = async (query: string, variables?: Record<string, unknown>) => {
        const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
        return response.body.kind === 'single' ? response.body.singleResult : null;
      };
      for (let i = 0; i < 3; i += 1) {
        const result = await run(`{ label(id: "${injected}") { id } }`);
        expect(result?.errors?.[0]?.extensions?.code).toBe('ResourceNotFound');
        expect((await run(`{ __type(name: "${injected}") { name } }`))?.data).toEqual({ __type: null });
      }
      expect(globals.labelgateInjected).toBeUndefined();

      // The same document with variables: graphql-js the first time, compiled afterwards.
      const query = 'query ($id: ID!) { label(id: $id, language: EN) { id name level parent { id } } }';
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await run(query, { id: 'tabby' }));
      expect(answers[0]?.data).toEqual({
        label: { id: 'tabby', name: taxonomy.get('tabby')!.en, level: 3, parent: { id: taxonomy.get('tabby')!.parentId } },
      });
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect((await run(query, { id: injected }))?.errors?.[0]?.extensions?.code).toBe('ResourceNotFound');
      expect((await run(query, {}))?.errors?.[0]?.extensions?.code).toBe('MissingParameter');
      expect(globals.labelgateInjected).toBeUndefined();
    } finally {
      await apollo.stop();
    }
  });
});
