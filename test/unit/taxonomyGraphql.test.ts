import 'reflect-metadata';
import { execute, GraphQLSchema, parse } from 'graphql';
import { AccessControl, AccessDeps } from '../../src/auth/accessControl';
import { ADMIN } from '../../src/auth/principal';
import type { GraphQLContext } from '../../src/graphql/context';
import { buildLabelgateSchema } from '../../src/graphql/schema';
import { createLogger } from '../../src/logger';
import { loadTaxonomy } from '../../src/taxonomy/taxonomy';
import { LabelSuggester } from '../../src/taxonomy/labelSuggester';
import { LabelUseCases } from '../../src/application/labelUseCases';

let schema: GraphQLSchema;
const taxonomy = loadTaxonomy();
// Taxonomy queries touch no project, so access needs none of its dependencies.
const access = new AccessControl(ADMIN, {} as AccessDeps);
const context = {
  requestId: 'test',
  logger: createLogger('silent'),
  services: { labels: new LabelUseCases(taxonomy, new LabelSuggester(taxonomy)) },
  access,
} as unknown as GraphQLContext;

beforeAll(async () => {
  schema = await buildLabelgateSchema();
});

async function run(source: string, variableValues: Record<string, unknown> = {}) {
  const result = await execute({ schema, document: parse(source), contextValue: context, variableValues });
  return result as {
    data?: any;
    errors?: readonly { message: string; extensions?: Record<string, unknown>; originalError?: { code?: string } }[];
  };
}
const codeOf = (result: Awaited<ReturnType<typeof run>>) => result.errors?.[0]?.originalError?.code;

describe('GraphQL taxonomy browsing', () => {
  it('reports the taxonomy version', async () => {
    const result = await run('{ taxonomyVersion }');
    expect(result.data.taxonomyVersion).toBe(taxonomy.version);
  });

  it('pages through the level-1 categories in Chinese by default', async () => {
    const query = `query ($after: String) { labelTaxonomy(level: 1, first: 25, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id name level parentId childrenCount } } }`;
    const first = await run(query);
    expect(first.errors).toBeUndefined();
    const page = first.data.labelTaxonomy;
    expect(page.totalCount).toBe(taxonomy.categories().length);
    expect(page.nodes).toHaveLength(25);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const second = (await run(query, { after: page.pageInfo.endCursor })).data.labelTaxonomy;
    expect(second.nodes).toHaveLength(page.totalCount - 25);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const all = [...page.nodes, ...second.nodes];
    expect(all.find((n: { id: string }) => n.id === 'furniture').name).toBe('家具');
    expect(new Set(all.map((n: { id: string }) => n.id)).size).toBe(page.totalCount);
  });

  it('lists the children of a label in English', async () => {
    const result = await run(
      '{ labelTaxonomy(parentId: "furniture", language: EN, first: 100) { totalCount nodes { id name parentId level } } }',
    );
    const { nodes, totalCount } = result.data.labelTaxonomy;
    expect(totalCount).toBe(taxonomy.children('furniture').length);
    expect(nodes.every((n: { parentId: string; level: number }) => n.parentId === 'furniture' && n.level === 2)).toBe(true);
    expect(nodes.find((n: { id: string }) => n.id === 'chair').name).toBe('chair');
  });

  it('looks a label up by name in either language', async () => {
    const fields = 'id name nameEn nameZhHans level parentId aliases threshold childrenCount parent { id name } path { id name }';
    const zh = (await run(`{ label(name: "椅子") { ${fields} } }`)).data.label;
    expect(zh).toMatchObject({
      id: 'chair',
      name: '椅子',
      nameEn: 'chair',
      nameZhHans: '椅子',
      parentId: 'furniture',
      parent: { id: 'furniture', name: '家具' },
    });
    expect(zh.aliases).toContain('座椅');
    expect(zh.path).toEqual([{ id: 'furniture', name: '家具' }]);

    const en = (await run(`{ label(name: "Husky", language: EN) { ${fields} } }`)).data.label;
    expect(en).toMatchObject({ id: 'husky', name: 'husky', level: 3, parent: { id: 'dog', name: 'dog' } });
    expect(en.path.map((p: { id: string }) => p.id)).toEqual(['animal', 'dog']);

    const byId = (await run('{ label(id: "dog") { name childrenCount } }')).data.label;
    expect(byId.name).toBe('狗');
    expect(byId.childrenCount).toBeGreaterThan(5);
  });

  it('answers with IMM error codes', async () => {
    expect(codeOf(await run('{ label { id } }'))).toBe('MissingParameter');
    expect(codeOf(await run('{ label(id: "dog", name: "dog") { id } }'))).toBe('InvalidArgument');
    expect(codeOf(await run('{ label(id: "no-such-label") { id } }'))).toBe('ResourceNotFound');
    expect(codeOf(await run('{ label(name: "no such label") { id } }'))).toBe('ResourceNotFound');
    expect(codeOf(await run('{ labelTaxonomy(first: 0) { totalCount } }'))).toBe('InvalidArgument');
    expect(codeOf(await run('{ labelTaxonomy(level: 4) { totalCount } }'))).toBe('InvalidArgument');
    expect(codeOf(await run('{ labelTaxonomy(after: "bad!") { totalCount } }'))).toBe('InvalidArgument');
    expect(codeOf(await run('{ labelTaxonomy(parentId: "no-such-label") { totalCount } }'))).toBe('ResourceNotFound');
    expect(codeOf(await run('{ labelTaxonomy(parentId: "") { totalCount } }'))).toBe('InvalidArgument');
  });

  it('says which arguments label() takes when it gets none', async () => {
    const result = await run('{ label { id } }');
    expect(result.errors![0].message).toBe('Give id or name.');
  });
});
