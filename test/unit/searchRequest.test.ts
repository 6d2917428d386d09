import { buildSchema, execute, GraphQLResolveInfo, parse } from 'graphql';
import { selectsField } from '../../src/graphql/selectedFields';
import { buildSearchRequest, SearchRequest } from '../../src/search/imageSearch';

const request: SearchRequest = {
  projectId: 'p',
  filter: { allOf: [], anyOf: [], noneOf: [], includeDescendants: true },
  sort: 'CREATED_AT',
  first: 20,
  facetSize: 20,
};

describe('the Elasticsearch request of a label search', () => {
  it('counts facets and every match by default', () => {
    const body = buildSearchRequest('alias', request);
    expect(Object.keys(body.aggs!)).toEqual(['labels', 'categories', 'parents', 'levels']);
    expect(body.track_total_hits).toBe(true);
  });

  it('skips what the caller does not read', () => {
    const body = buildSearchRequest('alias', { ...request, withFacets: false, withTotal: false });
    expect(body.aggs).toBeUndefined();
    expect(body.track_total_hits).toBe(false);
  });

  it('searches by label id for free text, and finds nothing when the text matched no label', () => {
    const matched = JSON.stringify(buildSearchRequest('alias', { ...request, textMatches: [{ id: 'car', score: 1 }, { id: 'auto-factory', score: 0.5 }] }).query);
    expect(matched).toContain('"labels.id":["car"]');
    expect(matched).toContain('"labels.id":["auto-factory"]');
    expect(JSON.stringify(buildSearchRequest('alias', { ...request, textMatches: [] }).query)).toContain('match_none');
  });
});

describe('selectsField', () => {
  const schema = buildSchema('type Result { total: Int, facets: [Int], nodes: [Int] } type Query { search: Result }');
  async function selected(query: string): Promise<string[]> {
    let seen: string[] = [];
    const search = (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      seen = ['total', 'facets', 'nodes'].filter((name) => selectsField(info, name));
      return {};
    };
    await execute({ schema, document: parse(query), rootValue: { search } });
    return seen;
  }

  it('sees fields selected directly, through named and inline fragments, and not others', async () => {
    expect(await selected('{ search { nodes } }')).toEqual(['nodes']);
    expect(await selected('{ search { total ...F } } fragment F on Result { ... on Result { facets } }')).toEqual(['total', 'facets']);
    expect(await selected('{ search { ...F } } fragment F on Result { ...F nodes }')).toEqual(['nodes']);
  });
});
