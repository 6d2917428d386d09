import { buildSchema, execute, GraphQLResolveInfo, parse } from 'graphql';
import { selectsField } from '../../src/graphql/selectedFields';
import { facetRequests, facetsOf, sampleProbability } from '../../src/search/facetCounts';
import { buildSearchRequest, pendingFacets, reconciledTotal, SearchRequest, settled } from '../../src/search/imageSearch';

const request: SearchRequest = {
  projectId: 'p',
  filter: { allOf: [], anyOf: [], noneOf: [], includeDescendants: true },
  sort: 'CREATED_AT',
  first: 20,
  facetSize: 20,
  facetSampleSize: 20_000,
};

describe('the Elasticsearch request of a label search', () => {
  it('never counts every match: the total is a count of its own, beside the page, so the page can stop early', () => {
    expect(buildSearchRequest('alias', request).track_total_hits).toBe(false);
    expect(buildSearchRequest('alias', { ...request, withFacets: false, withTotal: false }).track_total_hits).toBe(false);
  });

  it('never reports fewer matches than the pages show: the count and the page can see the index a refresh apart', () => {
    expect(reconciledTotal(120, 20, false)).toBe(120);
    expect(reconciledTotal(0, 20, false)).toBe(20);
    // A first page that holds every match is the total, whatever the count saw.
    expect(reconciledTotal(4, 3, true)).toBe(3);
    expect(reconciledTotal(2, 3, true)).toBe(3);
  });

  it('asks for the page only: the facets are a request of their own', () => {
    const body = buildSearchRequest('alias', request);
    expect(body.aggs).toBeUndefined();
    expect(body.size).toBe(21);
  });

  it('finds labels and their descendants on the flat labelIds field, unless the labels rank the hits or bounds apply', () => {
    const filter = { ...request.filter, allOf: [['animal']], anyOf: ['cat', 'dog'], noneOf: ['person'] };
    const flat = JSON.stringify(buildSearchRequest('alias', { ...request, filter }).query);
    for (const id of ['animal', 'cat', 'dog', 'person']) expect(flat).toContain(`{"term":{"labelIds":"${id}"}}`);
    expect(flat).not.toContain('nested');
    // RELEVANCE ranks by the labels' confidence; the exclusion never ranks, so it stays flat.
    const ranked = JSON.stringify(buildSearchRequest('alias', { ...request, filter, sort: 'RELEVANCE' }).query);
    expect(ranked).toContain('"labels.path":"animal"');
    expect(ranked).toContain('{"term":{"labelIds":"person"}}');
    // A bound must hold for the named label itself; without descendants, labelIds (which holds the ancestors) would find too much.
    expect(JSON.stringify(buildSearchRequest('alias', { ...request, filter: { ...filter, minConfidence: 0.8 } }).query)).toContain(
      '"labels.path":"animal"',
    );
    expect(
      JSON.stringify(buildSearchRequest('alias', { ...request, filter: { ...filter, includeDescendants: false } }).query),
    ).not.toContain('labelIds');
  });

  it('needs one label of each allOf group: a name several labels share', () => {
    const query = buildSearchRequest('alias', { ...request, filter: { ...request.filter, allOf: [['airman', 'pilot'], ['dog']] } })
      .query as { bool: { must: unknown[] } };
    expect(query.bool.must).toEqual(expect.arrayContaining([{ terms: { labelIds: ['airman', 'pilot'] } }, { term: { labelIds: 'dog' } }]));
    // Ranked, one nested clause: an image with both labels scores its best one, not their sum.
    const ranked = JSON.stringify(
      buildSearchRequest('alias', { ...request, sort: 'RELEVANCE', filter: { ...request.filter, allOf: [['airman', 'pilot']] } }).query,
    );
    expect(ranked).toContain('{"terms":{"labels.id":["airman","pilot"]}},{"terms":{"labels.path":["airman","pilot"]}}');
    expect(ranked.match(/"nested"/g)).toHaveLength(1);
  });

  it('sorts within one category by its flat per-category score, else by the labels nested', () => {
    const categories = new Set(['animal']);
    const sortOf = (filter: Partial<SearchRequest['filter']>, sort: SearchRequest['sort'] = 'CONFIDENCE') =>
      JSON.stringify(
        buildSearchRequest('alias', { ...request, sort, filter: { ...request.filter, ...filter }, namedCategories: categories }).sort,
      );
    expect(sortOf({ allOf: [['animal']] })).toContain('{"categoryConfidence.animal":{"order":"desc","unmapped_type":"float"}}');
    expect(sortOf({ anyOf: ['animal'] }, 'CENTRIC_SCORE')).toContain('"categoryCentricScore.animal"');
    // Not a category, two labels, or the category's own label only: the nested sort.
    for (const filter of [
      { allOf: [['dog']] },
      { allOf: [['animal']], anyOf: ['dog'] },
      { allOf: [['animal']], includeDescendants: false },
      {},
    ]) {
      expect(sortOf(filter)).not.toContain('categoryConfidence');
      expect(sortOf(filter)).toContain('"nested":{"path":"labels"');
    }
  });

  it('searches by label id for free text, flat unless it ranks, and finds nothing when the text matched no label', () => {
    const textMatches = [
      [
        { id: 'car', score: 1 },
        { id: 'auto-factory', score: 0.5 },
      ],
    ];
    expect(JSON.stringify(buildSearchRequest('alias', { ...request, textMatches }).query)).toContain(
      '{"terms":{"labelIds":["car","auto-factory"]}}',
    );
    const ranked = JSON.stringify(buildSearchRequest('alias', { ...request, textMatches, sort: 'RELEVANCE' }).query);
    for (const clause of ['"labels.id":["car"]', '"labels.path":["car"]', '"labels.id":["auto-factory"]']) expect(ranked).toContain(clause);
    const ownLabels = JSON.stringify(
      buildSearchRequest('alias', { ...request, textMatches, filter: { ...request.filter, includeDescendants: false } }).query,
    );
    expect(ownLabels).toContain('"labels.id":["car"]');
    expect(ownLabels).not.toContain('labels.path');
    expect(JSON.stringify(buildSearchRequest('alias', { ...request, textMatches: [[]] }).query)).toContain('match_none');
    // Bounds hold for the matched label itself: nested, its own id only without descendants.
    const bounded = JSON.stringify(
      buildSearchRequest('alias', { ...request, textMatches, filter: { ...request.filter, minConfidence: 0.7, includeDescendants: false } })
        .query,
    );
    expect(bounded).toContain('"filter":[{"range":{"labels.confidence":{"gte":0.7}}}]');
    expect(bounded).toContain('"labels.id":["car"]');
    expect(bounded).not.toContain('labels.path');
    expect(bounded).not.toContain('labelIds');
    // Text in parts that no label names whole: one label of every part's group.
    const both = buildSearchRequest('alias', { ...request, textMatches: [[{ id: 'dog', score: 1 }], [{ id: 'horse', score: 1 }]] })
      .query as { bool: { must: unknown[] } };
    expect(both.bool.must).toEqual(expect.arrayContaining([{ terms: { labelIds: ['dog'] } }, { terms: { labelIds: ['horse'] } }]));
  });
});

describe('facet counting', () => {
  const query = { match_all: {} };

  it('counts every match up to twice the sample size, then samples about that many', () => {
    expect(sampleProbability(40_000, 20_000)).toBe(1);
    expect(sampleProbability(40_001, 20_000)).toBeCloseTo(0.49999, 4);
    expect(sampleProbability(400_000, 20_000)).toBe(0.05);
    expect(sampleProbability(400_000, 0)).toBe(1);
    expect(sampleProbability(0, 20_000)).toBe(1);
  });

  it('asks for exact terms counts, or for the same terms under one seeded random sampler, in two halves', () => {
    const aggregationsOf = (requests: { aggs?: Record<string, any> }[]) =>
      requests.map((request) => Object.keys(request.aggs!.sample?.aggs ?? request.aggs!));
    const exact = facetRequests('alias', query, { facetSize: 20, matches: 100, sampleSize: 20_000 });
    expect(aggregationsOf(exact)).toEqual([
      ['labels', 'levels'],
      ['parents', 'categories'],
    ]);
    for (const request of exact) expect(request).toMatchObject({ index: 'alias', query, size: 0 });
    const sampled = facetRequests('alias', query, { facetSize: 20, matches: 400_000, sampleSize: 20_000 });
    expect(aggregationsOf(sampled)).toEqual(aggregationsOf(exact));
    const samplerOf = (request: { aggs?: Record<string, any> }) =>
      request.aggs!.sample.random_sampler as { probability: number; seed: number };
    expect(samplerOf(sampled[0]).probability).toBe(0.05);
    expect(samplerOf(sampled[1])).toEqual(samplerOf(sampled[0]));
    expect(facetRequests('alias', query, { facetSize: 20, matches: 400_000, sampleSize: 20_000 })).toEqual(sampled);
  });

  it('reads sampled counts as estimates, rounded and never above the matches, from both halves', () => {
    const buckets = (list: [string, number][]) => ({ buckets: list.map(([key, doc_count]) => ({ key, doc_count })) });
    const sampled = facetsOf(
      [
        {
          aggregations: {
            sample: {
              doc_count: 10,
              labels: buckets([
                ['people', 1003.7],
                ['dog', 40.2],
              ]),
              levels: buckets([['1', 1010]]),
            },
          },
        },
        { aggregations: { sample: { doc_count: 10, parents: buckets([['animal', 40.2]]), categories: buckets([]) } } },
      ],
      1000,
    );
    expect(sampled.exact).toBe(false);
    expect(sampled.labels).toEqual([
      { key: 'people', count: 1000 },
      { key: 'dog', count: 40 },
    ]);
    expect(sampled.levels).toEqual([{ key: '1', count: 1000 }]);
    expect(sampled.parents).toEqual([{ key: 'animal', count: 40 }]);
    expect(sampled.categories).toEqual([]);
    const exact = facetsOf(
      [{ aggregations: { labels: buckets([['dog', 3]]) } }, { aggregations: { parents: buckets([['animal', 3]]) } }],
      3,
    );
    expect(exact).toMatchObject({ exact: true, labels: [{ key: 'dog', count: 3 }], parents: [{ key: 'animal', count: 3 }] });
  });
});

describe('facets counted while the page is read', () => {
  it('a failed count is never an unhandled rejection, and fails the search where it is awaited', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const facets = pendingFacets(Promise.reject(new Error('facets failed')));
      // Meanwhile the caller reads Postgres: several turns of the event loop pass.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      const page = { images: [], cursors: [], totalCount: 0, hasNextPage: false, facets, abandon: () => undefined };
      await expect(settled(Promise.resolve(page))).rejects.toThrow('facets failed');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
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
    await execute({ schema, document: parse(query), rootValue: { search }, variableValues: { yes: true, no: false } });
    return seen;
  }

  it('sees fields selected directly, through named and inline fragments, and not others', async () => {
    expect(await selected('{ search { nodes } }')).toEqual(['nodes']);
    expect(await selected('{ search { total ...F } } fragment F on Result { ... on Result { facets } }')).toEqual(['total', 'facets']);
    expect(await selected('{ search { ...F } } fragment F on Result { ...F nodes }')).toEqual(['nodes']);
  });

  it('leaves out what @skip or @include leaves out, with literals or variables', async () => {
    expect(await selected('{ search { nodes facets @include(if: false) total @skip(if: true) } }')).toEqual(['nodes']);
    expect(await selected('query($yes: Boolean!, $no: Boolean!) { search { facets @include(if: $yes) total @include(if: $no) } }')).toEqual(
      ['facets'],
    );
    expect(
      await selected(
        'query($yes: Boolean!) { search { ... on Result @skip(if: $yes) { facets } ...F @include(if: $yes) } } fragment F on Result { total }',
      ),
    ).toEqual(['total']);
  });
});
